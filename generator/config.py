"""``acebind.toml``: the environments a project knows, and their credentials.

::

    [environments.demo]
    url = "http://127.0.0.1:8765/demo/api/"
    concurrency = 8        # optional, requests in flight
    sample_pages = 2       # optional, pages sampled per endpoint (first, last, ...)
    timeout = 30           # optional, seconds per request

Credentials never live in the file: they come from ``ACEBIND_<NAME>_USERNAME``
and ``ACEBIND_<NAME>_PASSWORD`` (name upper-cased, ``-`` as ``_``) or from the
command line.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.errors import ConfigError

CONFIG_FILE = "acebind.toml"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
SETTINGS: dict[str, type | tuple[type, ...]] = {
    "url": str,
    "concurrency": int,
    "sample_pages": int,
    "timeout": (int, float),
    "deadline": (int, float),
    "insecure_http": bool,
}


@dataclass(frozen=True)
class Environment:
    """One StoresAce environment: where its API root is and how to crawl it."""

    name: str
    url: str
    concurrency: int = 8
    sample_pages: int = 2
    timeout: float = 30.0
    deadline: float | None = None
    insecure_http: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_overrides(self, **overrides: Any) -> Environment:
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(self, **given)


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=<hidden>)"


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise ConfigError(
            f"environment name {name!r} must start with a letter or digit and hold "
            "only letters, digits, '-' and '_' (at most 63)"
        )
    return name


def load_config(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from error


def environment(name: str, path: Path) -> Environment:
    """The environment ``name`` as ``path`` configures it."""
    check_name(name)
    section = load_config(path).get("environments", {}).get(name)
    if not isinstance(section, dict):
        raise ConfigError(f"no environment {name!r} in {path} ([environments.{name}])")
    unknown = sorted(set(section) - set(SETTINGS) - {"drift", "probe"})
    if unknown:
        raise ConfigError(f"[environments.{name}] has unknown settings: {unknown}")
    for key, kind in SETTINGS.items():
        if key in section and not _has_type(section[key], kind):
            raise ConfigError(f"[environments.{name}] {key} has the wrong type")
    if "url" not in section:
        raise ConfigError(f"[environments.{name}] needs a url (the API root)")
    settings = {key: section[key] for key in SETTINGS if key in section}
    extra = {key: section[key] for key in section if key not in SETTINGS}

    return Environment(name=name, extra=extra, **settings)


def _has_type(value: Any, kind: type | tuple[type, ...]) -> bool:
    # TOML booleans are Python bools, which are ints too: keep them apart.
    if isinstance(value, bool):
        return kind is bool
    return isinstance(value, kind)


def env_prefix(name: str) -> str:
    return "ACEBIND_" + name.upper().replace("-", "_")


def credentials(
    name: str, username: str | None = None, password: str | None = None
) -> Credentials:
    """Credentials from the options given, else from the environment variables."""
    prefix = env_prefix(name)
    username = username or os.environ.get(f"{prefix}_USERNAME")
    password = (
        password if password is not None else os.environ.get(f"{prefix}_PASSWORD")
    )
    if not username or password is None:
        raise ConfigError(
            f"no credentials for environment {name!r}: set {prefix}_USERNAME and "
            f"{prefix}_PASSWORD, or pass --username and --password-stdin"
        )
    return Credentials(username, password)
