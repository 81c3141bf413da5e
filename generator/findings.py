"""Non-fatal findings: values with a level, collected and reported together."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Level(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    endpoint: str
    field: str | None
    code: str
    level: Level
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "endpoint": self.endpoint,
            "field": self.field,
            "level": self.level.value,
            "message": self.message,
        }


@dataclass
class Findings:
    """Findings of one run, in a deterministic order whatever order they came in."""

    items: set[Finding] = field(default_factory=set)

    def add(
        self,
        level: Level,
        code: str,
        message: str,
        *,
        endpoint: str = "",
        field: str | None = None,
    ) -> None:
        self.items.add(Finding(endpoint, field, code, level, message))

    def warn(self, code: str, message: str, **where: Any) -> None:
        self.add(Level.WARNING, code, message, **where)

    def info(self, code: str, message: str, **where: Any) -> None:
        self.add(Level.INFO, code, message, **where)

    def sorted(self) -> list[Finding]:
        return sorted(
            self.items, key=lambda f: (f.endpoint, f.field or "", f.code, f.message)
        )

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.sorted() if f.level is Level.WARNING]
