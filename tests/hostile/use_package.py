"""Import a generated package and use every endpoint of it, offline.

Run as ``python use_package.py PACKAGE_ROOT SPEC``: for each endpoint of the
spec, decode the records the hostile server served, encode them again, list
them through a ``Client`` on an ``httpx.MockTransport``, get one by key,
upsert them, and follow a ``next`` link to another origin (which the client
must refuse without sending). Prints one JSON line of what happened, and
nothing else: any other output came from somewhere it should not have.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import httpx

BASE = "http://testserver/env/api/"
ELSEWHERE = "http://elsewhere.invalid:1/steal/?page=2"


def reply(data: Any) -> httpx.Response:
    """JSON as a server sends it, lone surrogates escaped."""
    headers = {"Content-Type": "application/json"}
    return httpx.Response(200, content=json.dumps(data).encode(), headers=headers)


def use(package: str, endpoint: dict[str, Any], password: str) -> dict[str, Any]:
    models = importlib.import_module(f"{package}.models.{endpoint['module']}")
    module = importlib.import_module(f"{package}.endpoints.{endpoint['module']}")
    client_module = importlib.import_module(f"{package}.client")
    runtime = importlib.import_module(f"{package}._runtime")
    decode = getattr(models, endpoint["decoder"])
    encode = getattr(models, endpoint["encoder"])
    records = endpoint["records"]
    decoded = [decode(record) for record in records]
    mismatches = [
        wire
        for record, model in zip(records, decoded, strict=True)
        for wire, value in encode(model).items()
        if wire in record and value != record[wire]
    ]
    seen: list[str] = []
    list_path = httpx.URL(BASE).join(module.PATH).path

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.method == "POST":
            json.loads(request.content)
            return reply({"status": "1"})
        if request.url.path != list_path:
            return reply(records[0])
        next_link = ELSEWHERE if request.url.params.get("elsewhere") else None
        return reply({"count": len(records), "next": next_link, "results": records})

    transport = httpx.MockTransport(handler)
    outcome: dict[str, Any] = {"decoded": len(decoded), "mismatches": mismatches}
    with client_module.Client(
        BASE, username="user", password=password, transport=transport
    ) as client:
        access = getattr(client, endpoint["attr"])
        outcome["listed"] = len(list(access.iterate()))
        if endpoint["key"] is not None and decoded:
            got = access.get(getattr(decoded[0], endpoint["key"]))
            outcome["got"] = got == decoded[0]
            outcome["detail"] = seen[-1]
        if endpoint["can_post"]:
            report = access.upsert_many(decoded, batch_size=2)
            outcome["saved"] = len(report.saved)
        try:
            for _ in client.iter_pages(module.PATH, {"elsewhere": "1"}):
                pass
        except runtime.UnexpectedResponseError:
            outcome["refused_elsewhere"] = True
    outcome["hosts"] = sorted({httpx.URL(url).host for url in seen})
    return outcome


def main() -> None:
    root, spec_path = sys.argv[1], sys.argv[2]
    sys.path.insert(0, root)
    spec = json.loads(Path(spec_path).read_text())
    results = {
        endpoint["name"]: use(spec["package"], endpoint, spec["password"])
        for endpoint in spec["endpoints"]
    }
    sys.stdout.write(json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
