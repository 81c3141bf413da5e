"""Per-environment drift overrides, from ``acebind.toml``::

    [environments.shop.drift]
    # Rules to drop everywhere.
    ignore-rules = ["label-changed", "description-changed"]
    # Fields (and everything nested in them) or whole endpoints to drop:
    # "ENDPOINT#POINTER" or "ENDPOINT"; both parts are shell-style globs.
    ignore-fields = [
        "customers#/properties/Limits",
        "sales#/properties/SaleTransactionDetails/items/properties/Notes",
        "extra*",
    ]

    [environments.shop.drift.levels]
    # A rule's level for this environment: "error", "warning" or "info".
    enum-value-added = "error"      # our code treats StoresAce choices as closed
    max-length-raised = "warning"

Levels are changed first, then ignored changes are dropped. A rule id that
acebind does not know is a configuration error, so a typo cannot silently
ignore nothing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator.drift.changes import Change
from generator.drift.rules import RULES, Level
from generator.errors import ConfigError

KEYS = {"ignore-rules", "ignore-fields", "levels"}


@dataclass(frozen=True)
class Overrides:
    ignore_rules: frozenset[str] = frozenset()
    ignore_fields: tuple[tuple[str, str | None], ...] = ()  # (endpoint, pointer)
    levels: Mapping[str, Level] = field(default_factory=dict)

    def ignores(self, change: Change) -> bool:
        if change.rule in self.ignore_rules:
            return True
        return any(
            fnmatch.fnmatchcase(change.endpoint, endpoint)
            and (pointer is None or _under(change.pointer, pointer))
            for endpoint, pointer in self.ignore_fields
        )

    def apply(self, changes: list[Change]) -> list[Change]:
        levelled = [
            replace(change, level=self.levels.get(change.rule, change.level))
            for change in changes
        ]
        return [change for change in levelled if not self.ignores(change)]


def _under(pointer: str, pattern: str) -> bool:
    """The pointer is the field the pattern names, or lies inside it."""
    return fnmatch.fnmatchcase(pointer, pattern) or fnmatch.fnmatchcase(
        pointer, pattern.rstrip("/") + "/*"
    )


def parse_overrides(settings: Any, where: str) -> Overrides:
    """``[environments.<name>.drift]`` as given; ``where`` names it in errors."""
    if settings is None:
        return Overrides()
    if not isinstance(settings, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(settings) - KEYS)
    if unknown:
        raise ConfigError(f"{where} has unknown settings: {unknown}")
    rules = _strings(settings.get("ignore-rules", []), f"{where} ignore-rules")
    for rule in rules:
        _known(rule, f"{where} ignore-rules")
    fields = _strings(settings.get("ignore-fields", []), f"{where} ignore-fields")
    levels = settings.get("levels", {})
    if not isinstance(levels, dict):
        raise ConfigError(f"{where} levels must be a table of rule = level")
    parsed: dict[str, Level] = {}
    for rule, level in levels.items():
        _known(rule, f"{where}.levels")
        if level not in {member.value for member in Level}:
            raise ConfigError(
                f"{where}.levels: {rule} = {level!r} is not error, warning or info"
            )
        parsed[rule] = Level(level)

    return Overrides(frozenset(rules), tuple(_field(f) for f in fields), parsed)


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return list(value)


def _known(rule: str, where: str) -> None:
    if rule not in RULES:
        raise ConfigError(f"{where}: no drift rule {rule!r} (see acebind's README)")


def _field(spec: str) -> tuple[str, str | None]:
    endpoint, hash_sign, pointer = spec.partition("#")
    if not hash_sign:
        return endpoint, None
    return endpoint, pointer
