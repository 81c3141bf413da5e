"""A change, and the recorder that classifies changes as a comparison finds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.drift.rules import RULES, Level


@dataclass(frozen=True)
class Change:
    """One difference between two trees, classified."""

    rule: str
    level: Level
    endpoint: str
    pointer: str
    message: str
    direction: str | None = None  # "both", "response"; None: the whole endpoint

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.endpoint, self.pointer, self.rule, self.message)

    @property
    def field(self) -> str:
        """The pointer as people read it: ``SaleTransactionDetails[].Quantity``."""
        return field_name(self.pointer)

    def to_json(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "endpoint": self.endpoint,
            "field": self.field,
            "level": self.level.value,
            "message": self.message,
            "pointer": self.pointer,
            "rule": self.rule,
        }


def escape(name: str) -> str:
    """One RFC 6901 reference token."""
    return name.replace("~", "~0").replace("/", "~1")


def field_name(pointer: str) -> str:
    """``/properties/A/items/properties/B`` as ``A[].B``; maps read ``{}``."""
    parts: list[str] = []
    tokens = pointer.split("/")[1:]
    for position, token in enumerate(tokens):
        before = tokens[position - 1] if position else ""
        if before == "properties":
            name = token.replace("~1", "/").replace("~0", "~")
            parts.append(("." if parts else "") + name)
        elif token == "items":
            parts.append("[]")
        elif token == "additionalProperties":
            parts.append("{}")
    return "".join(parts)


@dataclass
class Recorder:
    """Collects one endpoint's changes, each at its rule's level."""

    endpoint: str
    changes: list[Change] = field(default_factory=list)

    def note(self, rule: str, message: str) -> None:
        """A change of the endpoint as a whole."""
        self.changes.append(Change(rule, RULES[rule].level, self.endpoint, "", message))

    def field(self, rule: str, pointer: str, message: str, sent: bool) -> None:
        """A change of one field; ``sent``: partners send it too."""
        direction = "both" if sent else "response"
        level = RULES[rule].verdict(sent)
        self.changes.append(
            Change(rule, level, self.endpoint, pointer, message, direction)
        )
