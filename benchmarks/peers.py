"""The peers acebind is measured against, in a virtual environment of their own.

openapi-python-client and pydantic v2 are installed with that environment's
pip from the package registry pip is configured for; the pydantic models
come from the datamodel-code-generator acebind already depends on.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import BenchmarkError, run
from benchmarks.progress import say
from benchmarks.settings import CACHE

REQUIREMENTS = ("openapi-python-client", "pydantic>=2")
VENV = CACHE / "venv"
STAMP = VENV / ".acebind-bench-installed"
PEER_PACKAGES = ("openapi-python-client", "pydantic", "pydantic-core", "attrs", "httpx")


@dataclass(frozen=True)
class Peers:
    venv: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    @property
    def env(self) -> dict[str, str]:
        """openapi-python-client runs ruff from PATH for its post-generation hooks."""
        return {"PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}"}

    def versions(self) -> dict[str, str]:
        code = (
            "import importlib.metadata as m, json, sys;"
            "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
        )
        out = run([self.python, "-c", code, *PEER_PACKAGES])
        versions: dict[str, str] = json.loads(out)
        return versions


def ensure_peers(cancel: threading.Event | None = None) -> Peers:
    """The peers' environment, created and installed on first use."""
    wanted = "\n".join(REQUIREMENTS)
    if STAMP.is_file() and STAMP.read_text() == wanted:
        say("setup", f"peers already installed in {VENV.relative_to(CACHE.parent)}")
        return Peers(VENV)
    if VENV.exists():
        shutil.rmtree(VENV)
    say("setup", f"creating {VENV.relative_to(CACHE.parent)} and installing peers")
    run([sys.executable, "-m", "venv", VENV], cancel=cancel)
    peers = Peers(VENV)
    install: list[str | Path] = [peers.python, "-m", "pip", "install", "--quiet"]
    run([*install, *REQUIREMENTS], cancel=cancel)
    STAMP.write_text(wanted)
    return peers


def openapi_client(
    peers: Peers, openapi: Path, output: Path, cancel: threading.Event | None = None
) -> Path:
    """Generate openapi-python-client's package; the path of its import root."""
    command: list[str | Path] = [peers.bin / "openapi-python-client", "generate"]
    command += ["--path", openapi]
    command += ["--output-path", output, "--overwrite"]
    run(command, env=peers.env, cancel=cancel)
    return package_root(output)


def package_root(output: Path) -> Path:
    """The folder holding openapi-python-client's import package."""
    found = [
        p.parent for p in output.glob("*/client.py") if (p.parent / "models").is_dir()
    ]
    if len(found) != 1:
        raise BenchmarkError(f"no generated package found in {output}")
    return found[0]


def pydantic_models(
    schema: Path, output: Path, cancel: threading.Event | None = None
) -> Path:
    """pydantic v2 models of one endpoint schema, by datamodel-code-generator."""
    output.parent.mkdir(parents=True, exist_ok=True)
    run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            schema,
            "--input-file-type",
            "jsonschema",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--disable-timestamp",
            "--output",
            output,
        ],
        cancel=cancel,
    )
    return output
