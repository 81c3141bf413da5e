"""CI's drift gate: the sandbox, ``schemas/demo/`` and ``generated/demo/`` agree.

Starts the sandbox (API version 1) on a free loopback port and runs
``acebind check demo --url <root> --fail-on info`` with the demo credentials,
from the repository's root. It fails when the crawl shows any change against
``schemas/demo/``, when regenerating from ``schemas/demo/`` does not give
``generated/demo/`` byte for byte (a template or generator change without
``acebind generate demo``), and, since the sandbox is deterministic, when the
crawl differs from the committed tree even in sampled counts.

Run it as ``python -m sandbox.drift_gate``; the exit code is acebind's (0 the
three agree, 1 they do not, 2 usage, 3 the crawl failed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sandbox.process import running_sandbox

USERNAME, PASSWORD = "demo-api", "demo-pass"
ROOT = Path(__file__).resolve().parent.parent


def check(root: str, report: Path) -> int:
    env = {
        **os.environ,
        "ACEBIND_DEMO_USERNAME": USERNAME,
        "ACEBIND_DEMO_PASSWORD": PASSWORD,
    }
    command = [
        sys.executable, "-m", "generator", "check", "demo", "--url", root,
        "--fail-on", "info", "--report", f"json={report}", "-q",
    ]  # fmt: skip
    print("$ acebind check demo --url", root, "--fail-on info", flush=True)
    done = subprocess.run(
        command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, check=False
    )
    return done.returncode


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="acebind-gate-") as scratch:
        report = Path(scratch) / "drift.json"
        with running_sandbox() as roots:
            code = check(roots["demo"], report)
        if code not in (0, 1) or not report.is_file():
            return code or 1
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    if code == 0 and not summary["schemasIdentical"]:
        print(
            "drift gate: the sandbox's crawl differs from schemas/demo/ in sampled "
            "counts: run make demo to re-crawl",
            file=sys.stderr,
        )
        return 1
    print("drift gate:", "passed" if code == 0 else "failed", flush=True)

    return code


if __name__ == "__main__":
    sys.exit(main())
