"""Prepare the tenants' databases and serve the sandbox with waitress.

waitress is a production WSGI server with a thread pool, so the sandbox
answers concurrent requests the way a deployed environment does.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import sys
from typing import Any, TextIO


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    import django

    django.setup()


def prepare() -> None:
    """Create every tenant's tables, API user and seed records, unless done."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from sandbox.config import KNOBS, TENANTS
    from sandbox.middleware import use_tenant
    from sandbox.store.seed import Seeder

    for tenant in TENANTS:
        with use_tenant(tenant):
            call_command(
                "migrate", database=tenant.database, run_syncdb=True, verbosity=0
            )
            users = get_user_model().objects.using(tenant.database)
            if users.filter(username=tenant.username).exists():
                continue
            user = users.model(username=tenant.username)
            user.set_password(tenant.password)
            user.save(using=tenant.database)
            Seeder(tenant, max(20, round(KNOBS.items * tenant.scale)), KNOBS.seed).run()


def serve(
    host: str, port: int, threads: int, processes: int = 1, out: TextIO = sys.stdout
) -> None:
    """Serve until SIGTERM; ``processes`` > 1 forks workers sharing one socket.

    A deployed environment runs several worker processes; one Python process
    serves at most one request's Python at a time, whatever its threads.
    """
    prepare()
    from django.db import connections

    from sandbox.config import KNOBS, TENANTS

    listener = _listen(host, port, shared=processes > 1)
    bound_port = listener.getsockname()[1]
    connections.close_all()  # each worker opens its own
    workers = [
        _fork_worker(listener, host, bound_port, threads) for _ in range(processes - 1)
    ]
    server = _server(listener, threads)
    shown_host = f"[{host}]" if ":" in host else host
    for tenant in TENANTS:
        print(f"Serving http://{shown_host}:{bound_port}/{tenant.name}/api/", file=out)
    out.flush()

    def stop(signum: int, frame: object) -> None:
        server.close()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        server.close()
    finally:
        for pid in workers:
            _stop_worker(pid)
        if KNOBS.owns_data_dir:
            shutil.rmtree(KNOBS.data_dir, ignore_errors=True)


def _listen(host: str, port: int, *, shared: bool) -> socket.socket:
    """A listening socket; ``shared`` ones let the kernel spread connections
    over every process that binds the same port (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server(
        (host, port), family=family, backlog=1024, reuse_port=shared
    )


def _server(listener: socket.socket, threads: int) -> Any:
    import waitress.server

    from sandbox.wsgi import application

    return waitress.server.create_server(
        application, sockets=[listener], threads=threads, ident="storesace"
    )


def _fork_worker(inherited: socket.socket, host: str, port: int, threads: int) -> int:
    """A child with its own socket on the same port; it dies with its parent."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        _die_with_parent()
        signal.signal(signal.SIGTERM, lambda signum, frame: os._exit(0))
        inherited.close()  # the parent's: its connections are the parent's to take
        _server(_listen(host, port, shared=True), threads).run()
    except BaseException:  # a worker must never return into the parent's code
        code = 1
    os._exit(code)


def _die_with_parent() -> None:
    """Ask Linux for SIGTERM when the parent goes, even by SIGKILL."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent went before prctl took effect
        os._exit(0)


def _stop_worker(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
