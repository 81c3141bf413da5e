"""The server process: where it listens and what it answers outside a tenant."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from generator.cli import main

from .helpers import JSON

if TYPE_CHECKING:
    from conftest import Sandbox, SandboxStarter


def test_serving_lines_show_the_loopback_host_by_default(sandbox: Sandbox) -> None:
    assert sorted(sandbox.roots) == ["demo", "porto"]
    for tenant, root in sandbox.roots.items():
        assert root.startswith("http://127.0.0.1:")
        assert root.endswith(f"/{tenant}/api/")


def test_host_option_defaults_to_loopback() -> None:
    host = next(p for p in main.commands["sandbox"].params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_path_outside_every_tenant_is_404(sandbox: Sandbox) -> None:
    base = sandbox.root.removesuffix("demo/api/")
    response = httpx.get(f"{base}lisboa/api/", params=JSON, auth=sandbox.auth)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_start_sandbox_gives_the_fixture_shape_and_stops_after_its_block(
    start_sandbox: SandboxStarter,
) -> None:
    with start_sandbox() as running:
        assert running.root == running.roots["demo"]
        assert running.auth == ("demo-api", "demo-pass")
        assert running.tenant_auth["porto"] == ("porto-api", "porto-pass")
        response = httpx.get(running.root, params=JSON, auth=running.auth)
        assert response.status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(running.root, params=JSON, auth=running.auth)


def _children(pid: int) -> list[int]:
    import os

    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as file:
                parent = int(file.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            found.append(int(entry))
    return found


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_several_processes_share_the_port_and_stop_together(
    start_sandbox: SandboxStarter,
) -> None:
    import os

    with start_sandbox("--processes", "2") as running:
        (server,) = [
            pid for pid in _children(os.getpid()) if b"--processes" in _cmdline(pid)
        ]
        (worker,) = _children(server)
        before = {pid: _cpu_ticks(pid) for pid in (server, worker)}
        for _ in range(100):  # a new connection each: the kernel spreads them
            reply = httpx.get(f"{running.root}items/", params=JSON, auth=running.auth)
            assert reply.status_code == 200
        served = {pid: _cpu_ticks(pid) - ticks for pid, ticks in before.items()}
        assert all(served.values()), served
    assert not os.path.exists(f"/proc/{worker}/stat") or _zombie(worker)


def _cmdline(pid: int) -> bytes:
    with open(f"/proc/{pid}/cmdline", "rb") as file:
        return file.read()


def _zombie(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as file:
        return file.read().rsplit(")", 1)[1].split()[0] == "Z"
