"""The ``acebind`` command line: a thin layer over the library's functions."""

from __future__ import annotations

import os

import click

from generator import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="acebind")
def main() -> None:
    """Typed Python bindings for StoresAce environments.

    Crawl an environment's browsable API into JSON Schema, generate bindings
    from the schemas, and detect drift between an environment and its bindings.
    """


LOOPBACK = ("127.0.0.1", "::1", "localhost")


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback must be asked for.",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--api-version",
    type=click.Choice(["1", "2"]),
    default="1",
    show_default=True,
    help="StoresAce release to behave like.",
)
@click.option(
    "--items",
    type=click.IntRange(1),
    default=200,
    show_default=True,
    help="Items to seed; other resources scale with it.",
)
@click.option(
    "--seed",
    type=int,
    default=20240101,
    show_default=True,
    help="Seed of the data and of the fault draws.",
)
@click.option(
    "--latency-ms",
    type=click.FloatRange(0),
    default=0.0,
    help="Delay added to every request.",
)
@click.option(
    "--fail-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Share of requests answered 500, 502 or 503.",
)
@click.option(
    "--throttle-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Share of requests answered 429 with Retry-After.",
)
@click.option(
    "--extra-endpoints",
    type=click.IntRange(0),
    default=0,
    help="More generated endpoints, to imitate a large environment.",
)
@click.option(
    "--threads",
    type=click.IntRange(1),
    default=16,
    show_default=True,
    help="Worker threads of the WSGI server.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Keep the SQLite databases here (default: a new temporary folder).",
)
def sandbox(
    host: str,
    port: int,
    api_version: str,
    items: int,
    seed: int,
    latency_ms: float,
    fail_rate: float,
    throttle_rate: float,
    extra_endpoints: int,
    threads: int,
    data_dir: str | None,
) -> None:
    """Serve the bundled StoresAce sandbox in the foreground."""
    if fail_rate + throttle_rate > 1:
        raise click.UsageError("--fail-rate and --throttle-rate add up to more than 1")
    knobs = {
        "API_VERSION": api_version, "ITEMS": str(items), "SEED": str(seed),
        "LATENCY_MS": str(latency_ms), "FAIL_RATE": str(fail_rate),
        "THROTTLE_RATE": str(throttle_rate), "EXTRA_ENDPOINTS": str(extra_endpoints),
    }  # fmt: skip
    if data_dir:
        os.makedirs(data_dir, exist_ok=True)
        knobs["DATA_DIR"] = os.path.abspath(data_dir)
    for name, value in knobs.items():
        os.environ[f"ACEBIND_SANDBOX_{name}"] = value
    try:
        from sandbox.server import serve
    except ImportError as error:  # the sandbox extra is missing
        raise click.ClickException(
            f"the sandbox needs the 'sandbox' extra ({error.name} is missing): "
            "pip install 'acebind[sandbox]'"
        ) from error
    serve(host, port, threads)
