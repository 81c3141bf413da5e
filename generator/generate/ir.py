"""From a schema tree to what the templates render: names, types and codecs.

The intermediate representation is plain data. Every identifier in it has
been cleaned by :mod:`generator.generate.names` and every Python expression in
it is built here from those identifiers and from ``repr`` of values, so no
text from the server reaches generated code unescaped.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from generator.errors import GenerateError
from generator.generate import names
from generator.schema.tree import SchemaTree

# Python types and decoders of JSON Schema formats of strings. The decoders are
# the standard constructors where one exists: no reflection per record.
STRING_FORMATS: dict[str, tuple[str, str, str]] = {
    # format: (type hint, decode template, encode template); {v} is the value
    "date": ("datetime.date", "datetime.date.fromisoformat({v})", "{v}.isoformat()"),
    "date-time": (
        "datetime.datetime",
        "datetime.datetime.fromisoformat({v})",
        "_runtime.datetime_to({v})",
    ),
    "time": ("datetime.time", "datetime.time.fromisoformat({v})", "{v}.isoformat()"),
    "duration": (
        "datetime.timedelta",
        "_runtime.timedelta_from({v})",
        "_runtime.timedelta_to({v})",
    ),
    "uuid": ("uuid.UUID", "uuid.UUID({v})", "str({v})"),
    "decimal": ("decimal.Decimal", "decimal.Decimal({v})", "_runtime.decimal_to({v})"),
}
SCALARS = {"boolean": "bool", "integer": "int", "string": "str"}


@dataclass
class EnumIR:
    name: str
    base: str  # "str" or "int"
    members: list[tuple[str, str]]  # (member name, repr of value)
    labels: list[str]
    slug: str = ""  # the class's snake name, unique in its module

    @property
    def lookup(self) -> str:
        return f"_{(self.slug or names.snake(self.name)).upper()}_MEMBERS"


@dataclass
class FieldIR:
    attr: str
    wire: str
    hint: str  # without the Unset part
    decode: str  # expression over ``v``
    encode: str  # expression over ``v``
    nullable: bool
    always: bool  # every response carries it
    read_only: bool
    write_required: bool | None
    doc: str

    @property
    def has_default(self) -> bool:
        return not self.always or self.read_only or self.write_required is False

    @property
    def full_hint(self) -> str:
        hint = f"{self.hint} | Unset" if self.has_default else self.hint
        return f"{hint} | None" if self.nullable else hint

    @property
    def wire_repr(self) -> str:
        return repr(self.wire)


@dataclass
class ModelIR:
    name: str
    doc: str
    fields: list[FieldIR]
    slug: str = ""  # the class's snake name, unique in its module

    @property
    def decoder(self) -> str:
        return f"decode_{self.slug or names.snake(self.name)}"

    @property
    def encoder(self) -> str:
        return f"encode_{self.slug or names.snake(self.name)}"


@dataclass
class ParamIR:
    attr: str
    wire: str
    hint: str
    doc: str


@dataclass
class EndpointIR:
    name: str  # the wire name, for docs
    module: str
    attr: str
    cls: str
    path: str
    record: ModelIR
    models: list[ModelIR]
    enums: list[EnumIR]
    methods: list[str]
    paginated: bool
    page_size: dict[str, Any] | None
    params: list[ParamIR]
    detail_path: str | None
    key: FieldIR | None
    can_post: bool
    sync_counter: FieldIR | None
    doc: str

    @property
    def writable_fields(self) -> list[FieldIR]:
        return [f for f in self.record.fields if not f.read_only]


@dataclass
class PackageIR:
    environment: str
    package: str
    distribution: str
    endpoints: list[EndpointIR] = field(default_factory=list)


def doc_text(*parts: Any) -> str:
    """Label and help text joined; rendered later with :func:`docstring`."""
    texts = [p.strip() for p in parts if isinstance(p, str) and p.strip()]
    return "\n\n".join(dict.fromkeys(texts))[:2000]


def docstring(text: str, indent: str = "    ", width: int = 76) -> str:
    """A safe docstring literal: the text can never close it or run code."""
    cleaned = "".join(c if c.isprintable() or c == "\n" else " " for c in text)
    cleaned = cleaned.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    if not cleaned:
        return ""
    lines: list[str] = []
    for paragraph in cleaned.split("\n"):
        # Long words stay whole: a break inside "\\" would leave a backslash
        # escaping the line's end.
        wrapped = textwrap.wrap(
            paragraph, width, break_long_words=False, break_on_hyphens=False
        )
        lines += wrapped or [""]
    body = "\n".join(f"{indent}{line}" if line else "" for line in lines)[len(indent) :]
    if len(lines) == 1:
        return f'"""{_closing_quote_escaped(body)}"""'
    return f'"""{body}\n{indent}"""'


def _closing_quote_escaped(body: str) -> str:
    """``body`` whose last quote, if it is one, cannot run into the delimiter."""
    if not body.endswith('"'):
        return body
    before = body[:-1]
    if (len(before) - len(before.rstrip("\\"))) % 2:
        return body  # already escaped
    return before + '\\"'


@dataclass
class _Module:
    """Names and definitions of one endpoint's models module."""

    endpoint: str
    defs: dict[str, Any]
    taken: set[str] = field(default_factory=set)
    models: dict[str, ModelIR] = field(default_factory=dict)  # by def pointer
    enums: list[EnumIR] = field(default_factory=list)

    def class_name(self, wanted: str) -> str:
        base = names.pascal(wanted)
        name, salt = base, wanted
        while name in self.taken:  # no underscore: dcg would drop it
            name = f"{base}{names.digest(salt)}"
            salt = name
        self.taken.add(name)
        return name

    def name_codecs(self, models: list[ModelIR]) -> None:
        """Snake names for the codec functions and lookups, unique in the module:
        ``HTTPServer`` and ``HttpServer`` are both ``http_server``."""
        classes: list[ModelIR | EnumIR] = [*models, *self.enums]
        slugs = names.unique([c.name for c in classes], names.snake)
        for named in classes:
            named.slug = slugs[named.name]


def _kinds(schema: dict[str, Any]) -> tuple[list[str], bool]:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
    return [k for k in kinds if k != "null"], "null" in kinds


def _nullable_ref(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    options = schema.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options and len(options) == 2:
        real = next(o for o in options if o != {"type": "null"})
        return {**real, **{k: v for k, v in schema.items() if k != "anyOf"}}, True
    return schema, False


def _typed(
    schema: dict[str, Any], module: _Module, owner: str, attr: str
) -> tuple[str, str, str, bool]:
    """(hint, decode, encode, nullable) of a schema, over the value ``{v}``."""
    schema, nullable = _nullable_ref(schema)
    if "$ref" in schema:
        model = _model_for_ref(schema["$ref"], module)
        return (
            model.name,
            f"{model.decoder}({{v}})",
            f"{model.encoder}({{v}})",
            nullable,
        )
    kinds, null = _kinds(schema)
    nullable = nullable or null
    if "enum" in schema:
        enum = _enum(schema, module, owner, attr, kinds)
        if enum is not None:
            return (
                f"{enum.name} | {enum.base}",
                f"{enum.lookup}.get({{v}}, {{v}})",
                "_runtime.enum_to({v})",
                nullable,
            )
    if len(kinds) != 1:
        return "Any", "{v}", "{v}", False
    kind = kinds[0]
    fmt = schema.get("format")
    if kind == "string" and isinstance(fmt, str) and fmt in STRING_FORMATS:
        hint, decode, encode = STRING_FORMATS[fmt]
        return hint, decode, encode, nullable
    if kind == "number":
        if fmt == "decimal":
            return (
                "decimal.Decimal",
                "decimal.Decimal({v})",
                "_runtime.decimal_to({v})",
                nullable,
            )
        return "float", "float({v})", "{v}", nullable
    if kind in SCALARS:
        return SCALARS[kind], "{v}", "{v}", nullable
    if kind == "array":
        return (*_array(schema, module, owner, attr), nullable)
    if kind == "object":
        return "dict[str, Any]", "{v}", "{v}", nullable
    return "Any", "{v}", "{v}", False


def _array(
    schema: dict[str, Any], module: _Module, owner: str, attr: str
) -> tuple[str, str, str]:
    items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
    assert isinstance(items, dict)
    hint, decode, encode, nullable = _typed(items, module, owner, attr)
    item_hint = f"{hint} | None" if nullable else hint
    # A decoded list of plain values is the parsed JSON's own list: no copy.
    decode = "{v}" if decode == "{v}" else _each(decode, nullable)
    return f"list[{item_hint}]", decode, _each(encode, nullable)


def _each(template: str, nullable: bool) -> str:
    """A template over a list from one over its items (``{v}`` is the value)."""
    if template == "{v}":
        return "list({v})"
    inner = template.format(v="x")
    if nullable:
        inner = f"None if x is None else {inner}"
    return f"[{inner} for x in {{v}}]"


def _enum(
    schema: dict[str, Any], module: _Module, owner: str, attr: str, kinds: list[str]
) -> EnumIR | None:
    values = list(dict.fromkeys(v for v in schema["enum"] if v is not None))
    if not values or len(kinds) != 1 or kinds[0] not in ("string", "integer"):
        return None
    if any(isinstance(v, bool) for v in values):
        return None
    labels_by_value = {
        repr(c.get("value")): c.get("label", "")
        for c in schema.get("x-acebind", {}).get("choices", [])
        if isinstance(c, dict)
    }
    base = "str" if kinds[0] == "string" else "int"
    wanted = pascal_join(owner, attr)
    name = module.class_name(wanted)
    member_names = names.unique(
        [repr(v) for v in values], lambda r: names.constant(eval_repr(r, values))
    )
    enum = EnumIR(
        name=name,
        base=base,
        members=[(member_names[repr(v)], repr(v)) for v in values],
        labels=[str(labels_by_value.get(repr(v), "")) for v in values],
    )
    module.enums.append(enum)

    return enum


def eval_repr(text: str, values: list[Any]) -> Any:
    """The value whose repr is ``text`` (never ``eval``: values come from a server)."""
    return next(v for v in values if repr(v) == text)


def pascal_join(*parts: str) -> str:
    return "".join(names.pascal(part) for part in parts)


def _model_for_ref(ref: str, module: _Module) -> ModelIR:
    prefix = "#/$defs/"
    if not isinstance(ref, str) or not ref.startswith(prefix):
        raise GenerateError(f"{module.endpoint}: unsupported reference {ref!r}")
    key = ref[len(prefix) :]
    if key in module.models:
        return module.models[key]
    definition = module.defs.get(key)
    if not isinstance(definition, dict):
        raise GenerateError(f"{module.endpoint}: reference {ref!r} has no definition")
    placeholder = ModelIR(module.class_name(key), doc_text(definition.get("title")), [])
    module.models[key] = placeholder
    placeholder.fields = _fields(definition, module, placeholder.name, nested=True)

    return placeholder


def unknown_nullability(schema: dict[str, Any]) -> bool:
    """Whether the crawl could not tell that a field is never null (or absent)."""
    meta = schema.get("x-acebind")
    unknown = meta.get("unknown") if isinstance(meta, dict) else None
    return isinstance(unknown, list) and bool({"nullable", "presence"} & set(unknown))


def _fields(
    schema: dict[str, Any], module: _Module, owner: str, *, nested: bool = False
) -> list[FieldIR]:
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        return []
    required = set(schema.get("required", []))
    attrs = names.unique(list(properties), names.snake)
    found = []
    for wire, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        hint, decode, encode, nullable = _typed(prop, module, owner, wire)
        meta = (
            prop.get("x-acebind", {}) if isinstance(prop.get("x-acebind"), dict) else {}
        )
        write_required = meta.get("writeRequired")
        if unknown_nullability(prop):
            nullable = nullable or hint != "Any"  # the safe side for reading
        found.append(
            FieldIR(
                attr=attrs[wire],
                wire=wire,
                hint=hint,
                decode=decode,
                encode=encode,
                nullable=nullable and hint != "Any",
                always=wire in required,
                read_only=prop.get("readOnly") is True,
                write_required=write_required
                if isinstance(write_required, bool)
                else None,
                doc=doc_text(_label(prop.get("title"), wire), prop.get("description")),
            )
        )
    return found


def _label(title: Any, wire: str) -> str | None:
    """A label worth showing: DRF derives one from the name ("Invoicestatus")."""
    if not isinstance(title, str):
        return None
    if title.replace(" ", "").replace("_", "").lower() == wire.replace("_", "").lower():
        return None
    return title


def endpoint_ir(
    entry: dict[str, Any], schema: dict[str, Any], module_name: str
) -> EndpointIR:
    defs = schema.get("$defs", {}) if isinstance(schema.get("$defs"), dict) else {}
    module = _Module(entry["name"], defs)
    record_name = module.class_name(str(schema.get("title") or entry["name"]))
    record = ModelIR(record_name, doc_text(schema.get("description")), [])
    record.fields = _fields(schema, module, record_name)
    by_wire = {f.wire: f for f in record.fields}
    detail = entry.get("detail") or None
    key = by_wire.get(detail["key"]) if detail else None
    pagination = entry.get("pagination", {})
    methods = list(entry.get("methods", []))
    attr = module_name
    models = [record, *module.models.values()]
    module.name_codecs(models)
    detail_path = _detail_path(detail, key)
    key = key if detail_path is not None else None
    return EndpointIR(
        name=entry["name"],
        module=module_name,
        attr=attr,
        cls=names.pascal(module_name, "Endpoint"),
        path=entry["path"],
        record=record,
        models=models,
        enums=module.enums,
        methods=methods,
        paginated=pagination.get("style") != "none",
        page_size=_page_size(pagination),
        params=_params(entry, {record.decoder, record.encoder}),
        detail_path=detail_path,
        key=key,
        can_post="POST" in methods,
        sync_counter=by_wire.get("SyncCounter")
        if entry.get("filters", {}).get("synccounter")
        else None,
        doc=doc_text(schema.get("description")),
    )


def _page_size(pagination: dict[str, Any]) -> dict[str, Any] | None:
    """Page-number sizes, each bound an int or None whatever the tree holds."""
    sizes = pagination.get("pageSize")
    if pagination.get("style") != "page-number" or not isinstance(sizes, dict):
        return None
    bounds = {bound: _whole(sizes.get(bound)) for bound in ("default", "min", "max")}
    param = sizes.get("param")
    return {"param": param if isinstance(param, str) else None, **bounds}


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _detail_path(detail: dict[str, Any] | None, key: FieldIR | None) -> str | None:
    """The detail path with exactly one ``{placeholder}`` for the runtime to fill.

    Braces elsewhere in a server's path would read as placeholders too, so
    they are percent-encoded, as a URL carries them anyway (RFC 3986, 2.1);
    a key whose name could not be a placeholder is named by its attribute.
    """
    if detail is None or key is None or not isinstance(detail.get("path"), str):
        return None
    prefix, found, suffix = detail["path"].rpartition(f"{{{key.wire}}}")
    if not found:
        return None
    escape = {ord("{"): "%7B", ord("}"): "%7D"}
    name = key.wire if _PLACEHOLDER_NAME.fullmatch(key.wire) else key.attr

    return f"{prefix.translate(escape)}{{{name}}}{suffix.translate(escape)}"


# What the runtime's fill_path reads as one placeholder's name.
_PLACEHOLDER_NAME = re.compile(r"[^{}/]*")
# Names the endpoint methods take or bind, which an argument may not shadow.
_METHOD_NAMES = {"page_size", "since", "self", "batch_size", "sync_counter",
                 "query", "records", "record", "count", "link", "page", "found",
                 "counters", "high", "r", "path", "bodies"}  # fmt: skip


def _params(entry: dict[str, Any], module_names: set[str]) -> list[ParamIR]:
    wires: list[tuple[str, str, str]] = []
    if entry.get("filters", {}).get("store"):
        wires.append(("store", "int", "Only records of (or available in) this store."))
    for argument in entry.get("search", []):
        if isinstance(argument, str):
            wires.append((argument, "str", f"The {argument!r} search argument."))
    taken = _METHOD_NAMES | module_names
    attrs = names.unique([w for w, _, _ in wires], names.snake, taken)
    return [ParamIR(attrs[w], w, hint, doc) for w, hint, doc in wires]


# Module names that are the package's own, attributes of the base clients
# (an endpoint's property would hide them), or reserved file names on Windows.
_MODULES_TAKEN = {
    "client", "models", "endpoints", "close", "aclose", "request_json",
    "iter_pages", "aiter_pages", "post_records", "post_one", "base_url",
    "con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}  # fmt: skip
# Pascal names an endpoint module binds besides its record's and its classes.
_ENDPOINT_MODULE_NAMES = {"AsyncIterator", "Iterable", "Iterator", "PATH"}


def package_ir(tree: SchemaTree, environment: str) -> PackageIR:
    package = f"storesace_{names.snake(environment, 'env')}".rstrip("_")
    ir = PackageIR(environment, package, package.replace("_", "-"))
    entries = [e for e in tree.endpoints if e.get("name") in tree.schemas]
    modules = names.unique(
        [e["name"] for e in entries],
        lambda n: names.snake(n, "endpoint"),
        taken=_MODULES_TAKEN,
    )
    for entry in entries:
        ir.endpoints.append(
            endpoint_ir(entry, tree.schemas[entry["name"]], modules[entry["name"]])
        )
    _name_endpoint_classes(ir.endpoints)

    return ir


def _name_endpoint_classes(endpoints: list[EndpointIR]) -> None:
    """Endpoint classes apart from their Async twins and from each other (the
    client imports them all: ``foo_1`` and ``foo1`` are both ``Foo1``), and
    from the record class their module imports (``stock`` holds ``Stock``)."""
    used = {"Client", "AsyncClient"}
    for endpoint in endpoints:
        local = used | _ENDPOINT_MODULE_NAMES | {endpoint.record.name}
        base = endpoint.cls
        cls, salt = base, endpoint.module
        if {cls, f"Async{cls}"} & local:
            cls = f"{base}Endpoint"
        while {cls, f"Async{cls}"} & local:
            cls = f"{base}{names.digest(salt)}"
            salt = cls
        endpoint.cls = cls
        used |= {cls, f"Async{cls}"}


def decode_expr(field: FieldIR) -> str:
    """The expression that decodes ``field`` from the mapping ``data``."""
    if not field.has_default:
        access = f"data[{field.wire_repr}]"
        if field.decode == "{v}":
            return access
        if not field.nullable:
            return field.decode.format(v=access)
        return f"None if (v := {access}) is None else {field.decode.format(v='v')}"
    access = f"data.get({field.wire_repr}, UNSET)"
    if field.decode == "{v}":
        return access
    converted = field.decode.format(v="v")
    if not field.nullable:
        return f"UNSET if (v := {access}) is UNSET else {converted}"
    return f"v if (v := {access}) is None or v is UNSET else {converted}"


def encode_expr(field: FieldIR) -> str:
    """The expression that encodes ``field`` of the model ``record``."""
    value = f"record.{field.attr}"
    if not field.nullable or field.encode == "{v}":
        return field.encode.format(v=value)
    return f"None if {value} is None else {field.encode.format(v=value)}"
