"""Validation probes that can never write (opt-in: ``--probe`` or ``probe = true``).

DRF validates every field of a POST body before it saves anything, and
answers 400 with the messages per field when any field fails. A probe body
therefore carries, next to the values under test, one *poison*: a value its
field's type can never accept (a word for an integer, an unknown choice), so
the whole body is rejected whatever the other values do. What the errors say
of each field tells the facts OPTIONS never declares:

* ``null`` for every writable field: the fields that do not complain accept
  null (``allow_null``);
* ``""`` for every plain string field: the ones that do not complain accept
  blanks (``allow_blank``).

Only POST is ever sent, never PUT, PATCH or DELETE. Before and after, the
endpoint's record count (and, where the sync counter filter works, the count
of records changed after the highest counter sampled) is read again; if
either moved, the promise was broken and probing stops for the environment.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from generator.crawl.http import Fetcher
from generator.errors import UnexpectedResponse

logger = logging.getLogger(__name__)

POISON_WORD = "acebind-probe: not a value of this type"
NUMERIC = {"integer", "float", "decimal"}
TEMPORAL = {"date", "datetime", "time", "duration"}
PLAIN_STRINGS = {"string", "slug", "regex", "email", "url"}


@dataclass
class ProbeResult:
    facts: dict[str, dict[str, bool]] = field(default_factory=dict)
    changed: bool = False
    skipped: str | None = None
    requests: int = 0


def writable_fields(declared: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: info
        for name, info in declared.items()
        if isinstance(info, dict) and info.get("read_only") is not True
    }


def poison_for(info: dict[str, Any]) -> Any:
    """A value ``info``'s field can never accept, or None when there is none."""
    kind = info.get("type")
    if kind in NUMERIC or kind in TEMPORAL or kind == "boolean":
        return POISON_WORD
    if kind in ("choice", "multiple choice") and isinstance(info.get("choices"), list):
        known = {str(c.get("value")) for c in info["choices"] if isinstance(c, dict)}
        word = POISON_WORD
        while word in known:
            word += "!"
        return word if kind == "choice" else [word]
    limit = info.get("max_length")
    if kind in PLAIN_STRINGS and isinstance(limit, int) and 0 < limit < 10_000:
        return "x" * (limit + 1)
    return None


def poisons(fields: dict[str, dict[str, Any]]) -> list[tuple[str, Any]]:
    found = [(name, poison_for(info)) for name, info in fields.items()]
    return [(name, value) for name, value in found if value is not None]


async def _count(fetcher: Fetcher, url: str, params: dict[str, str]) -> int | None:
    reply = await fetcher.get_json(url, params=params)
    data = reply.data
    if reply.status != 200 or not isinstance(data, dict):
        return None
    count = data.get("count")
    return count if isinstance(count, int) and not isinstance(count, bool) else None


async def _state(
    fetcher: Fetcher, url: str, size: dict[str, str], counter: int | None
) -> tuple[int | None, int | None]:
    total = await _count(fetcher, url, size)
    if counter is None:
        return total, None
    return total, await _count(fetcher, url, {**size, "synccounter": str(counter)})


async def _errors(
    fetcher: Fetcher, url: str, body: dict[str, Any]
) -> dict[str, Any] | None:
    """The per-field errors of a rejected body; None if it was not rejected as such."""
    reply = await fetcher.post_json(url, body)
    if reply.status == 400 and isinstance(reply.data, dict):
        return reply.data
    if 200 <= reply.status < 300:
        raise UnexpectedResponse(f"{url} accepted a probe body ({reply.status})")
    return None


async def probe_endpoint(
    fetcher: Fetcher,
    url: str,
    declared: dict[str, Any],
    size: dict[str, str],
    counter: int | None,
) -> ProbeResult:
    """Probe one list URL; ``counter`` is the highest sync counter sampled."""
    result = ProbeResult()
    fields = writable_fields(declared)
    candidates = poisons(fields)
    if not candidates:
        result.skipped = "no field whose type rejects a poison value"
        return result
    before = await _state(fetcher, url, size, counter)
    if before[0] is None:
        result.skipped = "no record count to check that nothing was written"
        return result
    try:
        await _probe_nulls(fetcher, url, fields, candidates, result)
        await _probe_blanks(fetcher, url, fields, candidates[0], result)
    except UnexpectedResponse as error:
        logger.error("probing %s broke its promise: %s", url, error)
        result.changed = True
        return result
    after = await _state(fetcher, url, size, counter)
    result.changed = before != after

    return result


async def _probe_nulls(
    fetcher: Fetcher,
    url: str,
    fields: dict[str, dict[str, Any]],
    candidates: list[tuple[str, Any]],
    result: ProbeResult,
) -> None:
    first, poison = candidates[0]
    body = dict.fromkeys(fields)
    body[first] = poison
    errors = await _errors(fetcher, url, body)
    result.requests += 1
    if errors is None or first not in errors:
        return  # rejected for no reason we can read: learn nothing
    for name in fields:
        if name != first:
            result.facts.setdefault(name, {})["nullable"] = name not in errors
    if len(candidates) > 1:  # the first poisoned field's own nullability
        second, other = candidates[1]
        errors = await _errors(fetcher, url, {first: None, second: other})
        result.requests += 1
        if errors is not None and second in errors:
            result.facts.setdefault(first, {})["nullable"] = first not in errors


async def _probe_blanks(
    fetcher: Fetcher,
    url: str,
    fields: dict[str, dict[str, Any]],
    candidate: tuple[str, Any],
    result: ProbeResult,
) -> None:
    first, poison = candidate
    strings = [
        name for name, info in fields.items()
        if info.get("type") in PLAIN_STRINGS and name != first
    ]  # fmt: skip
    if not strings:
        return
    body: dict[str, Any] = dict.fromkeys(strings, "")
    body[first] = poison
    errors = await _errors(fetcher, url, body)
    result.requests += 1
    if errors is None or first not in errors:
        return
    for name in strings:
        result.facts.setdefault(name, {})["allowBlank"] = name not in errors
