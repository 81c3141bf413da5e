"""``make demo``: the main job end to end on the bundled sandbox.

Starts the sandbox on a free loopback port, crawls its ``demo`` tenant into
``schemas/demo/`` with the demo credentials, generates ``generated/demo/``
from the schemas, runs a short example with the generated client, verifies
that every record decodes with the bindings, and stops the sandbox again. Crawl and generation are deterministic, so on an
unchanged sandbox the committed trees come out byte for byte the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sandbox.process import running_sandbox

USERNAME, PASSWORD = "demo-api", "demo-pass"


def acebind(*args: str) -> None:
    env = {
        **os.environ,
        "ACEBIND_DEMO_USERNAME": USERNAME,
        "ACEBIND_DEMO_PASSWORD": PASSWORD,
    }
    command = [sys.executable, "-m", "generator", *args]
    print(f"$ acebind {' '.join(args)}", flush=True)
    subprocess.run(command, env=env, check=True, stdin=subprocess.DEVNULL)


def example(root: str) -> None:
    """Run ``sandbox/example.py`` with the freshly generated package."""
    here = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": str(here.parent / "generated" / "demo")}
    print("$ python sandbox/example.py  # with the generated storesace_demo", flush=True)
    subprocess.run(
        [sys.executable, str(here / "example.py"), root],
        env=env, check=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def main() -> int:
    print("Starting the StoresAce sandbox on a free loopback port...", flush=True)
    with running_sandbox() as roots:
        root = roots["demo"]
        print(f"Sandbox ready: {root}", flush=True)
        acebind("crawl", "demo", "--url", root)
        acebind("generate", "demo")
        example(root)
        acebind("verify", "demo", "--url", root)
    print("Sandbox stopped.")

    return 0


if __name__ == "__main__":
    sys.exit(main())
