"""``acebind check demo`` against real sandboxes: version 2 shows exactly the
changes sandbox/README.md lists, version 1 shows none."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.drift.reports import REPORT_SCHEMA
from tests.conftest import Sandbox, SandboxStarter

REPO = Path(__file__).resolve().parents[2]
SCHEMAS, GENERATED = REPO / "schemas" / "demo", REPO / "generated" / "demo"
CREDENTIALS = {
    "ACEBIND_DEMO_USERNAME": "demo-api",
    "ACEBIND_DEMO_PASSWORD": "demo-pass",
}

# sandbox/README.md, "API version 2": its eleven changes in the report's order
# (endpoint, then pointer), each with its level and the reason for it.
EXPECTED = [
    # 4: every upsert without the new field is refused now.
    ("required-field-added", "error", "customers", "CountryCode"),
    # 10: names of 121 to 200 characters that partners send are refused now.
    ("max-length-lowered", "error", "customers", "OrganizationName"),
    # 11: the server silently drops what partners send.
    ("field-became-read-only", "error", "customers", "TotalPoints"),
    # 3: optional and new: nothing breaks; regenerated bindings gain it.
    ("field-added", "info", "items", "ShortDescription"),
    # 8: a value partners receive and have not seen; generated enums are open
    # and keep it, so only code that treats the choices as closed may break.
    ("enum-value-added", "warning", "paymenttypes", "Kind"),
    # 1: one more endpoint breaks nobody.
    ("endpoint-added", "info", "promotions", ""),
    # 7: the bindings type CustomerId as int: a null breaks decoding.
    ("field-became-nullable", "error", "sales", "CustomerId"),
    # 2: every call to it is 404 now.
    ("endpoint-removed", "error", "stockmovements", ""),
    # 9: StoreType is written: partners sending "franchise" are refused.
    ("enum-value-removed", "error", "stores", "StoreType"),
    # 5: the bindings expect Fax in every record; a Fax sent is dropped.
    ("field-removed", "error", "suppliers", "Fax"),
    # 6: the bindings decode an integer and receive "6.000".
    ("field-type-changed", "error", "units", "Factor"),
]


@dataclass(frozen=True)
class Checked:
    result: Result
    reports: dict[str, str]  # format -> report text

    @property
    def data(self) -> dict[str, object]:
        loaded: dict[str, object] = json.loads(self.reports["json"])
        return loaded


def check(
    root: str, folder: Path, *options: str, password: str = "demo-pass"
) -> Checked:
    """``acebind check demo`` with the report in every format at once."""
    files = {name: folder / f"report.{name}" for name in ("text", "markdown", "github")}
    args = ["check", "demo", "--url", root, "-q", "--format", "json"]
    args += [f"--report={name}={path}" for name, path in files.items()]
    if "--schemas" not in options:
        args += ["--schemas", str(SCHEMAS), "--generated", str(GENERATED)]
    env = {**CREDENTIALS, "ACEBIND_DEMO_PASSWORD": password}
    result = CliRunner().invoke(
        main, [*args, *options], env=env, catch_exceptions=False
    )
    reports = {name: path.read_text() for name, path in files.items() if path.exists()}
    return Checked(result, {"json": result.stdout, **reports})


@pytest.fixture(scope="module")
def v2(sandbox_launcher: SandboxStarter) -> Iterator[Sandbox]:
    with sandbox_launcher("--api-version", "2") as running:
        yield running


@pytest.fixture(scope="module")
def v2_checked(v2: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return check(v2.root, tmp_path_factory.mktemp("v2-reports"))


@pytest.fixture(scope="module")
def v1_checked(
    sandbox_launcher: SandboxStarter, tmp_path_factory: pytest.TempPathFactory
) -> Checked:
    # A sandbox of its own: other tests write records to the shared one, and
    # the committed schemas describe a freshly seeded environment.
    with sandbox_launcher() as fresh:
        return check(fresh.root, tmp_path_factory.mktemp("v1-reports"))


def listed(checked: Checked) -> list[tuple[str, str, str, str]]:
    changes = checked.data["changes"]
    assert isinstance(changes, list)
    return [(c["rule"], c["level"], c["endpoint"], c["field"]) for c in changes]


def test_version_2_reports_exactly_the_documented_changes(v2_checked: Checked) -> None:
    assert v2_checked.result.exit_code == 1
    assert listed(v2_checked) == EXPECTED
    jsonschema.validate(v2_checked.data, REPORT_SCHEMA)


def test_version_2_in_text(v2_checked: Checked) -> None:
    lines = v2_checked.reports["text"].splitlines()
    assert lines[0] == (
        "Drift: the environment demo against "
        f"{SCHEMAS}: 11 change(s), 8 error(s), 1 warning(s), 2 info."
    )
    shown = [line.split() for line in lines[1:12]]
    assert [(words[0], words[1], words[-1]) for words in shown] == [
        (level, endpoint, f"[{rule}]") for rule, level, endpoint, _ in EXPECTED
    ]


def test_version_2_in_markdown(v2_checked: Checked) -> None:
    rows = [
        [cell.strip() for cell in line.strip("|").split(" | ")]
        for line in v2_checked.reports["markdown"].splitlines()
        if line.startswith("| **")
    ]
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        (f"**{level}**", f"`{endpoint}`", f"`{name}`" if name else "", f"`{rule}`")
        for rule, level, endpoint, name in EXPECTED
    ]


def test_version_2_as_workflow_annotations(v2_checked: Checked) -> None:
    commands = {"error": "::error", "warning": "::warning", "info": "::notice"}
    lines = v2_checked.reports["github"].splitlines()[:11]
    assert [line.split(" ", 1)[0] for line in lines] == [
        commands[level] for _, level, _, _ in EXPECTED
    ]
    assert [line.split("(", 1)[1].split(")", 1)[0] for line in lines] == [
        rule for rule, *_ in EXPECTED
    ]


def test_version_1_reports_nothing(v1_checked: Checked) -> None:
    assert v1_checked.data["changes"] == []
    summary = v1_checked.data["summary"]
    assert isinstance(summary, dict)
    assert summary["schemasIdentical"] is True
    assert v1_checked.reports["text"].startswith("No drift: the environment demo")
    assert "| **" not in v1_checked.reports["markdown"]
    assert not v1_checked.reports["github"].startswith("::")


def test_version_1_exits_0_with_the_committed_bindings_fresh(
    v1_checked: Checked,
) -> None:
    assert v1_checked.data["bindings"] == {
        "path": str(GENERATED),
        "stale": False,
        "files": [],
    }
    assert v1_checked.result.exit_code == 0


def test_stale_bindings_are_reported_apart_from_the_environment(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    generated = tmp_path / "generated"
    shutil.copytree(GENERATED, generated)
    module = generated / "storesace_demo" / "client.py"
    module.write_text(module.read_text() + "# edited by hand\n")
    checked = check(
        sandbox.root, tmp_path, "--schemas", str(SCHEMAS), "--generated", str(generated)
    )
    assert checked.result.exit_code == 1
    assert checked.data["changes"] == []
    assert checked.data["bindings"] == {
        "path": str(generated),
        "stale": True,
        "files": ["storesace_demo/client.py"],
    }
    text = checked.reports["text"].splitlines()
    assert text[0].startswith("No drift: the environment demo")
    assert text[1].startswith(f"Bindings {generated} are stale")


def test_update_accepts_the_drift_and_prints_a_changelog_entry(
    v2: Sandbox, tmp_path: Path
) -> None:
    schemas, generated = tmp_path / "schemas", tmp_path / "generated"
    shutil.copytree(SCHEMAS, schemas)
    shutil.copytree(GENERATED, generated)
    own = ["--schemas", str(schemas), "--generated", str(generated)]
    updated = check(v2.root, tmp_path, *own, "--update")
    assert updated.result.exit_code == 1  # what was found, now accepted
    entry = updated.data["changelog"]
    assert isinstance(entry, str)
    assert entry.startswith("### demo: API drift accepted")
    assert entry.count("\n- ") == 11
    assert "### demo: API drift accepted" in updated.reports["markdown"]
    assert (schemas / "endpoints" / "promotions.json").is_file()
    assert not (schemas / "endpoints" / "stockmovements.json").exists()
    assert (generated / "storesace_demo" / "endpoints" / "promotions.py").is_file()

    again = check(v2.root, tmp_path, *own, "--update")
    assert again.result.exit_code == 0
    assert again.data["changes"] == []
    assert "changelog" not in again.data
    assert "nothing to update" in again.result.stderr


def test_a_crawl_that_fails_exits_3(sandbox: Sandbox, tmp_path: Path) -> None:
    checked = check(sandbox.root, tmp_path, password="wrong")
    assert checked.result.exit_code == 3
    assert "wrong" not in checked.result.output


def test_missing_committed_schemas_are_a_usage_error(tmp_path: Path) -> None:
    args = ["--schemas", str(tmp_path / "none"), "--generated", str(GENERATED)]
    checked = check("http://127.0.0.1:9/demo/api/", tmp_path, *args)
    assert checked.result.exit_code == 2
    assert "is missing" in checked.result.stderr


def test_a_bad_drift_section_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "acebind.toml"
    config.write_text(
        '[environments.demo]\nurl = "http://127.0.0.1:9/demo/api/"\n'
        '[environments.demo.drift]\nignore-rules = ["no-such-rule"]\n'
    )
    checked = check("http://127.0.0.1:9/demo/api/", tmp_path, "--config", str(config))
    assert checked.result.exit_code == 2
    assert "no drift rule 'no-such-rule'" in checked.result.stderr
