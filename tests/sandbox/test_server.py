"""The server process: where it listens and what it answers outside a tenant."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from generator.cli import main
from sandbox.process import child_pids, command_line, cpu_seconds, process_stat

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


def test_several_processes_share_the_port_and_stop_together(
    start_sandbox: SandboxStarter,
) -> None:
    import os

    with start_sandbox("--processes", "2") as running:
        (server,) = [
            pid for pid in child_pids(os.getpid()) if "--processes" in command_line(pid)
        ]
        (worker,) = child_pids(server)
        before = {pid: cpu_seconds(pid) for pid in (server, worker)}
        for _ in range(100):  # a new connection each: the kernel spreads them
            reply = httpx.get(f"{running.root}items/", params=JSON, auth=running.auth)
            assert reply.status_code == 200
        served = {pid: cpu_seconds(pid) - spent for pid, spent in before.items()}
        assert all(served.values()), served
    assert process_stat(worker)[:1] in ([], ["Z"])  # gone, or a zombie left to reap
