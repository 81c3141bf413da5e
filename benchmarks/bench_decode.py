"""4. Decoding item records into models, against the peers and ``json.loads``.

The records are the sandbox's own: pages of items fetched as JSON, then
replicated with varied keys up to the size asked for, and kept as JSON text
(one page envelope per line). A child process of the peers' interpreter
decodes them with every decoder in turn, round after round.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from benchmarks.measure import child
from benchmarks.peers import Peers
from benchmarks.progress import say
from benchmarks.report import Figure, Section, Target, ratio
from benchmarks.settings import AUTH, ITEMS_PAGE_MAX, Sizes

PEER_GOAL, JSON_GOAL = 2.0, 3.0
LABELS = {
    "json.loads": "json.loads of the records' JSON text",
    "acebind": "acebind decode_item",
    "openapi-python-client": "openapi-python-client Item.from_dict",
    "pydantic": "pydantic v2 Item.model_validate (datamodel-code-generator)",
}


def fetch_items(root: str, count: int) -> list[dict[str, Any]]:
    """The first ``count`` item records as the sandbox returns them."""
    records: list[dict[str, Any]] = []
    with httpx.Client(auth=AUTH, timeout=60) as client:
        page = 1
        while len(records) < count:
            params: dict[str, str | int] = {"format": "json", "page": page}
            params["page_size"] = ITEMS_PAGE_MAX
            reply = client.get(f"{root}items/", params=params)
            reply.raise_for_status()
            data = reply.json()
            records += data["results"]
            if data["next"] is None:
                break
            page += 1
    return records[:count]


def replicate(records: list[dict[str, Any]], total: int) -> list[dict[str, Any]]:
    """``total`` records: copies of ``records`` with their own keys and counters."""
    copies = []
    for index in range(total):
        source = records[index % len(records)]
        copy = index // len(records)
        copies.append(
            {
                **source,
                "ItemId": f"{source['ItemId']}-{copy:03d}",
                "SyncCounter": source["SyncCounter"] + copy,
            }
        )
    return copies


def write_pages(records: list[dict[str, Any]], target: Path, root: str) -> Path:
    """The records as page envelopes of JSON text, one per line."""
    lines = []
    for start in range(0, len(records), ITEMS_PAGE_MAX):
        page = start // ITEMS_PAGE_MAX + 1
        more = start + ITEMS_PAGE_MAX < len(records)
        envelope = {
            "count": len(records),
            "next": f"{root}items/?format=json&page={page + 1}" if more else None,
            "previous": f"{root}items/?format=json&page={page - 1}"
            if page > 1
            else None,
            "results": records[start : start + ITEMS_PAGE_MAX],
        }
        lines.append(json.dumps(envelope, ensure_ascii=False))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def prepare_records(root: str, sizes: Sizes, target: Path) -> Path:
    source = fetch_items(root, sizes.source_items)
    say("decode", f"fetched {len(source)} items; replicating to {sizes.records:,}")
    return write_pages(replicate(source, sizes.records), target, root)


def decode_runs(
    peers: Peers,
    data: Path,
    acebind_root: Path,
    opc_root: Path,
    pydantic_module: Path,
    sizes: Sizes,
) -> dict[str, Any]:
    config = {
        "data": str(data),
        "paths": [str(acebind_root), str(opc_root.parent), str(pydantic_module.parent)],
        "acebind_package": "storesace_demo",
        "opc_package": opc_root.name,
        "pydantic_module": pydantic_module.stem,
        "rounds": sizes.repeat_cheap,
    }
    say("decode", f"decoding {sizes.records:,} records, {sizes.repeat_cheap} rounds")
    measured: dict[str, Any] = child(
        peers.python, "decode_records.py", json.dumps(config)
    )
    return measured


def decode_section(measured: dict[str, Any]) -> Section:
    seconds: dict[str, list[float]] = measured["seconds"]
    figures = {
        name: Figure(LABELS[name], tuple(runs), "s") for name, runs in seconds.items()
    }
    ours = figures["acebind"].median
    to_peer = figures["openapi-python-client"].median / ours
    to_json = ours / figures["json.loads"].median
    to_pydantic = figures["pydantic"].median / ours
    section = Section("decode", "Decoding", list(figures.values()))
    section.targets += [
        Target(
            f"≥ {PEER_GOAL:g}x faster than openapi-python-client",
            f"{ratio(to_peer)} faster",
            to_peer >= PEER_GOAL,
        ),
        Target(
            f"≤ {JSON_GOAL:g}x json.loads",
            f"{ratio(to_json)} json.loads",
            to_json <= JSON_GOAL,
        ),
    ]
    mib = measured["bytes"] / 2**20
    section.notes += [
        f"{measured['records']:,} item records ({mib:.1f} MiB of JSON text), fetched "
        "from the sandbox and replicated with varied keys, decoded page by page. The "
        "model figures leave `json.loads` out; the `json.loads` figure parses the "
        "same pages.",
        "All four run in one process of the peers' interpreter (the same Python, attrs "
        "and httpx as acebind's environment), each round in a rotated order.",
        f"pydantic's `model_validate` takes {ratio(to_pydantic)} acebind's time. "
        "acebind turns `UnitPrice` into `Decimal` and `CreatedAt` into `datetime`; "
        "openapi-python-client keeps the decimals as strings.",
    ]
    if to_peer < PEER_GOAL:
        section.notes.append(_why(measured["hot"]))
    return section


def _why(hot: list[tuple[str, float]]) -> str:
    shares = ", ".join(f"`{label}` {share:.0%}" for label, share in hot)
    return (
        "Why the openapi-python-client target is missed: both are straight-line "
        "generated code, one function call per record and per nested line, so the "
        "interpreter's per-call and per-object costs dominate both. A profile of "
        f"acebind's decoding (own time, 10,000 records): {shares}."
    )
