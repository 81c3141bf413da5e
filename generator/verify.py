"""``acebind verify``: decode every record of an environment with its bindings.

Partners run it before trusting new bindings. Records are fetched through the
crawler's fetcher (origin guard, bounded concurrency, retries), decoded with
the generated package's own decoders, and checked against the types the
bindings promise. A record that does not decode, or decodes into a value of
another type than its attribute's, is reported with the JSON pointer of the
field and the JSON type it held, never the value.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import importlib
import re
import sys
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urljoin

from generator.crawl.crawler import page_of
from generator.crawl.http import Fetcher, canonical_url
from generator.crawl.infer import json_kind
from generator.errors import GenerateError
from generator.generate.ir import EndpointIR, package_ir, unknown_nullability
from generator.schema.tree import SchemaTree

PAGE_SIZE = 1000
# How a string of each format must parse for the bindings to decode it.
PARSERS: dict[str, Callable[[str], object]] = {
    "date": datetime.date.fromisoformat,
    "date-time": datetime.datetime.fromisoformat,
    "time": datetime.time.fromisoformat,
    "uuid": uuid.UUID,
    "decimal": decimal.Decimal,
}
DURATION = re.compile(r"^-?(\d+ )?(\d{1,2}:)?(\d{1,2}:)?\d{1,2}(\.\d{1,6})?$|^-?P")


@dataclass
class EndpointReport:
    endpoint: str
    records: int = 0
    failed: int = 0
    problems: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.failed == 0


def _kinds(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind} if kind else set()
    if "number" in kinds:
        kinds.add("integer")
    return kinds


def _string_problem(schema: dict[str, Any], value: str) -> str | None:
    fmt = schema.get("format")
    if fmt == "duration":
        return None if DURATION.match(value) else "string not a duration"
    parser = PARSERS.get(fmt) if isinstance(fmt, str) else None
    if parser is None:
        return None
    try:
        parser(value)
    except (ValueError, ArithmeticError):
        return f"string not a {fmt}"
    return None


def problems(
    schema: dict[str, Any], value: Any, defs: dict[str, Any], pointer: str = ""
) -> list[tuple[str, str]]:
    """``(pointer, problem)`` for each place ``value`` breaks what ``schema`` says."""
    if value is None and unknown_nullability(schema):
        return []  # the bindings read such a field as nullable
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if isinstance(o, dict)]
        if value is None and {"type": "null"} in options:
            return []
        schema = next((o for o in options if o != {"type": "null"}), {})
    if "$ref" in schema:
        schema = defs.get(str(schema["$ref"]).rsplit("/", 1)[-1], {})
    kinds = _kinds(schema)
    found = json_kind(value)
    if not kinds:
        return []
    if found not in kinds:
        expected = "/".join(sorted(kinds - {"null"})) or "null"
        return [(pointer or "/", f"{found} where {expected} was expected")]
    if found == "string":
        problem = _string_problem(schema, value)
        return [(pointer or "/", problem)] if problem else []
    if found == "array" and isinstance(schema.get("items"), dict):
        return [
            hit
            for index, item in enumerate(value)
            for hit in problems(schema["items"], item, defs, f"{pointer}/{index}")
        ]
    if found == "object" and isinstance(schema.get("properties"), dict):
        return _object_problems(schema, value, defs, pointer)
    return []


def _object_problems(
    schema: dict[str, Any], value: dict[str, Any], defs: dict[str, Any], pointer: str
) -> list[tuple[str, str]]:
    hits = []
    for name in schema.get("required", []):
        if name not in value:
            hits.append((f"{pointer}/{escape(name)}", "missing"))
    for name, sub in schema["properties"].items():
        if name in value and isinstance(sub, dict):
            hits += problems(sub, value[name], defs, f"{pointer}/{escape(name)}")
    return hits


def escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def general(pointer: str) -> str:
    """The pointer with array indices folded, to count alike problems together."""
    return re.sub(r"/\d+(?=/|$)", "/*", pointer)


def load_package(generated: Path, package: str) -> ModuleType:
    if not (generated / package).is_dir():
        raise GenerateError(f"no generated package {package} in {generated}")
    sys.path.insert(0, str(generated))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(generated))


def decoder_of(package: str, endpoint: EndpointIR) -> Callable[[Any], Any]:
    module = importlib.import_module(f"{package}.models.{endpoint.module}")
    decode: Callable[[Any], Any] = getattr(module, endpoint.record.decoder)
    return decode


def check_record(
    report: EndpointReport,
    record: Any,
    decode: Callable[[Any], Any],
    schema: dict[str, Any],
) -> None:
    report.records += 1
    found = problems(schema, record, schema.get("$defs", {}))
    try:
        decode(record)
    except Exception as error:  # whatever the decoder raises is the finding
        if not found:
            found = [("/", f"does not decode: {type(error).__name__}")]
    if found:
        report.failed += 1
        report.problems.update((general(p), problem) for p, problem in found)


async def verify_endpoint(
    fetcher: Fetcher,
    root: str,
    endpoint: EndpointIR,
    schema: dict[str, Any],
    decode: Callable[[Any], Any],
    max_records: int,
) -> EndpointReport:
    report = EndpointReport(endpoint.name)
    url: str | None = urljoin(root, endpoint.path)
    params: dict[str, str] | None = {"page_size": str(PAGE_SIZE)}
    if endpoint.page_size is None:
        params = None
    seen: set[str] = set()
    while url and report.records < max_records and canonical_url(url) not in seen:
        seen.add(canonical_url(url))
        page = page_of(await fetcher.get_json(url, params=params))
        for record in page.records[: max_records - report.records]:
            check_record(report, record, decode, schema)
        url, params = page.next, None
    return report


async def verify_environment(
    tree: SchemaTree,
    environment: str,
    generated: Path,
    root: str,
    auth: tuple[str, str],
    *,
    max_records: int = 100_000,
    concurrency: int = 8,
    timeout: float = 30.0,
    insecure_http: bool = False,
) -> list[EndpointReport]:
    """Every endpoint's report, in the order of the schema tree."""
    package = package_ir(tree, environment)
    load_package(generated, package.package)
    async with Fetcher(
        root,
        auth=auth,
        concurrency=concurrency,
        timeout=timeout,
        insecure_http=insecure_http,
    ) as fetcher:
        return list(
            await asyncio.gather(
                *(
                    verify_endpoint(
                        fetcher,
                        root,
                        endpoint,
                        tree.schemas[endpoint.name],
                        decoder_of(package.package, endpoint),
                        max_records,
                    )
                    for endpoint in package.endpoints
                )
            )
        )
