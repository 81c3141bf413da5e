"""Drift reports in four formats, and the verdict.

* ``text``: one line per change, the level in colour on a terminal;
* ``markdown``: for a pull-request comment or a workflow step summary;
* ``json``: for machines, the object :data:`REPORT_SCHEMA` describes;
* ``github``: workflow commands (``::error file=...::``), one per change.

Names, values and labels in messages come from the server: every format
cleans them of control characters, and markdown and workflow commands escape
what would change their meaning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import click

from generator.drift.changes import Change
from generator.drift.rules import Level

FORMATS = ("text", "markdown", "json", "github")
FAIL_ON = ("error", "warning", "info", "never")
REPORT_FORMAT = 1
MAX_TEXT = 300
COLOURS = {Level.ERROR: "red", Level.WARNING: "yellow", Level.INFO: "cyan"}
ANNOTATIONS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}

_CHANGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "rule",
        "level",
        "endpoint",
        "pointer",
        "field",
        "direction",
        "message",
    ],
    "additionalProperties": False,
    "properties": {
        "rule": {"type": "string", "description": "stable rule id"},
        "level": {"enum": ["error", "warning", "info"]},
        "endpoint": {"type": "string"},
        "pointer": {
            "type": "string",
            "description": "RFC 6901 pointer into the record schema, $refs "
            "followed; empty for the endpoint as a whole",
        },
        "field": {"type": "string", "description": "the pointer as people read it"},
        "direction": {
            "enum": ["both", "response", None],
            "description": "both: partners send and receive the field; "
            "null: an endpoint-wide change",
        },
        "message": {"type": "string"},
    },
}
REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "acebind drift report",
    "type": "object",
    "required": [
        "format",
        "command",
        "environment",
        "old",
        "new",
        "changes",
        "bindings",
        "summary",
    ],
    "additionalProperties": False,
    "properties": {
        "format": {"const": REPORT_FORMAT},
        "command": {"enum": ["check", "diff"]},
        "environment": {"type": ["string", "null"]},
        "old": {"type": "string", "description": "the committed (old) tree"},
        "new": {"type": "string", "description": "the crawl (new tree)"},
        "changes": {"type": "array", "items": _CHANGE_SCHEMA},
        "bindings": {
            "description": "check only: the committed bindings against a "
            "regeneration from the committed schemas",
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["path", "stale", "files"],
                    "additionalProperties": False,
                    "properties": {
                        "path": {"type": "string"},
                        "stale": {"type": "boolean"},
                        "files": {"type": "array", "items": {"type": "string"}},
                    },
                },
            ],
        },
        "summary": {
            "type": "object",
            "required": [
                "changes",
                "error",
                "warning",
                "info",
                "schemasIdentical",
                "bindingsStale",
                "failOn",
                "failed",
            ],
            "additionalProperties": False,
            "properties": {
                "changes": {"type": "integer", "minimum": 0},
                "error": {"type": "integer", "minimum": 0},
                "warning": {"type": "integer", "minimum": 0},
                "info": {"type": "integer", "minimum": 0},
                "schemasIdentical": {
                    "type": "boolean",
                    "description": "the trees are equal, sampled counts included",
                },
                "bindingsStale": {"type": "boolean"},
                "failOn": {"enum": list(FAIL_ON)},
                "failed": {
                    "type": "boolean",
                    "description": "changes at or above failOn, or stale bindings",
                },
            },
        },
        "changelog": {
            "type": "string",
            "description": "with --update: the changelog entry (markdown)",
        },
    },
}


@dataclass(frozen=True)
class Bindings:
    """The committed bindings against a regeneration from the committed schemas."""

    path: str
    files: list[str]  # generated files that differ, added or missing
    diff: str = ""

    @property
    def stale(self) -> bool:
        return bool(self.files)


@dataclass(frozen=True)
class Report:
    command: str  # "check" or "diff"
    environment: str | None
    old: str
    new: str
    changes: list[Change]
    identical: bool
    fail_on: str = "error"
    bindings: Bindings | None = None
    files: dict[str, str] = field(default_factory=dict)  # endpoint -> its file
    index_file: str | None = None

    def count(self, level: Level) -> int:
        return sum(1 for change in self.changes if change.level is level)

    @property
    def failed(self) -> bool:
        return failed(self.changes, self.bindings, self.fail_on)


def failed(changes: list[Change], bindings: Bindings | None, fail_on: str) -> bool:
    """Changes at or above ``fail_on``, or stale bindings; never with "never"."""
    if fail_on == "never":
        return False
    threshold = Level(fail_on).rank
    stale = bindings is not None and bindings.stale
    return stale or any(change.level.rank >= threshold for change in changes)


def clean(text: Any, limit: int = MAX_TEXT) -> str:
    """Server text fit for one line: printable characters, bounded."""
    value = "".join(c if c.isprintable() else " " for c in str(text))
    return value if len(value) <= limit else value[: limit - 3] + "..."


def counts(report: Report) -> str:
    parts = [
        f"{report.count(level)} {name}"
        for level, name in (
            (Level.ERROR, "error(s)"),
            (Level.WARNING, "warning(s)"),
            (Level.INFO, "info"),
        )
    ]
    return ", ".join(parts)


def headline(report: Report) -> str:
    """What the changes amount to, in one sentence."""
    if report.command == "check":
        subject = f"the environment {report.environment} against {report.old}"
    else:
        subject = f"{report.new} against {report.old}"
    if not report.changes:
        tail = (
            "" if report.identical else " (only sampled counts or learned facts differ)"
        )
        return f"No drift: {subject}{tail}."
    return f"Drift: {subject}: {len(report.changes)} change(s), {counts(report)}."


def bindings_line(bindings: Bindings) -> str:
    if not bindings.stale:
        return f"Bindings {bindings.path} match the committed schemas."
    shown = ", ".join(bindings.files[:5]) + (", ..." if len(bindings.files) > 5 else "")
    return (
        f"Bindings {bindings.path} are stale against the committed schemas: "
        f"{len(bindings.files)} file(s) differ ({shown})."
    )


def render(report: Report, output_format: str, color: bool = False) -> str:
    if output_format == "json":
        return render_json(report)
    if output_format == "markdown":
        return render_markdown(report)
    if output_format == "github":
        return render_github(report)
    return render_text(report, color)


def to_json(report: Report) -> dict[str, Any]:
    bindings = report.bindings
    return {
        "format": REPORT_FORMAT,
        "command": report.command,
        "environment": report.environment,
        "old": report.old,
        "new": report.new,
        "changes": [change.to_json() for change in report.changes],
        "bindings": None
        if bindings is None
        else {"path": bindings.path, "stale": bindings.stale, "files": bindings.files},
        "summary": {
            "changes": len(report.changes),
            "error": report.count(Level.ERROR),
            "warning": report.count(Level.WARNING),
            "info": report.count(Level.INFO),
            "schemasIdentical": report.identical,
            "bindingsStale": bindings is not None and bindings.stale,
            "failOn": report.fail_on,
            "failed": report.failed,
        },
    }


def render_json(report: Report, changelog: str | None = None) -> str:
    data = to_json(report)
    if changelog is not None:
        data["changelog"] = changelog
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_text(report: Report, color: bool = False) -> str:
    lines = [clean(headline(report))]
    width = max((len(clean(c.endpoint)) for c in report.changes), default=0)
    for change in report.changes:
        level = f"{change.level.value:<7}"
        if color:
            level = click.style(level, fg=COLOURS[change.level], bold=True)
        where = clean(change.endpoint).ljust(width)
        name = clean(change.field)
        text = f"{name}: {clean(change.message)}" if name else clean(change.message)
        lines.append(f"  {level} {where}  {text}  [{change.rule}]")
    if report.bindings is not None:
        lines.append(clean(bindings_line(report.bindings)))
        if report.bindings.diff:
            lines.append(report.bindings.diff)

    return "\n".join(lines) + "\n"


def md(text: Any) -> str:
    """Server text inside a markdown table cell: inert, one line."""
    value = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for special in "\\`*_[]|#!~":
        value = value.replace(special, "\\" + special)
    return value.replace("@", "&#64;")


def code(text: Any) -> str:
    value = clean(text).replace("`", "'").replace("|", "\\|")
    return f"`{value}`" if value else ""


def render_markdown(report: Report) -> str:
    title = (
        f"acebind check: {md(report.environment)}"
        if report.command == "check"
        else f"acebind diff: {md(report.old)} → {md(report.new)}"
    )
    lines = [f"### {title}", "", md(headline(report)), ""]
    if report.changes:
        lines += [
            "| level | endpoint | field | change | rule |",
            "|---|---|---|---|---|",
        ]
        for change in report.changes:
            lines.append(
                f"| **{change.level.value}** | {code(change.endpoint)} | "
                f"{code(change.field)} | {md(change.message)} | {code(change.rule)} |"
            )
        lines.append("")
    if report.bindings is not None:
        lines += [md(bindings_line(report.bindings)), ""]

    return "\n".join(lines)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    lines = []
    for change in report.changes:
        where = " ".join(x for x in (clean(change.endpoint), clean(change.field)) if x)
        props = [f"title={_property(f'acebind drift: {where} ({change.rule})')}"]
        file = report.files.get(change.endpoint) or report.index_file
        if file:
            props.insert(0, f"file={_property(file)}")
        command = ANNOTATIONS[change.level]
        lines.append(f"::{command} {','.join(props)}::{_data(clean(change.message))}")
    bindings = report.bindings
    if bindings is not None and bindings.stale:
        title = _property(f"acebind: {bindings.path} is stale")
        lines.append(f"::error title={title}::{_data(clean(bindings_line(bindings)))}")
    lines.append(clean(headline(report)))

    return "\n".join(lines) + "\n"


def changelog(report: Report, schemas: str, bindings: str) -> str:
    """The changelog entry of an accepted drift (``check --update``)."""
    lines = [
        f"### {md(report.environment)}: API drift accepted",
        "",
        f"`{schemas}` re-crawled and `{bindings}` regenerated: "
        f"{len(report.changes)} change(s), {counts(report)}.",
        "",
    ]
    for level in (Level.ERROR, Level.WARNING, Level.INFO):
        for change in report.changes:
            if change.level is level:
                where = " ".join(
                    x for x in (code(change.endpoint), code(change.field)) if x
                )
                lines.append(
                    f"- {level.value}: {where}: {md(change.message)} "
                    f"({code(change.rule)})"
                )
    if report.bindings is not None and report.bindings.stale:
        lines.append(
            f"- the committed bindings were stale: {md(bindings_line(report.bindings))}"
        )

    return "\n".join(lines) + "\n"
