"""Each drift rule and its level, on small hand-made trees."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from generator.drift.changes import compare_trees, escape, field_name
from generator.drift.rules import RULES, Level
from generator.schema.tree import read_tree
from tests.drift.helpers import endpoint, field, fields_changed, found, one, tree

REPO = Path(__file__).resolve().parents[2]


def test_a_tree_against_itself_has_no_change() -> None:
    demo = read_tree(REPO / "schemas" / "demo")
    assert compare_trees(demo, demo) == []


def test_sampled_counts_alone_are_no_change() -> None:
    before = {"Name": field(records=10)}
    after = {"Name": field(records=40, present=40)}
    assert fields_changed(before, after) == []
    assert (
        found(tree(endpoint("e", before)), tree(endpoint("e", after, records=40))) == []
    )


def test_an_endpoint_added_is_info_and_one_removed_is_an_error() -> None:
    kept = endpoint("kept", {"Id": field("integer")})
    gone = endpoint("gone", {"Id": field("integer")})
    new = endpoint("new", {"Id": field("integer"), "Name": field()})
    assert found(tree(kept, gone), tree(kept, new)) == [
        ("endpoint-removed", "error", "gone", ""),
        ("endpoint-added", "info", "new", ""),
    ]
    added = one(tree(kept), tree(kept, new))
    assert added.pointer == ""
    assert added.direction is None
    assert "2 fields: Id, Name" in added.message


def test_a_new_optional_field_is_info() -> None:
    changes = fields_changed(
        {"Id": field("integer")}, {"Id": field("integer"), "Note": field()}
    )
    assert changes == [("field-added", "info", "e", "Note")]


def test_a_new_field_required_on_write_is_an_error() -> None:
    after = {"Id": field("integer"), "Code": field(write_required=True, maxLength=2)}
    changes = fields_changed({"Id": field("integer")}, after)
    assert changes == [("required-field-added", "error", "e", "Code")]


def test_a_new_required_field_of_a_read_only_endpoint_is_only_received() -> None:
    after = {"Id": field("integer"), "Code": field(write_required=True)}
    change = one(
        tree(endpoint("e", {"Id": field("integer")}, writable=False)),
        tree(endpoint("e", after, writable=False)),
    )
    assert (change.rule, change.level, change.direction) == (
        "field-added",
        Level.INFO,
        "response",
    )


def test_a_declared_field_no_longer_declared_is_an_error() -> None:
    change = one(
        tree(endpoint("e", {"Id": field("integer"), "Fax": field(maxLength=20)})),
        tree(endpoint("e", {"Id": field("integer")})),
    )
    assert (change.rule, change.level, change.pointer) == (
        "field-removed",
        Level.ERROR,
        "/properties/Fax",
    )
    assert "at most 20 characters" in change.message


def test_a_field_only_sampled_before_and_absent_now_is_not_seen_a_warning() -> None:
    before = {"Id": field("integer"), "Extra": field(declared=False)}
    changes = fields_changed(before, {"Id": field("integer")})
    assert changes == [("field-not-seen", "warning", "e", "Extra")]


def test_a_declared_field_missing_from_the_samples_is_a_warning_not_a_removal() -> None:
    before = {"Id": field("integer"), "Note": field()}
    after = {"Id": field("integer"), "Note": field(records=None)}
    changes = found(
        tree(endpoint("e", before)),
        tree(endpoint("e", after, required=["Id"])),
    )
    assert changes == [("field-not-always-present", "warning", "e", "Note")]


def test_records_lacking_a_field_all_had_is_a_warning() -> None:
    after = {"Id": field("integer"), "Note": field(present=7)}
    changes = found(
        tree(endpoint("e", {"Id": field("integer"), "Note": field()})),
        tree(endpoint("e", after, required=["Id"])),
    )
    assert changes == [("field-not-always-present", "warning", "e", "Note")]


def test_a_type_change_is_an_error_and_hides_the_limits_of_the_old_type() -> None:
    before = {"Factor": field("integer", minimum=1)}
    after = {
        "Factor": field(
            "string", format="decimal", facts={"maxDigits": 10, "decimalPlaces": 3}
        )
    }
    change = one(tree(endpoint("e", before)), tree(endpoint("e", after)))
    assert (change.rule, change.level) == ("field-type-changed", Level.ERROR)
    assert change.message == (
        "integer (at least 1) becomes decimal string (10 digits, 3 places)"
    )


def test_a_type_seen_before_and_unknown_now_is_a_warning() -> None:
    before = {"Value": field("integer", declared=False)}
    after = {"Value": field(None, declared=False, facts={"unknown": ["type"]})}
    assert fields_changed(before, after) == [
        ("field-type-unknown", "warning", "e", "Value")
    ]
    assert fields_changed(after, before) == [
        ("field-type-learned", "info", "e", "Value")
    ]


def test_a_format_lost_is_an_error_and_a_declared_format_gained_fails_writes() -> None:
    plain, dated = field(), field(format="date")
    assert fields_changed({"D": dated}, {"D": plain}) == [
        ("field-format-removed", "error", "e", "D")
    ]
    assert fields_changed({"D": plain}, {"D": dated}) == [
        ("field-format-added", "error", "e", "D")
    ]
    assert fields_changed(
        {"D": field(format="date")}, {"D": field(format="date-time")}
    ) == [("field-format-changed", "error", "e", "D")]


def test_a_format_only_observed_gained_says_nothing_of_writes() -> None:
    before = {"Ref": field()}
    after = {"Ref": field(also_declared=(), format="uuid")}
    after["Ref"]["x-acebind"]["declared"].remove("format")
    assert fields_changed(before, after) == [("field-format-added", "info", "e", "Ref")]


def test_a_null_seen_now_is_an_error() -> None:
    change = one(
        tree(endpoint("e", {"CustomerId": field("integer", records=20)})),
        tree(
            endpoint(
                "e", {"CustomerId": field(["integer", "null"], records=20, nulls=4)}
            )
        ),
    )
    assert (change.rule, change.level) == ("field-became-nullable", Level.ERROR)
    assert change.message == "null in 4 of 20 sampled values, none before"


def test_nulls_not_seen_again_are_a_warning_never_an_error() -> None:
    before = {"Note": field(["string", "null"], nulls=3)}
    assert fields_changed(before, {"Note": field()}) == [
        ("observed-nulls-not-seen", "warning", "e", "Note")
    ]


def test_nullability_is_not_compared_where_the_old_samples_lacked_the_field() -> None:
    before = {"Note": field(records=None, facts={"unknown": ["nullable"]})}
    after = {"Note": field(["string", "null"], nulls=2)}
    assert fields_changed(before, after, required=[]) == []


def test_declared_nullability_refused_now_fails_writes() -> None:
    probed = {"probed": ["nullable"]}
    before = {
        "Notes": field(["string", "null"], also_declared=("nullable",), facts=probed)
    }
    after = {"Notes": field(also_declared=("nullable",), facts=probed)}
    assert fields_changed(before, after) == [
        ("field-no-longer-nullable", "error", "e", "Notes")
    ]
    readonly = fields_changed(before, after, writable=False)
    assert readonly == [("field-no-longer-nullable", "info", "e", "Notes")]


def test_declared_nullability_missing_from_this_crawl_is_a_warning() -> None:
    probed = {"probed": ["nullable"]}
    before = {
        "Notes": field(["string", "null"], also_declared=("nullable",), facts=probed)
    }
    after = {"Notes": field()}
    assert fields_changed(before, after) == [
        ("nullable-not-declared", "warning", "e", "Notes")
    ]


def test_a_crawl_without_probes_does_not_compare_probed_facts() -> None:
    probed = {"probed": ["nullable"]}
    before = {
        "Notes": field(["string", "null"], also_declared=("nullable",), facts=probed)
    }
    old = tree(endpoint("e", before, sources=["options", "probe", "samples"]))
    new = tree(endpoint("e", {"Notes": field()}, sources=["options", "samples"]))
    assert found(old, new) == [("probe-not-seen", "warning", "e", "")]


def test_blank_strings_refused_now_fail_writes() -> None:
    def probed(allowed: bool) -> dict[str, Any]:
        facts = {"allowBlank": allowed, "probed": ["allowBlank"]}
        return field(also_declared=("allowBlank",), facts=facts)

    assert fields_changed({"N": probed(True)}, {"N": probed(False)}) == [
        ("blank-no-longer-allowed", "error", "e", "N")
    ]
    assert fields_changed({"N": probed(False)}, {"N": probed(True)}) == [
        ("blank-allowed", "info", "e", "N")
    ]


def test_a_field_that_became_read_only_is_an_error() -> None:
    change = one(
        tree(endpoint("e", {"TotalPoints": field()})),
        tree(endpoint("e", {"TotalPoints": field(readOnly=True)})),
    )
    assert (change.rule, change.level, change.direction) == (
        "field-became-read-only",
        Level.ERROR,
        "both",
    )


def test_read_only_is_not_compared_when_the_endpoint_stops_taking_writes() -> None:
    before = tree(endpoint("e", {"Name": field()}))
    after = tree(endpoint("e", {"Name": field(readOnly=True)}, writable=False))
    rules = {rule for rule, *_ in found(before, after)}
    assert rules == {"method-removed"}


def test_write_required_gained_is_an_error_and_lost_is_info() -> None:
    optional, required = field(write_required=False), field(write_required=True)
    assert fields_changed({"N": optional}, {"N": required}) == [
        ("write-required-added", "error", "e", "N")
    ]
    assert fields_changed({"N": required}, {"N": optional}) == [
        ("write-required-removed", "info", "e", "N")
    ]
    assert fields_changed({"N": field(readOnly=True)}, {"N": required}) == [
        ("write-required-added", "error", "e", "N")
    ]
    assert fields_changed({"N": field(readOnly=True)}, {"N": optional}) == [
        ("field-became-writable", "info", "e", "N")
    ]


def choice(*values: str, **keywords: Any) -> dict[str, Any]:
    labels = [{"value": v, "label": v.title()} for v in values]
    return field(enum=list(values), facts={"choices": labels}, **keywords)


def test_a_choice_removed_is_an_error_for_a_field_partners_send() -> None:
    before, after = choice("shop", "franchise"), choice("shop")
    assert fields_changed({"T": before}, {"T": after}) == [
        ("enum-value-removed", "error", "e", "T")
    ]


def test_a_choice_removed_is_info_for_a_field_partners_only_receive() -> None:
    before = choice("shop", "franchise", readOnly=True)
    after = choice("shop", readOnly=True)
    assert fields_changed({"T": before}, {"T": after}) == [
        ("enum-value-removed", "info", "e", "T")
    ]
    readonly = fields_changed(
        {"T": choice("a", "b")}, {"T": choice("a")}, writable=False
    )
    assert readonly == [("enum-value-removed", "info", "e", "T")]


def test_a_choice_added_is_a_warning_both_ways() -> None:
    before, after = choice("cash", "card"), choice("cash", "card", "voucher")
    change = one(
        tree(endpoint("e", {"Kind": before})), tree(endpoint("e", {"Kind": after}))
    )
    assert (change.rule, change.level, change.message) == (
        "enum-value-added",
        Level.WARNING,
        "choices gain 'voucher'",
    )
    readonly = fields_changed({"K": before}, {"K": after}, writable=False)
    assert readonly == [("enum-value-added", "warning", "e", "K")]


def test_choices_declared_now_fail_writes_and_relabelled_choices_are_info() -> None:
    assert fields_changed({"T": field()}, {"T": choice("a")}) == [
        ("enum-added", "error", "e", "T")
    ]
    assert fields_changed({"T": choice("a")}, {"T": field()}) == [
        ("enum-removed", "info", "e", "T")
    ]
    relabelled = choice("a")
    relabelled["x-acebind"]["choices"][0]["label"] = "Another"
    assert fields_changed({"T": choice("a")}, {"T": relabelled}) == [
        ("choice-label-changed", "info", "e", "T")
    ]


def test_a_lower_maximum_length_is_an_error_for_writes_and_info_for_reads() -> None:
    before, after = field(maxLength=200), field(maxLength=120)
    change = one(
        tree(endpoint("e", {"Name": before})), tree(endpoint("e", {"Name": after}))
    )
    assert (change.rule, change.level, change.message) == (
        "max-length-lowered",
        Level.ERROR,
        "maximum length 200 becomes 120",
    )
    readonly = fields_changed({"N": before}, {"N": after}, writable=False)
    assert readonly == [("max-length-lowered", "info", "e", "N")]
    assert fields_changed({"N": after}, {"N": before}) == [
        ("max-length-raised", "info", "e", "N")
    ]
    assert fields_changed({"N": field()}, {"N": after}) == [
        ("max-length-lowered", "error", "e", "N")
    ]


def test_narrower_bounds_and_digits_fail_writes_and_wider_ones_are_info() -> None:
    def decimal(**facts: Any) -> dict[str, Any]:
        return field(format="decimal", facts=facts)

    before = decimal(maxDigits=12, decimalPlaces=4, minimum=0)
    after = decimal(maxDigits=10, decimalPlaces=4, minimum=1)
    assert fields_changed({"P": before}, {"P": after}) == [
        ("limits-narrowed", "error", "e", "P"),
        ("limits-narrowed", "error", "e", "P"),
    ]
    assert fields_changed({"P": after}, {"P": before}) == [
        ("limits-widened", "info", "e", "P"),
        ("limits-widened", "info", "e", "P"),
    ]
    assert fields_changed(
        {"N": field("integer")}, {"N": field("integer", maximum=9)}
    ) == [("limits-narrowed", "error", "e", "N")]


def test_observed_decimal_places_are_not_compared() -> None:
    before = field(format="decimal")
    before["x-acebind"]["decimalPlaces"] = 2
    after = copy.deepcopy(before)
    after["x-acebind"]["decimalPlaces"] = 3
    assert fields_changed({"P": before}, {"P": after}) == []


def test_labels_help_texts_and_record_names_changed() -> None:
    before = tree(endpoint("e", {"N": field(title="Name", description="Shown")}))
    after_entry, after_schema = endpoint(
        "e", {"N": field(title="Label", description="Kept")}
    )
    after_schema["title"] = "Renamed"
    assert found(before, tree((after_entry, after_schema))) == [
        ("record-title-changed", "warning", "e", ""),
        ("description-changed", "info", "e", "N"),
        ("label-changed", "info", "e", "N"),
    ]


def lines(**quantity: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """An endpoint with an array of nested line objects, like sales."""
    defs = {
        "Lines": {
            "type": "object",
            "properties": {
                "LineNo": field("integer", records=30, write_required=True),
                "Quantity": field(
                    "string",
                    records=30,
                    write_required=True,
                    format="decimal",
                    **quantity,
                ),
            },
            "required": ["LineNo", "Quantity"],
        }
    }
    array = field("array", write_required=True)
    array["items"] = {
        "$ref": "#/$defs/Lines",
        "x-acebind": {
            "declared": ["type"],
            "observed": {"records": 30, "present": 30, "nulls": 0},
        },
    }
    return endpoint("sales", {"SaleId": field("integer"), "Lines": array}, defs=defs)


def test_a_nested_field_is_named_by_a_pointer_through_its_reference() -> None:
    change = one(tree(lines()), tree(lines(facts={"decimalPlaces": 2})))
    assert change.pointer == "/properties/Lines/items/properties/Quantity"
    assert change.field == "Lines[].Quantity"
    assert (change.rule, change.level) == ("limits-narrowed", Level.ERROR)


def test_a_nested_field_of_a_read_only_array_is_only_received() -> None:
    entry, schema = lines(facts={"decimalPlaces": 2})
    schema["properties"]["Lines"]["readOnly"] = True
    old_entry, old_schema = lines()
    old_schema["properties"]["Lines"]["readOnly"] = True
    change = one(tree((old_entry, old_schema)), tree((entry, schema)))
    assert (change.direction, change.level) == ("response", Level.INFO)


def test_a_nullable_nested_object_is_looked_through() -> None:
    def wrapped(nulls: int) -> tuple[dict[str, Any], dict[str, Any]]:
        entry, schema = lines()
        array = schema["properties"].pop("Lines")
        nested = {
            "anyOf": [array["items"], {"type": "null"}],
            "x-acebind": array["x-acebind"],
        }
        nested["x-acebind"] = {
            **nested["x-acebind"],
            "observed": {"records": 10, "present": 10, "nulls": nulls},
        }
        schema["properties"]["Supplier"] = nested
        return entry, schema

    assert found(tree(wrapped(0)), tree(wrapped(2))) == [
        ("field-became-nullable", "error", "sales", "Supplier")
    ]


def test_array_elements_compare_their_type_and_choices() -> None:
    def barcodes(kind: str, *choices: str) -> dict[str, Any]:
        array = field("array", also_declared=("enum",) if choices else ())
        array["items"] = {"type": kind, **({"enum": list(choices)} if choices else {})}
        return array

    assert fields_changed({"B": barcodes("string")}, {"B": barcodes("integer")}) == [
        ("field-type-changed", "error", "e", "B[]")
    ]
    assert fields_changed(
        {"B": barcodes("string", "a", "b")}, {"B": barcodes("string", "a")}
    ) == [("enum-value-removed", "error", "e", "B[]")]


def test_pointers_escape_slashes_and_tildes() -> None:
    change = one(
        tree(endpoint("e", {"a/b~c": field(maxLength=5)})),
        tree(endpoint("e", {"a/b~c": field(maxLength=4)})),
    )
    assert change.pointer == "/properties/a~1b~0c"
    assert change.field == "a/b~c"
    assert escape("x/y") == "x~1y"
    assert field_name("/properties/A/additionalProperties/properties/B") == "A{}.B"


def test_no_record_sampled_now_is_one_warning_and_no_observed_comparison() -> None:
    before = {
        "Id": field("integer"),
        "Extra": field(declared=False),
        "N": field(nulls=2),
    }
    after = {
        "Id": field("integer", records=None),
        "N": field(records=None, facts={"unknown": ["nullable", "presence"]}),
    }
    old = tree(endpoint("e", before))
    new = tree(endpoint("e", after, records=0, required=[], detail=None))
    assert found(old, new) == [
        ("detail-not-seen", "warning", "e", ""),
        ("records-not-seen", "warning", "e", ""),
    ]


def test_options_declaring_nothing_now_does_not_make_every_field_read_only() -> None:
    before = {"Id": field("integer"), "Name": field(maxLength=5)}
    after = {
        "Id": field("integer", declared=False, readOnly=True),
        "Name": field(declared=False, readOnly=True),
    }
    assert fields_changed(before, after) == [
        ("declarations-not-seen", "warning", "e", "")
    ]


def test_methods_detail_and_kind_changes() -> None:
    base = endpoint("e", {"Id": field("integer")})
    no_post = copy.deepcopy(base)
    no_post[0]["methods"].remove("POST")
    assert found(tree(base), tree(no_post)) == [("method-removed", "error", "e", "")]
    assert found(tree(no_post), tree(base)) == [("method-added", "info", "e", "")]
    no_detail = copy.deepcopy(base)
    no_detail[0]["detail"] = None
    assert found(tree(base), tree(no_detail)) == [("detail-removed", "error", "e", "")]
    moved = copy.deepcopy(base)
    moved[0]["detail"]["key"], moved[0]["detail"]["path"] = "Code", "e/{Code}/"
    assert found(tree(base), tree(moved)) == [("detail-changed", "error", "e", "")]
    unread = copy.deepcopy(base)
    unread[0]["kind"] = "unknown"
    assert found(tree(base), tree((unread[0], {}))) == [
        ("endpoint-not-read", "warning", "e", "")
    ]
    relocated = copy.deepcopy(base)
    relocated[0]["path"] = "v2/e/"
    assert found(tree(base), tree(relocated)) == [
        ("endpoint-path-changed", "error", "e", "")
    ]


def test_pagination_and_page_size_changes() -> None:
    base = endpoint("e", {"Id": field("integer")})
    styled = copy.deepcopy(base)
    styled[0]["pagination"] = {"style": "limit-offset"}
    assert found(tree(base), tree(styled)) == [("pagination-changed", "error", "e", "")]
    sizes = copy.deepcopy(base)
    sizes[0]["pagination"]["pageSize"].update({"max": 50, "default": None})
    assert found(tree(base), tree(sizes)) == [
        ("page-size-limit-changed", "warning", "e", ""),
        ("page-size-limit-not-seen", "info", "e", ""),
    ]
    assert found(tree(sizes), tree(base)) == [
        ("page-size-limit-changed", "warning", "e", "")
    ]


def test_filters_proven_ignored_are_errors_and_unproven_ones_warnings() -> None:
    base = endpoint(
        "e", {"Id": field("integer")}, filters={"store": True, "synccounter": True}
    )
    changed = copy.deepcopy(base)
    changed[0]["filters"] = {"store": False, "synccounter": None}
    assert found(tree(base), tree(changed)) == [
        ("filter-not-proven", "warning", "e", ""),
        ("filter-removed", "error", "e", ""),
    ]
    assert found(tree(changed), tree(base)) == [
        ("filter-added", "info", "e", ""),
        ("filter-added", "info", "e", ""),
    ]


def test_search_arguments_gone_are_errors_unless_the_page_was_not_read() -> None:
    base = endpoint("e", {"Id": field("integer")}, search=["Code", "Name"])
    fewer = copy.deepcopy(base)
    fewer[0]["search"] = ["Code"]
    assert found(tree(base), tree(fewer)) == [("search-removed", "error", "e", "")]
    unread = copy.deepcopy(fewer)
    unread[0]["sources"] = ["options", "samples"]
    assert found(tree(base), tree(unread)) == [("search-not-seen", "warning", "e", "")]
    assert found(tree(fewer), tree(base)) == [("search-added", "info", "e", "")]
    acting = copy.deepcopy(base)
    acting[0]["actions"] = [{"name": "Export", "path": "e/export/"}]
    assert found(tree(acting), tree(base)) == [("action-removed", "error", "e", "")]
    assert found(tree(base), tree(acting)) == [("action-added", "info", "e", "")]


def test_every_rule_has_a_level_for_what_partners_receive() -> None:
    assert all(isinstance(rule.level, Level) for rule in RULES.values())
    assert all(rule.id == key for key, rule in RULES.items())
    stricter = [
        r.id for r in RULES.values() if r.request and r.request.rank < r.level.rank
    ]
    assert stricter == []


def test_changes_serialise_to_json() -> None:
    change = one(
        tree(endpoint("e", {"N": field(maxLength=5)})),
        tree(endpoint("e", {"N": field(maxLength=4)})),
    )
    assert json.loads(json.dumps(change.to_json())) == {
        "direction": "both",
        "endpoint": "e",
        "field": "N",
        "level": "error",
        "message": "maximum length 5 becomes 4",
        "pointer": "/properties/N",
        "rule": "max-length-lowered",
    }


def test_each_field_of_the_demo_removed_alone_is_one_change_at_its_pointer() -> None:
    demo = read_tree(REPO / "schemas" / "demo")
    for entry in demo.endpoints:
        schema = demo.schemas.get(entry["name"])
        if schema is None:
            continue
        old = tree((entry, schema))
        for name in schema["properties"]:
            fewer = copy.deepcopy(schema)
            del fewer["properties"][name]
            fewer["required"] = [r for r in fewer.get("required", []) if r != name]
            change = one(old, tree((entry, fewer)))
            assert change.pointer == f"/properties/{escape(name)}"
            assert change.rule in {"field-removed", "field-not-seen"}
            assert change.level is (
                Level.ERROR if change.rule == "field-removed" else Level.WARNING
            )
