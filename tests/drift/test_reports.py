"""The four report formats, the documented JSON object, and the verdict."""

from __future__ import annotations

import json

import jsonschema
import pytest

from generator.drift.changes import Change
from generator.drift.reports import (
    REPORT_SCHEMA,
    Bindings,
    Report,
    changelog,
    failed,
    render,
    render_json,
)
from generator.drift.rules import Level

CHANGES = [
    Change("endpoint-removed", Level.ERROR, "stockmovements", "", "gone", None),
    Change(
        "enum-value-added",
        Level.WARNING,
        "paymenttypes",
        "/properties/Kind",
        "choices gain 'voucher'",
        "both",
    ),
    Change(
        "field-added",
        Level.INFO,
        "items",
        "/properties/ShortDescription",
        "new field",
        "both",
    ),
]
# A server names fields and choices: nothing it says may steer a report.
HOSTILE = Change(
    "enum-value-added",
    Level.ERROR,
    "a|b`c",
    "/properties/x~1y",
    "choices gain '<img src=x>' @team **bold** 100%\n::error::forged\x1b[31m",
    "both",
)


def report(
    *changes: Change, bindings: Bindings | None = None, **options: str
) -> Report:
    return Report(
        "check",
        "demo",
        "schemas/demo",
        "demo (live)",
        list(changes),
        identical=not changes,
        bindings=bindings,
        files={"paymenttypes": "schemas/demo/endpoints/paymenttypes.json"},
        index_file="schemas/demo/index.json",
        **options,
    )


def test_the_json_report_follows_its_documented_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(REPORT_SCHEMA)
    for shown in (
        report(*CHANGES, bindings=Bindings("generated/demo", [".acebind-stamp"])),
        report(),
        report(HOSTILE),
    ):
        jsonschema.validate(json.loads(render(shown, "json")), REPORT_SCHEMA)


def test_the_json_report_lists_changes_and_sums_them_up() -> None:
    data = json.loads(render(report(*CHANGES, bindings=Bindings("g", [])), "json"))
    assert [c["rule"] for c in data["changes"]] == [c.rule for c in CHANGES]
    assert data["changes"][1] == {
        "direction": "both",
        "endpoint": "paymenttypes",
        "field": "Kind",
        "level": "warning",
        "message": "choices gain 'voucher'",
        "pointer": "/properties/Kind",
        "rule": "enum-value-added",
    }
    assert data["summary"] == {
        "changes": 3,
        "error": 1,
        "warning": 1,
        "info": 1,
        "schemasIdentical": False,
        "bindingsStale": False,
        "failOn": "error",
        "failed": True,
    }
    assert data["bindings"] == {"path": "g", "stale": False, "files": []}


def test_the_json_report_carries_the_changelog_of_an_update() -> None:
    data = json.loads(render_json(report(*CHANGES), changelog="### entry\n"))
    assert data["changelog"] == "### entry\n"
    jsonschema.validate(data, REPORT_SCHEMA)


def test_markdown_is_a_table_with_one_row_per_change() -> None:
    text = render(report(*CHANGES, bindings=Bindings("generated/demo", [])), "markdown")
    rows = [line for line in text.splitlines() if line.startswith("| **")]
    assert len(rows) == 3
    assert rows[1] == (
        "| **warning** | `paymenttypes` | `Kind` | choices gain 'voucher' | "
        "`enum-value-added` |"
    )
    assert text.startswith("### acebind check: demo\n")
    assert "Bindings generated/demo match the committed schemas." in text


def test_markdown_keeps_server_text_inert() -> None:
    text = render(report(HOSTILE), "markdown")
    row = next(line for line in text.splitlines() if line.startswith("| **"))
    assert row.count(" | ") == 4  # no pipe of the server's opens a cell
    assert "<img" not in row
    assert "@team" not in row
    assert "**bold**" not in row
    assert "\x1b" not in text
    assert "`a\\|b'c`" in row


def test_github_annotations_one_per_change_at_its_level() -> None:
    lines = render(report(*CHANGES), "github").splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:3]] == [
        "::error",
        "::warning",
        "::notice",
    ]
    assert lines[1] == (
        "::warning file=schemas/demo/endpoints/paymenttypes.json,"
        "title=acebind drift%3A paymenttypes Kind (enum-value-added)"
        "::choices gain 'voucher'"
    )
    assert lines[0].startswith("::error file=schemas/demo/index.json,")
    assert lines[-1].startswith("Drift: ")


def test_github_annotations_cannot_be_forged_by_server_text() -> None:
    lines = render(report(HOSTILE), "github").splitlines()
    assert len(lines) == 2  # the annotation and the headline: no forged line
    assert lines[0].startswith("::error file=")
    assert "%25" in lines[0]  # the server's "%" is escaped
    assert "\x1b" not in lines[0]


def test_stale_bindings_are_a_finding_of_their_own() -> None:
    bindings = Bindings("generated/demo", [".acebind-stamp", "pkg/a.py"], "--- diff")
    shown = report(bindings=bindings)
    text = render(shown, "text")
    assert (
        text.splitlines()[0] == "No drift: the environment demo against schemas/demo."
    )
    assert "Bindings generated/demo are stale" in text
    assert "--- diff" in text
    assert "::error title=acebind%3A generated/demo is stale::" in render(
        shown, "github"
    )
    assert shown.failed


def test_text_has_colour_only_when_asked() -> None:
    plain = render(report(*CHANGES), "text")
    coloured = render(report(*CHANGES), "text", color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31m" in coloured
    assert "  error   stockmovements  gone  [endpoint-removed]" in plain
    assert "\x1b[31m" not in render(report(HOSTILE), "text")


@pytest.mark.parametrize(
    ("fail_on", "levels", "verdict"),
    [
        ("error", [Level.WARNING, Level.INFO], False),
        ("error", [Level.ERROR], True),
        ("warning", [Level.WARNING], True),
        ("warning", [Level.INFO], False),
        ("info", [Level.INFO], True),
        ("info", [], False),
        ("never", [Level.ERROR], False),
    ],
)
def test_the_verdict_follows_fail_on(
    fail_on: str, levels: list[Level], verdict: bool
) -> None:
    changes = [Change("r", level, "e", "", "m") for level in levels]
    assert failed(changes, None, fail_on) is verdict


def test_stale_bindings_fail_at_every_level_but_never() -> None:
    stale = Bindings("g", ["x"])
    assert failed([], stale, "error")
    assert not failed([], stale, "never")
    assert not failed([], Bindings("g", []), "info")


def test_a_changelog_entry_lists_every_change_by_level() -> None:
    entry = changelog(report(*reversed(CHANGES)), "schemas/demo", "generated/demo")
    lines = entry.splitlines()
    assert lines[0] == "### demo: API drift accepted"
    bullets = [line for line in lines if line.startswith("- ")]
    assert [bullet.split(":", 1)[0] for bullet in bullets] == [
        "- error",
        "- warning",
        "- info",
    ]
    assert "`schemas/demo` re-crawled and `generated/demo` regenerated" in entry
