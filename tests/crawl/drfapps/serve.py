"""Serve the test project with waitress: ``python -m tests.crawl.drfapps.serve``.

Prints ``Serving <root>`` for each API root once it listens, and stops on
SIGTERM. The database lives in ``--data-dir``, created and seeded on start.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import Any

ROOTS = ("v315", "v314")


def prepare(data_dir: str) -> None:
    os.environ["DRFAPPS_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.crawl.drfapps.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from tests.crawl.drfapps.shop.seed import seed

    call_command("migrate", run_syncdb=True, verbosity=0)
    seed()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    prepare(args.data_dir)
    import waitress.server
    from django.core.wsgi import get_wsgi_application

    server: Any = waitress.server.create_server(
        get_wsgi_application(), host=args.host, port=args.port, threads=8
    )
    for root in ROOTS:
        print(f"Serving http://{args.host}:{server.effective_port}/{root}/api/")
    sys.stdout.flush()

    def stop(signum: int, frame: object) -> None:
        server.close()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    server.run()


if __name__ == "__main__":
    main()
