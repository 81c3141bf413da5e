"""Identifiers from wire names: valid, stable, and unique within a scope."""

from __future__ import annotations

import keyword

from hypothesis import given
from hypothesis import strategies as st

from generator.generate import names


def test_snake_case_of_storesace_names() -> None:
    assert names.snake("InvoiceDate") == "invoice_date"
    assert names.snake("SaleTransactionDetails") == "sale_transaction_details"
    assert names.snake("TaxRegistrationNumber") == "tax_registration_number"
    assert names.snake("HTTPServer") == "http_server"


def test_keywords_digits_and_dunders_become_identifiers() -> None:
    assert names.snake("class") == "class_"
    assert names.snake("1st") == "field_1st"
    assert names.snake("__init__") == "init"
    assert names.snake("").startswith("field_")
    assert names.snake("préço") == "preco"
    assert names.pascal("list") == "List"
    assert names.pascal("int") == "Int"


def test_long_names_are_cut_with_a_hash_of_the_whole() -> None:
    long_a, long_b = "a" * 1000, "a" * 999 + "b"
    assert len(names.snake(long_a)) <= names.MAX_LENGTH
    assert names.snake(long_a) != names.snake(long_b)


def test_colliding_names_take_suffixes_from_their_own_wire_names() -> None:
    chosen = names.unique(["InvoiceDate", "invoice_date", "Invoice-Date"], names.snake)
    assert chosen["invoice_date"] == "invoice_date"
    assert chosen["InvoiceDate"].startswith("invoice_date_")
    assert len(set(chosen.values())) == 3


def test_adding_a_field_renames_nothing_it_does_not_collide_with() -> None:
    before = names.unique(["ItemId", "Status", "Price"], names.snake)
    after = names.unique(["ItemId", "NewField", "Status", "Price"], names.snake)
    assert {k: after[k] for k in before} == before


def test_enum_member_names_come_from_values() -> None:
    assert names.constant("PT-AC") == "PT_AC"
    assert names.constant(1) == "VALUE_1"
    assert names.constant("name") == "NAME_"


wire_names = st.lists(st.text(min_size=0, max_size=40), max_size=30, unique=True)


@given(wire_names)
def test_sanitising_is_injective_within_a_scope(wires: list[str]) -> None:
    chosen = names.unique(wires, names.snake)
    assert len(set(chosen.values())) == len(wires)
    for identifier in chosen.values():
        assert identifier.isidentifier()
        assert not keyword.iskeyword(identifier)


@given(wire_names)
def test_sanitising_is_stable(wires: list[str]) -> None:
    assert names.unique(wires, names.snake) == names.unique(list(wires), names.snake)
