"""Properties, with hypothesis: names stay apart, samples merge in any order,
texts never escape their literals, and a generated model decodes what it
encodes."""

from __future__ import annotations

import ast
import builtins
import datetime as dt
import decimal
import enum
import importlib
import json
import keyword
import re
import sys
import types
import typing
import uuid
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.crawl.infer import record_schema
from generator.findings import Findings
from generator.generate import names
from generator.generate.ir import docstring, package_ir
from generator.schema.tree import read_tree

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "generated" / "demo"))

wire_names = st.lists(st.text(max_size=30), max_size=25, unique=True)
CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")


def with_crafted_collisions(wires: list[str]) -> list[str]:
    """``wires`` and, for each, the names its hash suffixes would take: what a
    server would send to make two names meet."""
    crafted = []
    for wire in wires:
        for clean, sep in ((names.snake, "_"), (names.pascal, "")):
            crafted += [
                f"{clean(wire)}{sep}{names.digest(wire)}",
                f"{clean(wire)}{sep}{names.digest(wire, 12)}",
            ]
    return list(dict.fromkeys([*wires, *crafted]))


# -- identifiers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("clean", "sep"),
    [(names.snake, "_"), (names.pascal, ""), (names.constant, "_")],
    ids=["snake", "pascal", "constant"],
)
@given(wires=wire_names, crafted=st.booleans())
def test_unique_is_injective_within_a_scope(
    clean: Any, sep: str, wires: list[str], crafted: bool
) -> None:
    scope = with_crafted_collisions(wires) if crafted else wires
    chosen = names.unique(scope, clean, sep=sep)
    assert set(chosen) == set(scope)
    assert len(set(chosen.values())) == len(scope)
    for identifier in chosen.values():
        assert identifier.isidentifier()
        assert not keyword.iskeyword(identifier)


@given(wires=wire_names, taken=st.sets(st.text(max_size=10), max_size=5))
def test_unique_is_stable_and_keeps_taken_names_free(
    wires: list[str], taken: set[str]
) -> None:
    first = names.unique(wires, names.snake, taken)
    assert names.unique(list(wires), names.snake, set(taken)) == first
    assert not set(first.values()) & taken


@given(wires=wire_names, new=st.text(max_size=30))
def test_a_new_name_renames_nothing_it_does_not_collide_with(
    wires: list[str], new: str
) -> None:
    before = names.unique(wires, names.snake)
    assume(new not in wires)
    assume(names.snake(new) not in {names.snake(w) for w in wires})
    assume(names.snake(new) not in before.values())
    after = names.unique([*wires, new], names.snake)
    assert {wire: after[wire] for wire in wires} == before


@given(st.text(max_size=200))
def test_identifiers_are_safe_whatever_the_name(name: str) -> None:
    attr = names.snake(name)
    assert attr.isidentifier()
    assert not keyword.iskeyword(attr)
    assert not keyword.issoftkeyword(attr)
    assert attr not in names.RESERVED
    assert len(attr) <= names.MAX_LENGTH + 1
    cls = names.pascal(name)
    # datamodel-code-generator keeps such a name as it is.
    assert CLASS_NAME.fullmatch(cls), cls
    assert not keyword.iskeyword(cls)
    assert not hasattr(builtins, cls)
    assert cls not in names.CLASS_RESERVED | names.AMBIGUOUS
    member = names.constant(name)
    assert member.isidentifier()
    assert member not in ("NAME", "VALUE", *names.AMBIGUOUS)


@given(st.text(max_size=300))
def test_a_docstring_is_one_string_literal_whatever_the_text(text: str) -> None:
    literal = docstring(text)
    assume(literal)
    module = ast.parse(f"def f():\n    {literal}\n    return 1\n")
    body = module.body[0]
    assert isinstance(body, ast.FunctionDef)
    assert len(body.body) == 2
    first = body.body[0]
    assert isinstance(first, ast.Expr)
    assert isinstance(first.value, ast.Constant)
    assert isinstance(first.value.value, str)


# -- merging samples -------------------------------------------------------------

keys = st.sampled_from(["a", "b", "Name", "name", "x y", "id", "items"])
scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
json_values = st.recursive(
    scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=12,
)
records = st.lists(
    st.dictionaries(keys, json_values, max_size=6), min_size=1, max_size=6
)
declared = st.none() | st.dictionaries(
    keys,
    st.fixed_dictionaries(
        {"type": st.sampled_from(["string", "integer", "field", "choice", "boolean"])},
        optional={
            "read_only": st.booleans(),
            "choices": st.lists(
                st.fixed_dictionaries(
                    {"value": scalars, "display_name": st.text(max_size=5)}
                ),
                max_size=3,
            ),
        },
    ),
    max_size=3,
)


def canonical(schema: Any) -> Any:
    """The schema with the order of fields seen only in samples normalised:
    every ``properties`` and ``required`` sorted."""
    if isinstance(schema, dict):
        found = {key: canonical(value) for key, value in schema.items()}
        if isinstance(found.get("properties"), dict):
            found["properties"] = dict(sorted(found["properties"].items()))
        if isinstance(found.get("required"), list):
            found["required"] = sorted(found["required"])
        return found
    if isinstance(schema, list):
        return [canonical(value) for value in schema]
    return schema


def schema_of(
    options: dict[str, Any] | None, samples: list[Any]
) -> tuple[Any, list[Any]]:
    findings = Findings()
    schema = record_schema(
        "things", None, options, samples, findings, None, ["options", "samples"]
    )
    return schema, [f.to_json() for f in findings.sorted()]


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(options=declared, samples=records, data=st.data())
def test_merging_samples_does_not_depend_on_their_order(
    options: dict[str, Any] | None, samples: list[Any], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(samples))
    one, one_findings = schema_of(options, samples)
    other, other_findings = schema_of(options, shuffled)
    assert canonical(one) == canonical(other)
    assert one_findings == other_findings
    if options:
        # Declared fields keep OPTIONS' order, whatever the samples' order.
        declared_first = list(one["properties"])[: len(options)]
        assert declared_first == list(options)
        assert list(other["properties"])[: len(options)] == list(options)


# -- a generated model decodes what it encodes ------------------------------------


def demo_models() -> list[tuple[str, str]]:
    ir = package_ir(read_tree(REPO / "schemas" / "demo"), "demo")
    return [
        (endpoint.module, model.name)
        for endpoint in ir.endpoints
        for model in endpoint.models
    ]


READ_ONLY = {
    (endpoint.module, model.name): {f.attr for f in model.fields if f.read_only}
    for endpoint in package_ir(read_tree(REPO / "schemas" / "demo"), "demo").endpoints
    for model in endpoint.models
}
timezones = st.sampled_from(
    [None, dt.UTC, dt.timezone(dt.timedelta(hours=5, minutes=30)),
     dt.timezone(-dt.timedelta(hours=3))]
)  # fmt: skip


def strategy_for(hint: Any, module: types.ModuleType) -> st.SearchStrategy[Any]:
    """Values of a generated model's field hint."""
    runtime = importlib.import_module("storesace_demo._runtime")
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return st.one_of(*(strategy_for(arg, module) for arg in typing.get_args(hint)))
    if hint is type(None):
        return st.none()
    if hint is runtime.Unset:
        return st.just(runtime.UNSET)
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        return st.lists(strategy_for(item, module), max_size=3)
    if origin is dict:
        return st.dictionaries(st.text(max_size=5), scalars, max_size=3)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(list(hint))
    if attrs.has(hint):
        return model_strategy(hint, module)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        int: st.integers(),
        str: st.text(max_size=20),
        bool: st.booleans(),
        float: st.floats(allow_nan=False, allow_infinity=False),
        decimal.Decimal: st.decimals(allow_nan=False, allow_infinity=False, places=4),
        dt.date: st.dates(),
        dt.datetime: st.datetimes(timezones=timezones),
        dt.time: st.times(),
        dt.timedelta: st.timedeltas(),
        uuid.UUID: st.uuids(),
        typing.Any: scalars,
    }
    return simple[hint]


def model_strategy(cls: type, module: types.ModuleType) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls, vars(module))
    fields = {f.name: strategy_for(hints[f.name], module) for f in attrs.fields(cls)}
    return st.builds(cls, **fields)


def without_read_only(value: Any, module_name: str) -> Any:
    """``value`` as a write and a read give it back: read-only fields unset."""
    runtime = importlib.import_module("storesace_demo._runtime")
    if isinstance(value, list):
        return [without_read_only(item, module_name) for item in value]
    if not attrs.has(type(value)):
        return value
    read_only = READ_ONLY[(module_name, type(value).__name__)]
    changes = {
        f.name: runtime.UNSET
        if f.name in read_only
        else without_read_only(getattr(value, f.name), module_name)
        for f in attrs.fields(type(value))
    }
    return attrs.evolve(value, **changes)


@pytest.mark.parametrize(("module_name", "model"), demo_models())
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_generated_model_decodes_what_it_encodes(
    module_name: str, model: str, data: st.DataObject
) -> None:
    module = importlib.import_module(f"storesace_demo.models.{module_name}")
    cls = getattr(module, model)
    decode = getattr(module, f"decode_{names.snake(model)}")
    encode = getattr(module, f"encode_{names.snake(model)}")
    record = data.draw(model_strategy(cls, module))
    wire = json.loads(json.dumps(encode(record)))
    assert decode(wire) == without_read_only(record, module_name)
