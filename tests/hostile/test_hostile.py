"""A hostile server: acebind turns its text into safe code, or refuses it.

Every surviving case is an endpoint of the one ``hostile`` environment, which
is crawled, written, generated, linted, type-checked, imported and used once;
each case then checks its own endpoints. Every refused case has an
environment of its own whose crawl must end with one clear error and write
nothing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.errors import AcebindError
from generator.generate.ir import package_ir
from tests.hostile.cases import (
    EVALUATED,
    MARKER,
    REFUSED,
    SENTINEL,
    SURVIVING,
    Case,
)
from tests.hostile.conftest import HOSTILE
from tests.hostile.figures import FIGURES
from tests.hostile.pipeline import (
    Built,
    build,
    crawl,
    outside,
    scan_files,
    scan_output,
    tree_of,
    watching,
)
from tests.hostile.server import AUTH, PASSWORD, Recorder

HERE = Path(__file__).resolve().parent
SCHEMA_FILE = re.compile(r"^endpoints/[a-z0-9_-]+\.json$")
# The crawl samples up to six pages, so that the cursor cycle comes round.
HOSTILE_OPTIONS = {"sample_pages": 6}


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **env},
        errors="backslashreplace",
    )
    assert scan_output(done.stdout, done.stderr) == 0, "the password in an output"
    return done


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-out")


@pytest.fixture(scope="module")
def built(hostile: str, out: Path) -> Built:
    assert not SENTINEL.exists()
    return build(HOSTILE, f"{hostile}/{HOSTILE}/api/", out, **HOSTILE_OPTIONS)


@pytest.fixture(scope="module")
def index(built: Built) -> dict[str, Any]:
    return built.tree.index


@pytest.fixture(scope="module")
def served(hostile: str, index: dict[str, Any]) -> dict[str, list[Any]]:
    """The records each endpoint serves, as the server sends them."""
    root = f"{hostile}/{HOSTILE}/api/"
    found: dict[str, list[Any]] = {}
    with httpx.Client(auth=AUTH, follow_redirects=True, timeout=10) as client:
        for entry in index["endpoints"]:
            if entry["kind"] == "unknown":
                continue
            data = client.get(
                root + entry["path"], params={"format": "json", "page_size": "100"}
            ).json()
            records = data.get("results", data) if isinstance(data, dict) else data
            records = records if isinstance(records, list) else [data]
            found[entry["name"]] = [r for r in records if isinstance(r, dict)]
    return found


@pytest.fixture(scope="module")
def used(
    built: Built, served: dict[str, list[Any]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """What importing and using every endpoint of the package did."""
    package = package_ir(built.tree, HOSTILE)
    spec = {
        "package": package.package,
        "password": PASSWORD,
        "endpoints": [
            {
                "name": endpoint.name,
                "module": endpoint.module,
                "attr": endpoint.attr,
                "decoder": endpoint.record.decoder,
                "encoder": endpoint.record.encoder,
                "key": endpoint.key.attr if endpoint.key is not None else None,
                "can_post": endpoint.can_post,
                "records": served[endpoint.name],
            }
            for endpoint in package.endpoints
        ],
    }
    work = tmp_path_factory.mktemp("use")
    (work / "spec.json").write_text(json.dumps(spec))
    before = tree_of(built.generated)
    done = run(
        [
            sys.executable,
            str(HERE / "use_package.py"),
            str(built.generated),
            "spec.json",
        ],
        cwd=work,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr == ""
    assert tree_of(built.generated) == before, "using the package wrote into it"
    assert sorted(p.name for p in work.iterdir()) == ["spec.json"]
    lines = done.stdout.splitlines()
    assert len(lines) == 1, f"the package printed: {done.stdout[:2000]}"
    results: dict[str, Any] = json.loads(lines[0])
    return results


# -- the package as a whole ---------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--no-cache", "--check", "."],
        ["mypy", "--strict", "--cache-dir", "/dev/null", "--no-incremental", "."],
    ],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_the_package_passes_the_linters(built: Built, command: list[str]) -> None:
    package = next(p.name for p in built.generated.iterdir() if p.is_dir())
    target = package if command[0] == "mypy" else "."
    done = run([sys.executable, "-m", *command[:-1], target], cwd=built.generated)
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]


def test_nothing_the_server_sent_ran_or_was_rendered(
    built: Built, used: dict[str, Any]
) -> None:
    # The payloads are data in the files; run, they would have made the
    # sentinel; rendered by a template engine, they would have left these.
    assert not SENTINEL.exists()
    for text in built.files.values():
        assert not any(marker in text for marker in EVALUATED)
    assert MARKER not in json.dumps(used)


def test_every_command_run_was_ruff(built: Built) -> None:
    for command in built.watch.commands:
        assert command[1:3] == ["-m", "ruff"], command


def test_every_write_landed_in_the_targets(built: Built, out: Path) -> None:
    assert outside(built.watch.paths, out, HOSTILE) == []
    top = sorted(p.relative_to(out).as_posix() for p in out.iterdir())
    assert top == ["generated", "schemas"]
    assert [p.name for p in (out / "schemas").iterdir()] == [HOSTILE]
    assert [p.name for p in (out / "generated").iterdir()] == [HOSTILE]


def test_no_file_holds_the_password(built: Built) -> None:
    assert scan_files(built.schemas, built.generated) == 0


def test_schema_files_have_safe_names(index: dict[str, Any]) -> None:
    files = [e["schema"] for e in index["endpoints"] if e["schema"] is not None]
    assert all(SCHEMA_FILE.match(file) for file in files), files
    assert len(set(files)) == len(files)


# -- each surviving case --------------------------------------------------------


def _entries(case: Case, index: dict[str, Any]) -> list[dict[str, Any]]:
    by_name = {e["name"]: e for e in index["endpoints"]}
    return [by_name[name] for name in case.expected if name in by_name]


@pytest.mark.parametrize("case", SURVIVING, ids=[c.id for c in SURVIVING])
def test_surviving_case(
    case: Case, built: Built, index: dict[str, Any], used: dict[str, Any]
) -> None:
    FIGURES.cases[case.id] = case.outcome
    entries = _entries(case, index)
    assert len(entries) == len(case.expected), "an endpoint of the case is missing"
    for entry in entries:
        assert entry["kind"] != "unknown", entry
        result = used[entry["name"]]
        assert result["decoded"] == result["listed"]
        assert result["mismatches"] == []
        assert result.get("got", True)
        assert result.get("refused_elsewhere")
        assert result["hosts"] == ["testserver"]
    check = CHECKS.get(case.id)
    if check is not None:
        check(case, index, built)
    FIGURES.cases_passed.add(case.id)


def _odd_root(case: Case, index: dict[str, Any], built: Built) -> None:
    codes = {(f["code"], f["endpoint"]) for f in index["findings"]}
    for name in ("count", "obj", "none", "ftp", "js"):
        assert ("root-entry-not-a-link", name) in codes
    assert ("link-other-origin", "other-origin") in codes
    assert ("link-seen", "self") in codes


def _cycle(case: Case, index: dict[str, Any], built: Built) -> None:
    entry = _entries(case, index)[0]
    assert entry["pagination"]["style"] == "cursor"


def _braces(case: Case, index: dict[str, Any], built: Built) -> None:
    module = package_ir(built.tree, HOSTILE)
    endpoint = next(e for e in module.endpoints if e.name == "braces")
    assert endpoint.detail_path is not None


def _browsable(case: Case, index: dict[str, Any], built: Built) -> None:
    entry = _entries(case, index)[0]
    assert "query" in entry["search"]
    codes = {(f["code"], f["endpoint"]) for f in index["findings"]}
    assert ("action-other-origin", "thing") in codes


def _paths(case: Case, index: dict[str, Any], built: Built) -> None:
    names = [e["name"] for e in index["endpoints"]]
    assert len(names) == len(set(names))
    codes = {(f["code"], f["endpoint"]) for f in index["findings"]}
    assert ("endpoint-name-taken", "nested/child") in codes
    assert ("endpoint-name-taken", "nested/child/grandchild") in codes


CHECKS = {
    "path-names": _paths,
    "odd-root": _odd_root,
    "next-cycle": _cycle,
    "braces-in-paths": _braces,
    "hostile-browsable-page": _browsable,
}


# -- each refused case ------------------------------------------------------------


@pytest.mark.parametrize("case", REFUSED, ids=[c.id for c in REFUSED])
def test_refused_case(
    case: Case, hostile: str, tmp_path: Path, recorder: tuple[Recorder, str]
) -> None:
    FIGURES.cases[case.id] = case.outcome
    old = tmp_path / "schemas" / case.id
    old.mkdir(parents=True)
    (old / "index.json").write_text("the committed tree\n")
    before = tree_of(tmp_path)
    root = f"{hostile}/{case.id}/api/"
    with watching() as watch, pytest.raises(AcebindError) as raised:
        build(case.id, root, tmp_path, **case.options)
    assert re.search(case.refused or "", str(raised.value)), str(raised.value)
    assert scan_output(str(raised.value)) == 0
    assert tree_of(tmp_path) == before
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == [case.id]
    assert not (tmp_path / "generated").exists()
    assert outside(watch.paths, tmp_path, case.id) == []
    assert recorder[0].authorizations == []
    FIGURES.cases_passed.add(case.id)


def test_a_401_mid_crawl_stops_it_without_sending_the_refused_credentials_again(
    hostile: str, tmp_path: Path
) -> None:
    case = next(c for c in REFUSED if c.id == "401-mid-crawl")
    environment = case.environment
    assert environment is not None
    assert environment.refuse_after is not None
    environment.requests = 0  # the password "changes" after refuse_after requests
    with pytest.raises(AcebindError, match=r"\(401\)"):
        build(case.id, f"{hostile}/{case.id}/api/", tmp_path)
    # Only the requests already under way when the first 401 came (at most the
    # concurrency, 8) may meet a 401 too; nothing is sent after it.
    assert environment.requests - environment.refuse_after <= 8


# -- credentials ------------------------------------------------------------------


def test_the_other_origin_never_saw_a_credential(
    built: Built, recorder: tuple[Recorder, str]
) -> None:
    assert recorder[0].authorizations == []
    assert recorder[0].requests == []


def test_a_crawl_of_the_hostile_environment_twice_is_byte_identical(
    built: Built, hostile: str
) -> None:
    from generator.schema.tree import tree_files

    again = crawl(HOSTILE, f"{hostile}/{HOSTILE}/api/", **HOSTILE_OPTIONS)
    assert {
        path: text.encode("utf-8") for path, text in tree_files(again).items()
    } == tree_of(built.schemas)
