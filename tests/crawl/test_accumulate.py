"""Observations accumulate: nulls once seen stay, contradicted formats stay dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from generator.cli import main
from generator.crawl.accumulate import accumulate
from generator.schema.tree import read_tree
from tests.conftest import Sandbox


def field(kind: Any, present: int, nulls: int, **extra: Any) -> dict[str, Any]:
    observed = {"records": 10, "present": present, "nulls": nulls}
    return {"type": kind, **extra, "x-acebind": {"observed": observed}}


def record(**properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "x-acebind": {"records": 10}}


def test_a_null_once_seen_keeps_the_field_nullable() -> None:
    new = record(Note=field("string", 10, 0))
    accumulate(new, record(Note=field(["string", "null"], 10, 3)))
    assert new["properties"]["Note"]["type"] == ["string", "null"]
    assert new["properties"]["Note"]["x-acebind"]["observed"] == {
        "records": 20,
        "present": 20,
        "nulls": 3,
    }
    assert new["x-acebind"]["records"] == 20


def test_a_format_once_contradicted_stays_dropped() -> None:
    new = record(Code=field("string", 10, 0, format="date"))
    accumulate(new, record(Code=field("string", 10, 0)))
    assert "format" not in new["properties"]["Code"]


def test_a_declared_format_is_never_dropped() -> None:
    declared = field("string", 10, 0, format="date")
    declared["x-acebind"]["declared"] = ["format"]
    new = record(When=declared)
    accumulate(new, record(When=field("string", 10, 0)))
    assert new["properties"]["When"]["format"] == "date"


def test_presence_counts_over_every_crawl() -> None:
    new = record(Extra=field("string", 10, 0))
    new["required"] = ["Extra"]
    accumulate(new, record(Extra=field("string", 4, 0)))
    assert "required" not in new


def test_crawls_with_accumulate_add_their_counts(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "demo"
    env = {"ACEBIND_DEMO_USERNAME": "demo-api", "ACEBIND_DEMO_PASSWORD": "demo-pass"}
    args = [
        "crawl",
        "demo",
        "--url",
        sandbox.root,
        "--out",
        str(out),
        "-q",
        "--no-published-schema",
    ]
    assert CliRunner().invoke(main, args, env=env).exit_code == 0
    once = read_tree(out).schemas["stores"]["x-acebind"]["records"]
    again = CliRunner().invoke(main, [*args, "--accumulate"], env=env)
    assert again.exit_code == 0, again.output
    assert read_tree(out).schemas["stores"]["x-acebind"]["records"] == 2 * once
