"""Python identifiers from untrusted wire names, cleaned once, here.

Every name the generated code uses comes from these functions, never from a
template. A name is derived from the wire name alone: where two wire names
clean to the same identifier, each of them (but one that already is that
identifier) takes a suffix made from a hash of its own wire name. So adding a
field renames nothing but a field it collides with, and no name depends on
a position or a counter.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Callable, Iterable

MAX_LENGTH = 60
# Names a generated module defines or imports at top level, and attrs' own.
RESERVED = {
    "attrs",
    "datetime",
    "decimal",
    "uuid",
    "enum",
    "typing",
    "httpx",
    "annotations",
    "Any",
    "UNSET",
    "Unset",
    "self",
    "cls",
}


def digest(text: str, length: int = 6) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def ascii_words(name: str) -> list[str]:
    """Words of a name: split on case changes, digits and anything not a letter."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", folded)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return re.findall(r"[A-Za-z0-9]+", spaced)


def _finish(candidate: str, name: str, prefix: str) -> str:
    if not candidate:
        return f"{prefix}_{digest(name)}"
    if candidate[0].isdigit():
        candidate = f"{prefix}_{candidate}"
    if len(candidate) > MAX_LENGTH:
        candidate = f"{candidate[: MAX_LENGTH - 7]}_{digest(name)}"
    if keyword.iskeyword(candidate) or keyword.issoftkeyword(candidate):
        candidate += "_"
    if candidate in RESERVED or candidate.startswith("__"):
        candidate += "_"
    return candidate


def snake(name: str, prefix: str = "field") -> str:
    """``invoice_date`` from ``InvoiceDate``; a valid, non-keyword identifier."""
    words = ascii_words(name)
    return _finish("_".join(word.lower() for word in words), name, prefix)


def pascal(name: str, prefix: str = "Model") -> str:
    """``InvoiceStatus`` from ``invoice status``; a valid class name."""
    words = ascii_words(name)
    joined = "".join(word[:1].upper() + word[1:] for word in words)
    candidate = _finish(joined, name, prefix)
    if hasattr(builtins, candidate):
        candidate += "_"
    return candidate


def constant(value: object) -> str:
    """An enum member name from a choice value: ``PT_AC`` from ``"PT-AC"``."""
    text = str(value)
    words = ascii_words(text)
    candidate = "_".join(word.upper() for word in words)
    if not candidate or candidate[0].isdigit():
        candidate = (
            f"VALUE_{candidate}" if candidate else f"VALUE_{digest(repr(value))}"
        )
    if len(candidate) > MAX_LENGTH:
        candidate = f"{candidate[: MAX_LENGTH - 7]}_{digest(repr(value))}"
    if candidate in ("NAME", "VALUE") or candidate.startswith("_"):
        candidate += "_"
    return candidate


def unique(
    wires: Iterable[str],
    clean: Callable[[str], str],
    taken: Iterable[str] = (),
) -> dict[str, str]:
    """Map each wire name to an identifier unique within one scope.

    ``taken`` are identifiers the scope already uses (they always win).
    """
    wanted: dict[str, list[str]] = {}
    for wire in dict.fromkeys(wires):
        wanted.setdefault(clean(wire), []).append(wire)
    blocked = set(taken)
    chosen: dict[str, str] = {}
    for identifier, group in wanted.items():
        for wire in group:
            keeps = identifier not in blocked and (
                len(group) == 1 or wire == identifier
            )
            chosen[wire] = identifier if keeps else f"{identifier}_{digest(wire)}"
    used = set(blocked)
    for wire, identifier in chosen.items():
        final = identifier
        if final in used:  # a hash suffix met another name: lengthen it
            final = f"{identifier}_{digest(wire, 12)}"
        used.add(final)
        chosen[wire] = final

    return chosen
