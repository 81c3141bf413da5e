"""``make demo``: the main job end to end on the bundled sandbox.

Starts the sandbox on a free loopback port, crawls its ``demo`` tenant into
``schemas/demo/`` with the demo credentials, prints the crawl's summary, and
stops the sandbox again. The crawl is deterministic, so on an unchanged
sandbox the committed schemas come out byte for byte the same.
"""

from __future__ import annotations

import os
import subprocess
import sys

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


def main() -> int:
    print("Starting the StoresAce sandbox on a free loopback port...", flush=True)
    with running_sandbox() as roots:
        root = roots["demo"]
        print(f"Sandbox ready: {root}", flush=True)
        acebind("crawl", "demo", "--url", root)
    print("Sandbox stopped.")

    return 0


if __name__ == "__main__":
    sys.exit(main())
