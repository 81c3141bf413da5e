"""OpenAPI 3.1 of a whole environment, from the schema tree's facts alone.

The document is a function of the index and the endpoint schemas: no clock,
no host (the API root is configuration, so ``servers`` is a relative
placeholder), and every name is derived from names, never from positions,
so that crawling the same environment twice writes the same bytes.

Endpoint names, paths and field names come from the server and are not
trusted: operation ids and component names are sanitised, paths are
percent-encoded, and clashes are resolved with suffixes derived from the
clashing names themselves.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

OPENAPI_VERSION = "3.1.0"
DOCUMENT_VERSION = "acebind-1"
REF_PREFIX = "#/components/schemas/"
JSON_MEDIA = "application/json"
NAME_LIMIT = 100
STEM_LIMIT = 64
PATH_SAFE = "/!$&'()*+,;=:@-._~%"

# Keywords whose values are schemas, maps of schemas or lists of schemas; only
# these are walked to rewrite references, so an ``enum`` value or an
# ``x-acebind`` annotation that happens to hold a "$ref" key is left alone.
SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_VALUES = frozenset(
    {
        "items",
        "additionalItems",
        "additionalProperties",
        "unevaluatedItems",
        "unevaluatedProperties",
        "propertyNames",
        "contains",
        "not",
        "if",
        "then",
        "else",
        "contentSchema",
    }
)
# "items" as a list is a pre-2020 tuple; its schemas still need their references.
SCHEMA_ARRAYS = SCHEMA_LISTS | {"items", "additionalItems"}
# Dropped from a component's root: "$id" would rebase every reference inside it.
ROOT_ONLY = frozenset({"$schema", "$id", "$defs"})

ComponentKey = tuple[str, str | None]  # (schema file, $defs name or None)


@dataclass(frozen=True)
class Endpoint:
    """An index entry that can be described: its kind is known, its schema read."""

    name: str
    path: str
    kind: str
    file: str
    schema: dict[str, Any]
    entry: dict[str, Any]


def build_openapi(
    index: dict[str, Any], schemas: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the environment ``index`` describes."""
    endpoints = _endpoints(index, schemas)
    names = _component_names(endpoints)
    components = _components(endpoints, names)
    environment = index.get("environment")
    document = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"StoresAce environment {environment}",
            "version": DOCUMENT_VERSION,
        },
        "servers": [
            {
                "url": "/",
                "description": "The environment's API root; its URL is configuration.",
            }
        ],
        "security": [{"basic": []}],
        "paths": _paths(endpoints, names, components),
        "components": {
            "schemas": components,
            "securitySchemes": {"basic": {"type": "http", "scheme": "basic"}},
        },
    }
    # A copy through JSON: no object is shared with the input or appears twice,
    # so a caller may edit the result freely.
    copied: dict[str, Any] = json.loads(json.dumps(document))
    return copied


def _endpoints(
    index: dict[str, Any], schemas: Mapping[str, dict[str, Any]]
) -> list[Endpoint]:
    found: list[Endpoint] = []
    entries = index.get("endpoints")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        name, path, kind, file = (
            entry.get(key) for key in ("name", "path", "kind", "schema")
        )
        if not (
            isinstance(name, str)
            and isinstance(path, str)
            and kind in ("list", "object")
            and isinstance(file, str)
            and isinstance(schemas.get(file), dict)
        ):
            continue
        found.append(Endpoint(name, path, str(kind), file, schemas[file], entry))
    return found


# Names.


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def _pascal(text: str, fallback: str) -> str:
    """``SalesPrices`` from any text: ASCII letters and digits, a letter first."""
    parts = re.findall(r"[A-Za-z0-9]+", text)
    joined = "".join(part[:1].upper() + part[1:] for part in parts)
    if not joined or joined[0].isdigit():
        joined = fallback + joined
    if len(joined) > NAME_LIMIT:
        # The hash keeps two long names with one prefix apart.
        joined = f"{joined[: NAME_LIMIT - 9]}_{_digest(text, 8)}"
    return joined


def _snake(text: str) -> str:
    """``store_items`` from any text: lower-case ASCII letters, digits and ``_``."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    if not cleaned:
        return f"endpoint_{_digest(text, 8)}"
    if len(cleaned) > STEM_LIMIT:
        return f"{cleaned[: STEM_LIMIT - 9].rstrip('_')}_{_digest(text, 8)}"
    return cleaned


def unique_names(
    wanted: Mapping[str, str], suffixes: Callable[[str], Sequence[str]]
) -> dict[str, str]:
    """A name per key, unique ignoring case, from its wanted name and suffixes.

    Every key whose name clashes takes its next suffix, round after round; the
    last suffix is a hash of the key, so clashes end. Each round depends only
    on the set of names, so the result does not depend on the keys' order.
    Case is ignored because names become class and file names.
    """
    tails = {key: [*suffixes(key), f"_{_digest(key, 16)}"] for key in wanted}
    level = dict.fromkeys(wanted, 0)
    while True:
        names = {key: wanted[key] + "".join(tails[key][: level[key]]) for key in wanted}
        counts = Counter(name.casefold() for name in names.values())
        clashing = [
            key
            for key, name in names.items()
            if counts[name.casefold()] > 1 and level[key] < len(tails[key])
        ]
        if not clashing:
            return names
        for key in clashing:
            level[key] += 1


def _component_key(key: ComponentKey) -> str:
    return json.dumps(list(key))


def _record_name(endpoint: Endpoint) -> str:
    title = endpoint.schema.get("title")
    if isinstance(title, str) and title.strip():
        return _pascal(title, "Record")
    return _pascal(endpoint.name.rsplit("/", 1)[-1], "Record")


def _defs(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return {}
    return {name: value for name, value in defs.items() if isinstance(value, dict)}


def _component_names(endpoints: Sequence[Endpoint]) -> dict[ComponentKey, str]:
    """Unique component names for every record schema and nested definition."""
    wanted: dict[str, str] = {}
    owner: dict[str, str] = {}  # key -> endpoint name, the first suffix on a clash
    keys: dict[str, ComponentKey] = {}
    for endpoint in endpoints:
        record = _record_name(endpoint)
        parts: list[tuple[str | None, str]] = [(None, record)]
        parts += [
            (name, record + _pascal(name, "Object")) for name in _defs(endpoint.schema)
        ]
        for definition, name in parts:
            key = (endpoint.file, definition)
            text = _component_key(key)
            if text in wanted:
                continue  # two entries sharing one schema file share its components
            wanted[text], owner[text], keys[text] = name, endpoint.name, key
    names = unique_names(wanted, lambda text: [f"_{_snake(owner[text])}"])
    return {keys[text]: name for text, name in names.items()}


# Components.


def _components(
    endpoints: Sequence[Endpoint], names: Mapping[ComponentKey, str]
) -> dict[str, Any]:
    components: dict[str, Any] = {}
    done: set[str] = set()
    for endpoint in endpoints:
        if endpoint.file in done:
            continue
        done.add(endpoint.file)
        schema = endpoint.schema
        target = _targets(schema, endpoint.file, names)
        root = {key: value for key, value in schema.items() if key not in ROOT_ONLY}
        components[names[(endpoint.file, None)]] = _rewrite(root, target)
        for definition, body in _defs(schema).items():
            inner = {key: value for key, value in body.items() if key != "$schema"}
            components[names[(endpoint.file, definition)]] = _rewrite(inner, target)
    return dict(sorted(components.items()))


def _targets(
    schema: dict[str, Any], file: str, names: Mapping[ComponentKey, str]
) -> Callable[[str], str | None]:
    def target(ref: str) -> str | None:
        return _ref_target(ref, schema, file, names)

    return target


def _rewrite(schema: Any, target: Callable[[str], str | None]) -> Any:
    """A copy of ``schema`` with its references pointing into the components.

    A reference that cannot be resolved is dropped: the schema then allows more
    than the server sends, never less, and the document stays valid.
    """
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str):
            rewritten = target(value)
            if rewritten is not None:
                result[key] = rewritten
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            result[key] = {name: _rewrite(item, target) for name, item in value.items()}
        elif key in SCHEMA_ARRAYS and isinstance(value, list):
            result[key] = [_rewrite(item, target) for item in value]
        elif key in SCHEMA_VALUES:
            result[key] = _rewrite(value, target)
        else:
            result[key] = value
    return result


def _unescape(token: str) -> str:
    return unquote(token).replace("~1", "/").replace("~0", "~")


def _exists(document: Any, tokens: Sequence[str]) -> bool:
    for token in tokens:
        name = _unescape(token)
        if isinstance(document, dict) and name in document:
            document = document[name]
        elif (
            isinstance(document, list) and name.isdigit() and int(name) < len(document)
        ):
            document = document[int(name)]
        else:
            return False
    return isinstance(document, (dict, bool))


def _ref_target(
    ref: str,
    schema: dict[str, Any],
    file: str,
    names: Mapping[ComponentKey, str],
) -> str | None:
    """Where a reference inside one endpoint's document points in the components."""
    if not ref.startswith("#") or (len(ref) > 1 and not ref.startswith("#/")):
        return None  # another document or an anchor: nothing here to point at
    tokens = ref[2:].split("/") if len(ref) > 1 else []
    if not _exists(schema, tokens):
        return None
    if len(tokens) >= 2 and tokens[0] == "$defs":
        definition = _unescape(tokens[1])
        if (file, definition) not in names:
            return None
        rest = "".join(f"/{token}" for token in tokens[2:])
        return f"{REF_PREFIX}{names[(file, definition)]}{rest}"
    if tokens == ["$defs"]:
        return None
    rest = "".join(f"/{token}" for token in tokens)
    return f"{REF_PREFIX}{names[(file, None)]}{rest}"


# Paths.


def _encoded(text: str) -> str:
    """``text`` percent-encoded as URL path segments, its slashes kept."""
    escaped = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", text)
    segments = [quote(segment, safe=PATH_SAFE) for segment in escaped.split("/")]
    # "." and ".." would be resolved away by clients and point elsewhere.
    segments = [
        segment.replace(".", "%2E") if segment in (".", "..") else segment
        for segment in segments
    ]
    return "/".join(segments)


def _url_path(relative: str) -> str:
    """``/items/`` from a path relative to the API root."""
    return "/" + _encoded(relative.lstrip("/"))


def _template(path: str) -> str:
    """The form OpenAPI compares paths in: parameter names do not count."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def _param_name(key: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", key).strip("_")[:STEM_LIMIT]
    return cleaned or "key"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": REF_PREFIX + name}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON_MEDIA: {"schema": schema}}}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _page_size(size: Mapping[str, Any], description: str) -> list[dict[str, Any]]:
    param = size.get("param")
    if not isinstance(param, str) or not param:
        return []
    schema: dict[str, Any] = {"type": "integer"}
    for source, target in (
        ("min", "minimum"),
        ("max", "maximum"),
        ("default", "default"),
    ):
        value = _int(size.get(source))
        if value is not None:
            schema[target] = value
    return [_query(param, schema, description)]


def _pagination_parameters(pagination: Mapping[str, Any]) -> list[dict[str, Any]]:
    style = pagination.get("style")
    raw_size = pagination.get("pageSize")
    size: Mapping[str, Any] = raw_size if isinstance(raw_size, dict) else {}
    if style == "page-number":
        page = pagination.get("pageParam")
        page = page if isinstance(page, str) and page else "page"
        return [
            _query(page, {"type": "integer", "minimum": 1}, "Page number, from 1."),
            *_page_size(size, "Records per page."),
        ]
    if style == "limit-offset":
        offset = pagination.get("offsetParam")
        offset = offset if isinstance(offset, str) and offset else "offset"
        return [
            *_page_size(
                {**size, "param": size.get("param") or "limit"}, "Records per page."
            ),
            _query(offset, {"type": "integer", "minimum": 0}, "Records to skip."),
        ]
    if style == "cursor":
        cursor = pagination.get("cursorParam")
        cursor = cursor if isinstance(cursor, str) and cursor else "cursor"
        return [
            _query(
                cursor, {"type": "string"}, "The cursor of a next or previous link."
            ),
            *_page_size(size, "Records per page."),
        ]
    return []


def _list_parameters(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    pagination = entry.get("pagination")
    parameters = _pagination_parameters(
        pagination if isinstance(pagination, dict) else {}
    )
    filters = entry.get("filters")
    filters = filters if isinstance(filters, dict) else {}
    if filters.get("store") is True:
        parameters.append(
            _query("store", {"type": "integer"}, "Only records of this store.")
        )
    if filters.get("synccounter") is True:
        parameters.append(
            _query(
                "synccounter",
                {"type": "integer", "format": "int64"},
                "Only records changed after this sync counter.",
            )
        )
    search = entry.get("search")
    for name in search if isinstance(search, list) else []:
        if isinstance(name, str) and name:
            parameters.append(
                _query(name, {"type": "string"}, "A filter the browsable API lists.")
            )
    # One parameter per name: the first, pagination before filters.
    unique: dict[str, dict[str, Any]] = {}
    for parameter in parameters:
        unique.setdefault(parameter["name"], parameter)
    return list(unique.values())


def _list_response(style: Any, record: dict[str, Any]) -> dict[str, Any]:
    results = {"type": "array", "items": record}
    if style not in ("page-number", "limit-offset", "cursor"):
        return results
    link = {"type": ["string", "null"], "format": "uri"}
    properties: dict[str, Any] = {}
    if style != "cursor":
        properties["count"] = {"type": "integer", "minimum": 0}
    properties.update({"next": link, "previous": dict(link), "results": results})
    return {"type": "object", "properties": properties, "required": list(properties)}


def _methods(value: Any) -> set[str]:
    return (
        {m for m in value if isinstance(m, str)} if isinstance(value, list) else set()
    )


VALIDATION_ERRORS = {
    "description": "Validation errors: per field, or per index for an array.",
    "content": {JSON_MEDIA: {"schema": {"type": ["object", "array"]}}},
}
STATUS = {
    "type": "object",
    "properties": {"status": {"type": "string"}},
    "required": ["status"],
}


def _partial(component: Mapping[str, Any]) -> dict[str, Any]:
    """A PATCH body: any of the record's fields, none of them required."""
    properties = component.get("properties")
    return {
        "type": "object",
        "properties": properties if isinstance(properties, dict) else {},
    }


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    verb: str  # the operation id's first word
    endpoint: Endpoint
    body: dict[str, Any]


def _list_operations(
    endpoint: Endpoint, path: str, record: dict[str, Any]
) -> list[Operation]:
    entry = endpoint.entry
    pagination = entry.get("pagination")
    style = pagination.get("style") if isinstance(pagination, dict) else None
    get: dict[str, Any] = {
        "parameters": _list_parameters(entry),
        "responses": {"200": _json(_list_response(style, record), "The records.")},
    }
    operations = [Operation(path, "get", "list", endpoint, get)]
    if "POST" in _methods(entry.get("methods")):
        body = {"oneOf": [record, {"type": "array", "items": record}]}
        post = {
            "requestBody": {
                "required": True,
                "content": {JSON_MEDIA: {"schema": body}},
            },
            "responses": {
                "200": _json(STATUS, "Saved: every record sent, or none."),
                "400": VALIDATION_ERRORS,
            },
        }
        operations.append(Operation(path, "post", "create", endpoint, post))
    return operations


def _key_schema(endpoint: Endpoint, key: str) -> dict[str, Any]:
    properties = endpoint.schema.get("properties")
    field = properties.get(key) if isinstance(properties, dict) else None
    kind = field.get("type") if isinstance(field, dict) else None
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "integer" in kinds and kinds <= {"integer", "null"}:
        return {"type": "integer"}
    return {"type": "string"}


def _detail_path(detail: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """The detail URL's OpenAPI path, its parameter's name and the record key."""
    path, key = detail.get("path"), detail.get("key")
    if not isinstance(path, str) or not isinstance(key, str) or not key:
        return None
    placeholder = "{" + key + "}"
    at = path.rfind(placeholder)
    if at < 0:
        return None
    name = _param_name(key)
    prefix = _url_path(path[:at])
    suffix = _encoded(path[at + len(placeholder) :])
    return f"{prefix}{{{name}}}{suffix}", name, key


@dataclass(frozen=True)
class Detail:
    path: str
    parameter: dict[str, Any]
    operations: list[Operation]


def _detail(
    endpoint: Endpoint, record: dict[str, Any], component: Mapping[str, Any]
) -> Detail | None:
    detail = endpoint.entry.get("detail")
    if not isinstance(detail, dict):
        return None
    found = _detail_path(detail)
    if found is None:
        return None
    path, name, key = found
    parameter = {
        "name": name,
        "in": "path",
        "required": True,
        "description": "The record's key field.",
        "schema": _key_schema(endpoint, key),
        "x-acebind": {"field": key},
    }
    get = {"responses": {"200": _json(record, "The record.")}}
    operations = [Operation(path, "get", "retrieve", endpoint, get)]
    methods = _methods(detail.get("methods"))
    writes = (
        ("PUT", "update", record),
        ("PATCH", "partial_update", _partial(component)),
    )
    for method, verb, schema in writes:
        if method in methods:
            body = {
                "requestBody": {
                    "required": True,
                    "content": {JSON_MEDIA: {"schema": schema}},
                },
                "responses": {
                    "200": _json(record, "The record."),
                    "400": VALIDATION_ERRORS,
                },
            }
            operations.append(Operation(path, method.lower(), verb, endpoint, body))
    return Detail(path, parameter, operations)


def _object_operations(
    endpoint: Endpoint, path: str, record: dict[str, Any]
) -> list[Operation]:
    get = {"responses": {"200": _json(record, "The object.")}}
    return [Operation(path, "get", "get", endpoint, get)]


def _operation_ids(operations: Sequence[Operation]) -> dict[str, str]:
    """``list_items`` and the like, unique; keyed by "METHOD path"."""
    wanted = {
        f"{op.method} {op.path}": f"{op.verb}_{_snake(op.endpoint.name)}"
        for op in operations
    }
    endpoint = {f"{op.method} {op.path}": op.endpoint.name for op in operations}
    return unique_names(wanted, lambda key: [f"_{_digest(endpoint[key], 8)}"])


def _paths(
    endpoints: Sequence[Endpoint],
    names: Mapping[ComponentKey, str],
    components: Mapping[str, Any],
) -> dict[str, Any]:
    items: dict[str, dict[str, Any]] = {}
    operations: list[Operation] = []
    seen: set[str] = set()

    def claim(path: str) -> bool:
        # The first entry to give a path keeps it; later ones are not described.
        if _template(path) in seen:
            return False
        seen.add(_template(path))
        items[path] = {}
        return True

    for endpoint in endpoints:
        component = names[(endpoint.file, None)]
        record = _ref(component)
        path = _url_path(endpoint.path)
        if endpoint.kind == "object":
            if claim(path):
                operations += _object_operations(endpoint, path, record)
            continue
        if claim(path):
            operations += _list_operations(endpoint, path, record)
        detail = _detail(endpoint, record, components[component])
        if detail is not None and claim(detail.path):
            items[detail.path]["parameters"] = [detail.parameter]
            operations += detail.operations
    ids = _operation_ids(operations)
    for op in operations:
        body = {
            "operationId": ids[f"{op.method} {op.path}"],
            **{key: value for key, value in op.body.items() if value != []},
            "x-acebind": {"endpoint": op.endpoint.name},
        }
        items[op.path][op.method] = body
    return dict(sorted(items.items()))
