"""``[environments.<name>.drift]``: ignore rules or fields, change levels."""

from __future__ import annotations

from typing import Any

import pytest

from generator.drift.changes import Change
from generator.drift.overrides import Overrides, parse_overrides
from generator.drift.rules import Level
from generator.errors import ConfigError

WHERE = "[environments.shop.drift]"


def change(rule: str, endpoint: str = "customers", pointer: str = "") -> Change:
    return Change(rule, Level.ERROR, endpoint, pointer, "message")


def kept(overrides: Overrides, *changes: Change) -> list[tuple[str, str, str, str]]:
    return [
        (c.rule, c.level.value, c.endpoint, c.pointer)
        for c in overrides.apply(list(changes))
    ]


def test_no_section_overrides_nothing() -> None:
    assert parse_overrides(None, WHERE) == Overrides()
    assert kept(Overrides(), change("label-changed")) == [
        ("label-changed", "error", "customers", "")
    ]


def test_ignored_rules_are_dropped_everywhere() -> None:
    overrides = parse_overrides({"ignore-rules": ["label-changed"]}, WHERE)
    found = kept(overrides, change("label-changed"), change("field-removed", "sales"))
    assert found == [("field-removed", "error", "sales", "")]


def test_an_ignored_field_drops_it_and_everything_nested_in_it() -> None:
    overrides = parse_overrides(
        {"ignore-fields": ["sales#/properties/Lines", "customers#/properties/Limits"]},
        WHERE,
    )
    found = kept(
        overrides,
        change("field-removed", "sales", "/properties/Lines"),
        change("limits-narrowed", "sales", "/properties/Lines/items/properties/Qty"),
        change("field-removed", "sales", "/properties/LinesTotal"),
        change("field-added", "customers", "/properties/Limits"),
    )
    assert found == [("field-removed", "error", "sales", "/properties/LinesTotal")]


def test_an_ignored_endpoint_glob_drops_its_whole_endpoint() -> None:
    overrides = parse_overrides({"ignore-fields": ["extra*"]}, WHERE)
    found = kept(
        overrides,
        change("endpoint-added", "extra000codes"),
        change("field-removed", "extra001amounts", "/properties/Note"),
        change("endpoint-removed", "stockmovements"),
    )
    assert found == [("endpoint-removed", "error", "stockmovements", "")]


def test_pointer_patterns_are_globs() -> None:
    overrides = parse_overrides({"ignore-fields": ["*#/properties/SyncCounter"]}, WHERE)
    found = kept(
        overrides,
        change("field-type-changed", "items", "/properties/SyncCounter"),
        change("field-type-changed", "items", "/properties/ItemId"),
    )
    assert found == [("field-type-changed", "error", "items", "/properties/ItemId")]


def test_a_rule_s_level_can_be_raised_or_lowered() -> None:
    overrides = parse_overrides(
        {"levels": {"enum-value-added": "error", "field-removed": "warning"}}, WHERE
    )
    found = kept(
        overrides,
        Change(
            "enum-value-added", Level.WARNING, "paymenttypes", "/properties/Kind", "m"
        ),
        change("field-removed", "suppliers", "/properties/Fax"),
    )
    assert found == [
        ("enum-value-added", "error", "paymenttypes", "/properties/Kind"),
        ("field-removed", "warning", "suppliers", "/properties/Fax"),
    ]


@pytest.mark.parametrize(
    ("settings", "complaint"),
    [
        ("nope", "must be a table"),
        ({"ignore": ["label-changed"]}, "unknown settings: ['ignore']"),
        ({"ignore-rules": ["label-chnaged"]}, "no drift rule 'label-chnaged'"),
        ({"ignore-rules": "label-changed"}, "must be a list of strings"),
        ({"ignore-fields": [3]}, "must be a list of strings"),
        ({"levels": ["error"]}, "levels must be a table"),
        ({"levels": {"no-such-rule": "error"}}, "no drift rule 'no-such-rule'"),
        ({"levels": {"field-removed": "fatal"}}, "is not error, warning or info"),
    ],
)
def test_a_bad_section_is_a_configuration_error(settings: Any, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint.replace("[", r"\[")):
        parse_overrides(settings, WHERE)
