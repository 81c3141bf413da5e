"""The generated demo package: golden, clean under ruff and mypy, self-contained."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.generate.package import generate_files, read_package
from generator.schema.tree import read_tree

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "generated" / "demo"
PACKAGE = GOLDEN / "storesace_demo"


@pytest.fixture(scope="module")
def regenerated() -> dict[str, str]:
    return generate_files(read_tree(ROOT / "schemas" / "demo"), "demo")


def test_regenerating_from_the_committed_schemas_gives_the_committed_package(
    regenerated: dict[str, str],
) -> None:
    assert read_package(GOLDEN) == regenerated


def test_generation_is_deterministic(regenerated: dict[str, str]) -> None:
    assert generate_files(read_tree(ROOT / "schemas" / "demo"), "demo") == regenerated


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--no-cache", "--check", "."],
        ["mypy", "--strict", "--cache-dir", "/dev/null", "storesace_demo"],
    ],
)
def test_the_package_passes_the_linters(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=GOLDEN,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_never_imports_the_generator() -> None:
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        assert "import generator" not in text
        assert "from generator" not in text


def test_the_package_has_what_an_installable_package_needs() -> None:
    assert (GOLDEN / "pyproject.toml").is_file()
    assert (PACKAGE / "py.typed").is_file()
    readme = (GOLDEN / "README.md").read_text()
    assert "client.items" in readme


def test_importing_the_package_loads_no_endpoint_module() -> None:
    code = (
        "import sys; import storesace_demo; from storesace_demo import Client;"
        "print(sorted(m for m in sys.modules if m.startswith('storesace_demo.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=GOLDEN, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    loaded = done.stdout.strip()
    assert "endpoints" not in loaded
    assert "models" not in loaded


def test_check_reports_stale_bindings(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    runner = CliRunner()
    schemas = str(ROOT / "schemas" / "demo")
    first = runner.invoke(
        main, ["generate", "demo", "--schemas", schemas, "--out", str(out)]
    )
    assert first.exit_code == 0, first.output
    fresh = runner.invoke(
        main, ["generate", "demo", "--schemas", schemas, "--out", str(out), "--check"]
    )
    assert fresh.exit_code == 0, fresh.output
    client = out / "storesace_demo" / "client.py"
    client.write_text(client.read_text() + "\n# edited by hand\n")
    stale = runner.invoke(
        main, ["generate", "demo", "--schemas", schemas, "--out", str(out), "--check"]
    )
    assert stale.exit_code == 1
    assert "edited by hand" in stale.output


def test_second_generate_with_nothing_changed_is_skipped(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    schemas = str(ROOT / "schemas" / "demo")
    args = ["generate", "demo", "--schemas", schemas, "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0
    assert "up to date" in again.output
