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
# Names a generated module defines or imports at top level, and attrs' own;
# and the types of the hints, which a field of the same name would shadow in
# its class body.
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
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "l",  # ambiguous (pycodestyle E741), as are I and O below
}
# Names pycodestyle calls ambiguous (E741, E742): l, O and I.
AMBIGUOUS = {"l", "O", "I"}
# Class names the generated modules import or define beside the classes, and
# the ones datamodel-code-generator takes for itself (it renames a class of
# such a name, and one with an underscore, behind the IR's back).
CLASS_RESERVED = {
    "Any",
    "AsyncIterator",
    "Iterable",
    "Iterator",
    "Mapping",
    "IntEnum",
    "StrEnum",
    "Unset",
    "UNSET",
    "PATH",
    "TYPE_CHECKING",
    "Client",
    "AsyncClient",
    "Model",
    "TypeAlias",
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
    """``InvoiceStatus`` from ``invoice status``; a valid class name.

    Only ASCII letters and digits, a capital first: a name
    datamodel-code-generator keeps as it is. One that is a keyword, a
    builtin or reserved takes ``prefix`` as a suffix (``NoneModel``).
    """
    words = ascii_words(name)
    joined = "".join(word[:1].upper() + word[1:] for word in words)
    if not joined:
        return f"{prefix}{digest(name).upper()}"
    if joined[0].isdigit():
        joined = f"{prefix}{joined}"
    if len(joined) > MAX_LENGTH:
        joined = f"{joined[: MAX_LENGTH - 6]}{digest(name).upper()}"
    if (
        keyword.iskeyword(joined)
        or hasattr(builtins, joined)
        or joined in RESERVED | CLASS_RESERVED | AMBIGUOUS
    ):
        joined += prefix
    return joined


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
    if candidate in ("NAME", "VALUE", *AMBIGUOUS) or candidate.startswith("_"):
        candidate += "_"
    return candidate


def unique(
    wires: Iterable[str],
    clean: Callable[[str], str],
    taken: Iterable[str] = (),
    sep: str = "_",
) -> dict[str, str]:
    """Map each wire name to an identifier unique within one scope.

    ``taken`` are identifiers the scope already uses (they always win); ``sep``
    goes between an identifier and its hash suffix (none for class names).
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
            chosen[wire] = identifier if keeps else f"{identifier}{sep}{digest(wire)}"
    used = set(blocked)
    for wire, identifier in chosen.items():
        final, salt = identifier, wire
        while final in used:  # a hash suffix met another name: lengthen it
            final = f"{identifier}{sep}{digest(salt, 12)}"
            salt = final
        used.add(final)
        chosen[wire] = final

    return chosen
