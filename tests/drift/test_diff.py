"""``acebind diff OLD NEW`` on folders and on ``REV:path`` of a git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "schemas" / "demo"


def acebind(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def edited(target: Path, change: Any) -> Path:
    """A copy of schemas/demo with the customers schema passed through ``change``."""
    shutil.copytree(DEMO, target)
    path = target / "endpoints" / "customers.json"
    schema = json.loads(path.read_text())
    change(schema)
    path.write_text(json.dumps(schema, indent=2) + "\n")
    return target


def shorter_names(schema: dict[str, Any]) -> None:
    schema["properties"]["OrganizationName"]["maxLength"] = 120


def test_identical_folders_have_no_drift() -> None:
    result = acebind("diff", str(DEMO), str(DEMO))
    assert result.exit_code == 0
    assert result.output.startswith("No drift: ")


def test_a_changed_folder_reports_the_change_and_exits_1(tmp_path: Path) -> None:
    new = edited(tmp_path / "new", shorter_names)
    result = acebind("diff", str(DEMO), str(new), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [
        (c["rule"], c["level"], c["endpoint"], c["field"]) for c in data["changes"]
    ] == [("max-length-lowered", "error", "customers", "OrganizationName")]
    assert data["command"] == "diff"
    assert data["bindings"] is None


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("error", 1), ("info", 1)])
def test_fail_on_decides_the_exit_code(tmp_path: Path, fail_on: str, code: int) -> None:
    new = edited(tmp_path / "new", shorter_names)
    assert acebind("diff", str(DEMO), str(new), "--fail-on", fail_on).exit_code == code


def sampled_nulls(count: int) -> Any:
    """Telephone's nullability as samples alone tell it (no probe)."""

    def change(schema: dict[str, Any]) -> None:
        prop = schema["properties"]["Telephone"]
        meta = prop["x-acebind"]
        meta.pop("probed", None)
        meta["declared"] = [fact for fact in meta["declared"] if fact != "nullable"]
        meta["observed"]["nulls"] = count
        prop["type"] = ["string", "null"] if count else "string"

    return change


def test_a_warning_fails_only_from_fail_on_warning(tmp_path: Path) -> None:
    old = edited(tmp_path / "old", sampled_nulls(3))
    new = edited(tmp_path / "new", sampled_nulls(0))
    assert acebind("diff", str(old), str(new)).exit_code == 0
    assert acebind("diff", str(old), str(new), "--fail-on", "warning").exit_code == 1


def test_reports_can_be_written_in_several_formats_at_once(tmp_path: Path) -> None:
    new = edited(tmp_path / "new", shorter_names)
    out = tmp_path / "out"
    result = acebind(
        "diff", str(DEMO), str(new),
        "--report", f"markdown={out / 'drift.md'}",
        "--report", f"github={out / 'drift.txt'}",
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        "| **error** | `customers` | `OrganizationName` |"
        in (out / "drift.md").read_text()
    )
    annotation = (out / "drift.txt").read_text().splitlines()[0]
    assert annotation.startswith("::error file=")
    assert "endpoints/customers.json," in annotation


def test_a_bad_report_option_is_a_usage_error() -> None:
    result = acebind("diff", str(DEMO), str(DEMO), "--report", "yaml=x")
    assert result.exit_code == 2
    assert "FORMAT=PATH" in result.output


def test_a_missing_tree_is_a_usage_error(tmp_path: Path) -> None:
    result = acebind("diff", str(DEMO), str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "neither a schema folder nor REV:path" in result.output


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A repository whose first commit holds schemas/demo, the second a change."""
    repo = tmp_path / "repo"
    (repo / "schemas").mkdir(parents=True)
    shutil.copytree(DEMO, repo / "schemas" / "demo")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v1")
    shutil.rmtree(repo / "schemas" / "demo")
    edited(repo / "schemas" / "demo", shorter_names)
    git(repo, "commit", "-q", "-am", "v2")
    return repo


def test_a_git_revision_against_another(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(history)
    result = acebind(
        "diff", "HEAD~1:schemas/demo", "main:schemas/demo", "--format", "json"
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["old"] == "HEAD~1:schemas/demo"
    assert [c["rule"] for c in data["changes"]] == ["max-length-lowered"]


def test_a_git_revision_against_the_working_tree(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(history)
    path = history / "schemas" / "demo" / "endpoints" / "customers.json"
    schema = json.loads(path.read_text())
    del schema["properties"]["Telephone"]
    path.write_text(json.dumps(schema))
    result = acebind("diff", "HEAD:schemas/demo", "schemas/demo", "--format", "github")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("::error file=schemas/demo/endpoints/customers.json,")
    assert "(field-removed)::" in first


def test_an_unknown_revision_is_a_usage_error(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(history)
    result = acebind("diff", "nosuchrev:schemas/demo", "schemas/demo")
    assert result.exit_code == 2
    assert "git rev-parse failed" in result.output


def test_a_path_the_revision_lacks_is_a_usage_error(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(history)
    result = acebind("diff", "HEAD:schemas/porto", "schemas/demo")
    assert result.exit_code == 2
    assert "holds no files" in result.output


def test_overrides_of_an_environment_apply_to_diff(tmp_path: Path) -> None:
    new = edited(tmp_path / "new", shorter_names)
    config = tmp_path / "acebind.toml"
    config.write_text(
        '[environments.demo]\nurl = "http://127.0.0.1:1/demo/api/"\n'
        '[environments.demo.drift.levels]\nmax-length-lowered = "info"\n'
    )
    args = ["diff", str(DEMO), str(new), "--env", "demo", "--config", str(config)]
    result = acebind(*args, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["changes"][0]["level"] == "info"
    config.write_text(config.read_text() + "bogus = 1\n")
    result = acebind(*args)
    assert result.exit_code == 2
    assert "no drift rule 'bogus'" in result.output
