"""``make demo``: start the sandbox, show what acebind sees, stop the sandbox."""

from __future__ import annotations

import json
import sys

import httpx

from sandbox.process import running_sandbox

USERNAME, PASSWORD = "demo-api", "demo-pass"


def main() -> int:
    print("Starting the StoresAce sandbox on a free loopback port...", flush=True)
    with running_sandbox() as roots:
        root = roots["demo"]
        print(f"Sandbox ready: {root}")
        response = httpx.get(
            root,
            params={"format": "json"},
            auth=(USERNAME, PASSWORD),
            headers={"Accept": "application/json"},
            timeout=30,
        )
        response.raise_for_status()
        endpoints = response.json()
        print(f"API root of tenant 'demo' ({len(endpoints)} endpoints):")
        print(json.dumps(endpoints, indent=2))
    print("Sandbox stopped.")

    return 0


if __name__ == "__main__":
    sys.exit(main())
