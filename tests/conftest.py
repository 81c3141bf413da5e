"""Fixtures shared by the whole suite: sandbox servers over real HTTP, and the
sandbox's WSGI app in this process.

The in-process app reads its knobs from ``ACEBIND_SANDBOX_*`` when
``sandbox.config`` is first imported, so this module drops any knob inherited
from the caller's environment and points the data folder at a fresh temporary
one before anything imports the sandbox's Django code. Servers started as
subprocesses take their knobs from their command line only, and each keeps its
databases in its own folder under pytest's temporary directory.

Tests that write to the shared ``sandbox`` or ``wsgi_client`` use keys of
their own (9000 and up, a range per test module) and leave the seeded records
alone; ``tests/sandbox`` writes only to ``wsgi_client`` and to its own servers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest

from sandbox.process import running_sandbox

for _knob in [name for name in os.environ if name.startswith("ACEBIND_SANDBOX_")]:
    del os.environ[_knob]
APP_DATA_DIR = tempfile.mkdtemp(prefix="acebind-tests-")
os.environ["ACEBIND_SANDBOX_DATA_DIR"] = APP_DATA_DIR

TENANT_AUTH: dict[str, tuple[str, str]] = {
    "demo": ("demo-api", "demo-pass"),
    "porto": ("porto-api", "porto-pass"),
}


@dataclasses.dataclass(frozen=True)
class Sandbox:
    """A running sandbox server: its tenants' API roots and API users."""

    roots: dict[str, str]
    tenant_auth: dict[str, tuple[str, str]] = dataclasses.field(
        default_factory=lambda: dict(TENANT_AUTH)
    )

    @property
    def root(self) -> str:
        return self.roots["demo"]

    @property
    def auth(self) -> tuple[str, str]:
        return self.tenant_auth["demo"]

    def client(self, tenant: str = "demo", **options: Any) -> httpx.Client:
        """An httpx client on ``tenant``'s API root, signed in as its API user."""
        options.setdefault("timeout", 30)
        return httpx.Client(
            base_url=self.roots[tenant], auth=self.tenant_auth[tenant], **options
        )


SandboxStarter = Callable[..., AbstractContextManager[Sandbox]]


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(APP_DATA_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def sandbox_launcher(tmp_path_factory: pytest.TempPathFactory) -> SandboxStarter:
    """Start a sandbox server with CLI options, for fixtures of any scope:
    ``with sandbox_launcher("--api-version", "2") as sb:``."""

    @contextlib.contextmanager
    def launch(*options: str) -> Iterator[Sandbox]:
        data_dir = tmp_path_factory.mktemp("sandbox-data")
        with running_sandbox("--data-dir", str(data_dir), *options) as roots:
            yield Sandbox(roots)

    return launch


@pytest.fixture(scope="session")
def sandbox(sandbox_launcher: SandboxStarter) -> Iterator[Sandbox]:
    """The suite's v1 sandbox with default options, one for the whole session."""
    with sandbox_launcher() as running:
        yield running


@pytest.fixture
def start_sandbox(sandbox_launcher: SandboxStarter) -> Iterator[SandboxStarter]:
    """Start another sandbox in a test: ``with start_sandbox("--items", "500") as
    sb:``. It stops when its block ends, and at the latest when the test ends."""
    with contextlib.ExitStack() as leftovers:

        @contextlib.contextmanager
        def start(*options: str) -> Iterator[Sandbox]:
            with contextlib.ExitStack() as server:
                leftovers.callback(server.close)
                yield server.enter_context(sandbox_launcher(*options))

        yield start


@pytest.fixture(scope="session")
def sandbox_app() -> Any:
    """The sandbox's WSGI application in this process, databases prepared.

    It runs API version 1 with default knobs; Django is set up once it exists.
    """
    from sandbox.server import prepare

    prepare()
    from sandbox.wsgi import application

    return application


@pytest.fixture(scope="session")
def wsgi_client(sandbox_app: Any) -> Iterator[httpx.Client]:
    """An httpx client on the in-process app, signed in as ``demo-api``."""
    with httpx.Client(
        transport=httpx.WSGITransport(app=sandbox_app),
        base_url="http://testserver",
        auth=TENANT_AUTH["demo"],
    ) as client:
        yield client
