"""Prepare the tenants' databases and serve the sandbox with waitress.

waitress is a production WSGI server with a thread pool, so the sandbox
answers concurrent requests the way a deployed environment does.
"""

from __future__ import annotations

import os
import shutil
import signal
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


def serve(host: str, port: int, threads: int, out: TextIO = sys.stdout) -> None:
    prepare()
    import waitress.server

    from sandbox.config import TENANTS
    from sandbox.wsgi import application

    server: Any = waitress.server.create_server(
        application, host=host, port=port, threads=threads, ident="storesace"
    )
    bound_port = server.effective_port
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
        from sandbox.config import KNOBS

        if KNOBS.owns_data_dir:
            shutil.rmtree(KNOBS.data_dir, ignore_errors=True)
