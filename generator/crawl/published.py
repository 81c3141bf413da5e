"""A published OpenAPI document: one more declared source, trusted but verified.

Environments often publish an OpenAPI document (drf-spectacular, DRF's own
schema view) under the root. It knows what OPTIONS never says, nullability
above all, but it is often stale or generated from another serializer. So
every fact it states is compared with OPTIONS, the samples and the probes;
each disagreement is reported with both sides, and what the server actually
does wins. Only what no other source established is taken from it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from generator.crawl.http import Fetcher, same_origin
from generator.crawl.infer import settle_nullable
from generator.errors import CrawlError
from generator.findings import Findings

logger = logging.getLogger(__name__)

# Where DRF applications usually publish their schema, relative to the root.
USUAL_PATHS = ("schema/", "openapi/", "openapi.json", "schema.json", "swagger.json")
ROOT_HINTS = ("schema", "openapi", "swagger")
ENDPOINT = "(published schema)"


@dataclass
class Published:
    """The document and where it came from (a path relative to the root)."""

    document: dict[str, Any]
    path: str
    prefix: str = ""  # the path of its first server, when it names one
    used: set[str] = field(default_factory=set)


def _is_openapi(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("paths"), dict)
        and isinstance(data.get("openapi") or data.get("swagger"), str)
    )


def _candidates(root: str, links: dict[str, Any]) -> list[str]:
    hinted = [
        value
        for name, value in links.items()
        if isinstance(value, str) and any(h in name.lower() for h in ROOT_HINTS)
    ]
    return [*hinted, *(urljoin(root, path) for path in USUAL_PATHS)]


async def find_published(
    fetcher: Fetcher, root: str, links: dict[str, Any], findings: Findings
) -> Published | None:
    """The first usable document at the usual places; failures are warnings."""
    for url in dict.fromkeys(_candidates(root, links)):
        if not same_origin(url, root):
            continue
        try:
            reply = await fetcher.get_json(url, optional=True)
        except CrawlError as error:
            findings.warn(
                "published-schema-unusable",
                f"{_rel(url, root)}: {error}",
                endpoint=ENDPOINT,
            )
            continue
        if reply.status == 404:
            continue
        if reply.status != 200 or not _is_openapi(reply.data):
            findings.warn(
                "published-schema-unusable",
                f"{_rel(url, root)} answered {reply.status}, not an OpenAPI document",
                endpoint=ENDPOINT,
            )
            continue
        document: dict[str, Any] = reply.data
        findings.info(
            "published-schema-found", f"read {_rel(url, root)}", endpoint=ENDPOINT
        )
        return Published(document, _rel(url, root), _server_prefix(document))
    return None


NESTING = 8  # levels of nested objects verified against a document


def _rel(url: str, root: str) -> str:
    path, root_path = urlsplit(url).path, urlsplit(root).path
    return path[len(root_path) :] if path.startswith(root_path) else path


def _server_prefix(document: dict[str, Any]) -> str:
    servers = document.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = servers[0].get("url")
        if isinstance(url, str):
            return urlsplit(url).path.rstrip("/")
    return ""


def _resolve(document: dict[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    if not isinstance(schema, dict) or depth > 20:
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = document
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        return _resolve(document, target, depth + 1)
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1:
        merged = {**_resolve(document, all_of[0], depth + 1)}
        merged.update({k: v for k, v in schema.items() if k != "allOf"})
        return merged
    return schema


def _operation(published: Published, path: str, method: str) -> dict[str, Any] | None:
    paths = published.document["paths"]
    for key in (path, path[len(published.prefix) :] if published.prefix else None):
        item = paths.get(key) if key else None
        if isinstance(item, dict) and isinstance(item.get(method), dict):
            found: dict[str, Any] = item[method]
            return found
    return None


def _json_schema(document: dict[str, Any], holder: Any) -> dict[str, Any]:
    content = holder.get("content") if isinstance(holder, dict) else None
    media = content.get("application/json") if isinstance(content, dict) else None
    return _resolve(document, media.get("schema") if isinstance(media, dict) else None)


def record_facts(
    published: Published, list_path: str
) -> dict[str, dict[str, Any]] | None:
    """Per field of the list's record: what the document states, or None."""
    document = published.document
    listing = _operation(published, list_path, "get")
    if listing is None:
        return None
    page = _json_schema(document, (listing.get("responses") or {}).get("200"))
    if page.get("type") == "array":
        record = _resolve(document, page.get("items"))
    else:
        results = _resolve(document, (page.get("properties") or {}).get("results"))
        record = _resolve(document, results.get("items"))
    properties = record.get("properties")
    if not isinstance(properties, dict):
        return None
    required = _write_required(published, list_path)
    return {
        name: _facts(document, raw, required)
        for name, raw in properties.items()
        if isinstance(name, str)
    }


def _write_required(published: Published, list_path: str) -> set[str] | None:
    creating = _operation(published, list_path, "post")
    if creating is None:
        return None
    body = _json_schema(published.document, creating.get("requestBody"))
    names = body.get("required")
    return (
        {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()
    )


def _facts(
    document: dict[str, Any], raw: Any, required: set[str] | None
) -> dict[str, Any]:
    schema = _resolve(document, raw)
    nullable = bool(schema.get("nullable"))
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if isinstance(options, list):
            parts = [_resolve(document, option) for option in options]
            nullable = nullable or any(_is_null(part) for part in parts)
            real = [part for part in parts if not _is_null(part)]
            schema = {**(real[0] if real else {}), **schema}
    kinds = schema.get("type")
    kinds = {kinds} if isinstance(kinds, str) else set(kinds or [])
    facts: dict[str, Any] = {
        "nullable": nullable or "null" in kinds,
        "type": sorted(k for k in kinds - {"null"} if isinstance(k, str)),
    }
    for key in ("format", "maxLength", "readOnly"):
        if key in schema:
            facts[key] = schema[key]
    items = _resolve(document, schema.get("items"))
    target = items if items.get("properties") else schema
    if isinstance(target.get("properties"), dict):
        # Read only when the server's record has an object here too: a
        # document's objects may refer to themselves, or fan out without end.
        facts["nested"] = (document, target["properties"])
    return facts


def _nested_facts(stated: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
    """The facts of a nested object's fields, or of an array's object items."""
    nested = stated.get("nested")
    if nested is None:
        return None
    document, properties = nested
    return {
        name: _facts(document, raw, None)
        for name, raw in properties.items()
        if isinstance(name, str)
    }


def _is_null(part: dict[str, Any]) -> bool:
    return part.get("type") == "null" or part.get("enum") == [None]


def _kinds(schema: dict[str, Any]) -> tuple[list[str], bool]:
    target = schema
    if isinstance(schema.get("anyOf"), list):
        target = next((o for o in schema["anyOf"] if o != {"type": "null"}), {})
        return (["object"] if "$ref" in target else _kinds(target)[0]), True
    if "$ref" in schema:
        return ["object"], False
    kind = target.get("type")
    kinds = [kind] if isinstance(kind, str) else list(kind or [])
    return sorted(k for k in kinds if k != "null"), "null" in kinds


def merge(
    schema: dict[str, Any],
    facts: dict[str, dict[str, Any]],
    findings: Findings,
    endpoint: str,
) -> None:
    """Verify ``schema`` against the document's ``facts`` and take what is new."""
    _merge_object(schema, schema, facts, findings, endpoint, "")


def _merge_object(
    record: dict[str, Any],
    schema: dict[str, Any],
    facts: dict[str, dict[str, Any]],
    findings: Findings,
    endpoint: str,
    parent: str,
    depth: int = 0,
) -> None:
    properties = schema.get("properties", {})
    for name in sorted(facts.keys() - properties.keys()):
        findings.warn(
            "published-extra-field",
            "the published schema lists a field the server does not send",
            endpoint=endpoint,
            field=(parent + name)[:200],
        )
    for name, field_schema in properties.items():
        stated = facts.get(name)
        if stated is None:
            findings.warn(
                "published-missing-field",
                "the published schema does not list this field",
                endpoint=endpoint,
                field=parent + name,
            )
            continue
        _verify_field(field_schema, stated, findings, endpoint, parent + name)
        nested = _nested_object(record, field_schema)
        inner = _nested_facts(stated) if nested is not None else None
        if nested is not None and inner is not None and depth < NESTING:
            label = f"{parent}{name}/"
            _merge_object(record, nested, inner, findings, endpoint, label, depth + 1)


def _nested_object(
    record: dict[str, Any], field_schema: dict[str, Any]
) -> dict[str, Any] | None:
    """The ``$defs`` object a field (or its array's items) refers to."""
    target = field_schema.get("items", field_schema)
    if not isinstance(target, dict):
        return None
    refs = [target, *(target.get("anyOf") or [])]
    ref = next((r["$ref"] for r in refs if isinstance(r, dict) and "$ref" in r), None)
    prefix = "#/$defs/"
    if not isinstance(ref, str) or not ref.startswith(prefix):
        return None
    found = record.get("$defs", {}).get(ref[len(prefix) :])
    return found if isinstance(found, dict) else None


def _disagree(
    findings: Findings, endpoint: str, name: str, fact: str, ours: Any, theirs: Any
) -> None:
    findings.warn(
        "published-disagrees",
        f"{fact}: the server says {ours!r}, the published schema {theirs!r}",
        endpoint=endpoint,
        field=name,
    )


def _verify_field(
    field_schema: dict[str, Any],
    stated: dict[str, Any],
    findings: Findings,
    endpoint: str,
    name: str,
) -> None:
    meta = field_schema.setdefault("x-acebind", {})
    declared = set(meta.get("declared", []))
    kinds, nullable = _kinds(field_schema)
    if kinds and stated["type"] and kinds != stated["type"]:
        _disagree(findings, endpoint, name, "type", kinds, stated["type"])
    for fact in ("format", "maxLength"):
        ours = field_schema.get(fact)
        if fact in stated and ours is not None and ours != stated[fact]:
            _disagree(findings, endpoint, name, fact, ours, stated[fact])
    if "nullable" in declared or (nullable and not stated["nullable"]):
        if stated["nullable"] != nullable:
            # The server's validation said otherwise, or the records held a null.
            _disagree(
                findings, endpoint, name, "nullable", nullable, stated["nullable"]
            )
    elif not nullable:
        _take_nullable(field_schema, meta, declared, stated["nullable"])


def _take_nullable(
    field_schema: dict[str, Any],
    meta: dict[str, Any],
    declared: set[str],
    nullable: bool,
) -> None:
    """Nothing the server did contradicts the document: its word holds."""
    settle_nullable(field_schema, nullable)
    declared.add("nullable")
    meta["declared"] = sorted(declared)
    meta["published"] = ["nullable"]
