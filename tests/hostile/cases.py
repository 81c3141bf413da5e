"""The hostile cases: what a server may send, and what acebind must make of it.

A case *survives* (its endpoints join the one ``hostile`` environment, which is
crawled, written, generated, linted, type-checked, imported and used once) or
is *refused* (an environment of its own, whose crawl must end with one
:class:`AcebindError` matching ``refused`` and write nothing).

Texts that would run code if they reached generated code unescaped all aim at
one sentinel file, which must never exist, and print a marker that must never
appear on any output.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.hostile.server import (
    MB,
    Endpoint,
    Environment,
    Request,
    Response,
    gzip_bomb,
    json_response,
    nested,
    page,
    raw,
    redirect,
    spaces,
    stalled,
)

SENTINEL = Path(tempfile.gettempdir()) / f"acebind-pwned-{secrets.token_hex(6)}"
MARKER = "PWNED-BY-THE-SERVER"
# Jinja that would leave EVAL-UATED or the loop's text if anything rendered it.
JINJA = [
    '{{ "EVAL" ~ "-" ~ "UATED" }}',
    "{% for x in range(3) %}JINJA-LOOP-{% endfor %}",
    "{# a comment #}{%- raw %}{% endraw %}",
    f'{{{{ cycler.__init__.__globals__.os.system("touch {SENTINEL}") }}}}',
]
EVALUATED = ["EVAL-UATED", "JINJA-LOOP-JINJA-LOOP"]
CODE = [
    f'"""; import os; os.system("touch {SENTINEL}")#',
    f"'''; import os; os.system('touch {SENTINEL}')#",
    f'"); print("{MARKER}"); open("{SENTINEL}", "w")#',
    f"\n__import__('os').system('touch {SENTINEL}')\n",
    f'\\"""; __import__("os").system("touch {SENTINEL}") #',
    f'x"]; __import__("os").system("touch {SENTINEL}"); y = ["',
    f"`touch {SENTINEL}` $(touch {SENTINEL})",
    f'*/ print("{MARKER}") /* -->',
]
QUOTES = ['It\'s "quoted"', '"""', "'''", 'ends with a quote"', '\\"\\"\\"', "''"]
BACKSLASHES = ["C:\\new\\table", "trailing \\", "\\N{BULLET} \\x41 \\u0041", '\\\\"""']
NEWLINES = ["line 1\nline 2\r\nline 3\rend", "\x0b\x0c\x1b[31m", "\u2028\u2029\x85"]
NULS = ["a\x00b", "\x00", '\x00\x00"""\x00']


def fld(kind: str = "string", label: str = "A field", **extra: Any) -> dict[str, Any]:
    """One field of DRF's OPTIONS ``actions.POST``."""
    return {
        "type": kind,
        "required": False,
        "read_only": False,
        "label": label,
        **extra,
    }


def named(names: list[str], kind: str = "string") -> Endpoint:
    """An endpoint whose fields carry ``names``, an ``id`` key first."""
    fields = {"id": fld("integer", "Id", read_only=True)}
    fields.update({name: fld(kind, "x") for name in names})
    records = [
        {"id": k, **{name: _value(kind, k, i) for i, name in enumerate(names)}}
        for k in (1, 2, 3)
    ]
    return Endpoint(records=records, fields=fields, key="id")


def _value(kind: str, k: int, i: int) -> Any:
    return k * 100 + i if kind == "integer" else f"v{k}-{i}"


def texts(values: list[str]) -> Endpoint:
    """An endpoint whose labels, help texts, choice labels and view texts are
    ``values``."""
    fields: dict[str, Any] = {"id": fld("integer", values[0], read_only=True)}
    for i, text in enumerate(values):
        fields[f"f{i}"] = fld("string", text, help_text=text, max_length=50)
    fields["choice"] = fld(
        "choice",
        values[-1],
        choices=[{"value": f"c{i}", "display_name": t} for i, t in enumerate(values)],
    )
    records = [
        {"id": k, "choice": "c0", **{f"f{i}": f"v{k}" for i in range(len(values))}}
        for k in (1, 2)
    ]
    return Endpoint(
        records=records,
        fields=fields,
        key="id",
        title=f"{values[0]} List",
        description="\n".join(values),
    )


def choices(values: list[Any], kind: str = "choice") -> Endpoint:
    """An endpoint with one choice field offering ``values``, records holding them."""
    offered = [{"value": v, "display_name": f"label {v!r}"} for v in values]
    fields = {
        "id": fld("integer", "Id", read_only=True),
        "pick": fld(kind, "Pick", choices=offered),
    }
    usable = [v for v in values if v is not None and not isinstance(v, (dict, list))]
    records = [
        {"id": k, "pick": [v] if kind == "multiple choice" else v}
        for k, v in enumerate(usable, 1)
    ]
    return Endpoint(records=records, fields=fields, key="id")


def plain(records: list[Any] | None = None, **options: Any) -> Endpoint:
    """A read-only endpoint of ``records`` (three small ones by default)."""
    if records is None:
        records = [{"id": k, "name": f"n{k}"} for k in (1, 2, 3)]
    options.setdefault("key", "id")
    return Endpoint(records=records, **options)


def answer(response: Response) -> Any:
    return lambda request: response


@dataclass
class Case:
    """One hostile case and the outcome acebind owes it."""

    id: str
    what: str
    endpoints: dict[str, tuple[str, Endpoint]] = field(default_factory=dict)
    extra_root: dict[str, Any] = field(default_factory=dict)
    refused: str | None = None  # the error's message must match this
    environment: Environment | None = None  # refused cases: their own
    options: dict[str, Any] = field(default_factory=dict)  # CrawlOptions overrides

    @property
    def outcome(self) -> str:
        return "refused" if self.refused else "survives"

    @property
    def expected(self) -> list[str]:
        """The endpoint names the crawl must find: the case's listed endpoints."""
        return [
            name
            for name, (_, endpoint) in self.endpoints.items()
            if endpoint.listed and endpoint.get is not _nested_root
        ]


def single(slug: str, endpoint: Endpoint, name: str = "things") -> dict[str, Any]:
    return {name: (slug, endpoint)}


# -- cases that survive: one environment, one package ------------------------

KEYWORDS = ["class", "def", "return", "None", "True", "False", "match", "case",
            "type", "lambda", "async", "await", "import", "from", "global",
            "_"]  # fmt: skip
BUILTINS = ["list", "dict", "str", "int", "float", "bool", "id", "print", "open",
            "exec", "eval", "object", "super", "property", "len", "Ellipsis",
            "l", "I", "O"]  # fmt: skip
MODULE_NAMES = ["attrs", "datetime", "decimal", "uuid", "enum", "typing", "httpx",
                "annotations", "Any", "UNSET", "Unset", "Mapping", "_runtime",
                "data", "record", "wire", "v", "x", "self", "cls", "query"]  # fmt: skip
DUNDERS = ["__init__", "__class__", "__dict__", "__slots__", "__attrs_attrs__",
           "_private", "__", "___", "__import__"]  # fmt: skip
DIGITS = ["1st", "2024", "0", "9lives", "3.14", "-1", "1e5"]
NON_ASCII = ["préço", "名前", "Ωmega", "😀", "ﬁeld", "a\u200bb", "\u202eevil",
             "\u0430pple", "ß", "straße", "Straße", "STRASSE"]  # fmt: skip
CASES_ONLY = ["Name", "name", "NAME", "nAmE"]
SNAKE_CLASHES = ["InvoiceDate", "invoice_date", "invoice-date", "invoice date",
                 "invoiceDate", "INVOICE_DATE", "Invoice__Date",
                 "invoice_date_"]  # fmt: skip
LONG = ["a" * 1000, "a" * 999 + "b", "A" * 1000, "é" * 1000, "a_" * 500]
BLANK = ["", " ", "\t", "\n", "\u00a0", "-", "."]
CODE_NAMES = [
    f'x"]=__import__("os").system("touch {SENTINEL}")#',
    "a'b", 'a"b', "a\\b", "{{name}}", "${HOME}", "%(x)s", "{0}", "{v}",
    '"""id',
]  # fmt: skip


def _nested_records() -> list[dict[str, Any]]:
    def deep(levels: int) -> dict[str, Any]:
        node: dict[str, Any] = {"leaf": 1}
        for level in range(levels):
            node = {f"level{level % 3}": node}
        return node

    hostile = {"__init__": 1, "": 2, "a b": {"class": {"def": 3}}, "A B": {"x": 1}}
    return [
        {"id": k, "obj": hostile, "deep": deep(150), "lists": [[[[k]]]]} for k in (1, 2)
    ]


def _nested_root(request: Request) -> Response:
    """A nested root whose keys, prefixed, repeat names of the API root."""
    return json_response(
        {"child": f"{request.root}s24f/", "child/grandchild": f"{request.root}s24g/"}
    )


def _hostile_html(request: Request) -> Response:
    return raw(
        _HTML.format(other=request.other, root=request.root).encode(), "text/html"
    )


_SEARCH_NAMES = ["query", "found", "sync_counter", "page_size", "self", "records",
                 "decode_thing", "class", "__import__", "count", "link", "path",
                 "Query", "a b", "x" * 150]  # fmt: skip
_HTML = (
    '<html><body><div id="filtersModal"><form>'
    + "".join(f'<input name="{n}">' for n in _SEARCH_NAMES)
    + '</form><form class="form-inline"><input name="q&quot;&quot;&quot;"></form></div>'
    '<ul aria-labelledby="extra-actions-menu">'
    '<li><a href="{other}/steal/">Steal """; import os</a></li>'
    '<li><a href="javascript:alert(1)">js</a></li>'
    '<li><a href="{root}s35/export/">Export {{{{ 7*7 }}}}</a></li>'
    "</ul></body></html>"
)


def _odd_envelope(request: Request) -> Response:
    records: list[Any] = [{"id": 1, "name": "a"}, "a string", 42, [1, 2], None]
    return json_response({"count": "many", "next": 42, "results": records})


def _huge_count(request: Request) -> Response:
    if "page" in request.query and request.query["page"][0] != "1":
        return json_response({"detail": "Invalid page."}, 404)
    return json_response(
        {
            "count": 10**15,
            "next": f"{request.root}s34/?page=2",
            "results": [{"id": 1, "name": "only"}],
        }
    )


def _next_elsewhere(request: Request) -> Response:
    records = [{"id": k, "url": f"{request.other}/things/{k}/"} for k in (1, 2, 3)]
    return page(records, request)


def _redirect_with_userinfo(request: Request) -> Response:
    if request.query.get("moved"):
        return page([{"id": k, "name": f"r{k}"} for k in (1, 2)], request)
    port = request.origin.rsplit(":", 1)[1]
    return redirect(
        f"http://mallory:hunter2@127.0.0.1:{port}{request.root[len(request.origin) :]}"
        f"s37/?moved=1&{_query_of(request)}",
        301,
    )


def _query_of(request: Request) -> str:
    return "&".join(f"{k}={v[0]}" for k, v in request.query.items())


def _content_types(request: Request) -> Response:
    reply = page([{"id": k, "name": f"c{k}"} for k in (1, 2)], request)
    kinds = ["application/vnd.storesace+json; charset=utf-8", "Application/JSON"]
    reply.headers = [("Content-Type", kinds[len(request.query) % 2])]
    return reply


def _surrogates() -> Endpoint:
    endpoint = named(["lone\ud800", "\udfff", "pair\ud83d\ude00"])
    assert endpoint.fields is not None
    endpoint.fields["lone\ud800"]["label"] = "label \udc80"
    endpoint.fields["lone\ud800"]["help_text"] = "\ud800\udfff\ud800"
    return endpoint


def _options(body: Any, status: int = 200) -> Any:
    return answer(json_response(body, status))


NONSENSE_FIELDS = {
    "a": {"type": 123, "label": ["x"], "max_length": "abc", "min_value": "x",
          "required": "yes", "read_only": "no", "choices": {"a": 1}},
    "b": "not a dict",
    "c": {"type": "nested object", "children": []},
    "d": {"type": "list", "child": "x"},
    "e": {"type": "choice",
          "choices": [{"value": {"x": 1}}, "str", {"display_name": "?"}]},
    "f": {"type": "integer", "min_value": 10**400, "max_value": -(10**400)},
    "g": {"type": "decimal", "max_digits": -5, "decimal_places": 1.5},
    "h": {"type": "string", "max_length": 10**30, "min_length": -1},
    "i": {"type": "nested object", "children": {"x": {"type": "nested object",
          "children": {"y": {"type": "list", "child": {"type": "choice",
          "choices": [{"value": "z", "display_name": '"""'}]}}}}}},
    "j": {"type": "field", "read_only": True, "label": None},
}  # fmt: skip
_DEEP_OPTIONS = (
    b'{"name": "Deep", "actions": {"POST": ' + b"[" * 5000 + b"]" * 5000 + b"}}"
)


SURVIVING: list[Case] = [
    Case(
        "keyword-names",
        "field names that are Python keywords and soft keywords",
        single("s01/", named(KEYWORDS), "keywords"),
    ),
    Case(
        "builtin-names",
        "field names that are builtins and the hints' types",
        single("s02/", named(BUILTINS), "builtins"),
    ),
    Case(
        "module-names",
        "field names of the generated modules' imports and locals",
        single("s03/", named(MODULE_NAMES), "imports"),
    ),
    Case(
        "dunder-names",
        "field names that are dunders or underscores",
        single("s04/", named(DUNDERS), "__dunders__"),
    ),
    Case(
        "digit-names",
        "names starting with digits, and numbers as names",
        {"1st-endpoint": ("s05/", named(DIGITS)), "2024": ("s05b/", plain())},
    ),
    Case(
        "non-ascii-names",
        "non-ASCII names: accents, CJK, emoji, ligatures, "
        "zero-width and bidi controls, homoglyphs",
        {"préços": ("s06/", named(NON_ASCII)), "名前": ("s06b/", plain())},
    ),
    Case(
        "case-only-names",
        "names differing only by case (fields and endpoints)",
        {
            "Things": ("s07/", named(CASES_ONLY)),
            "things": ("s07b/", plain()),
            "THINGS": ("s07c/", plain()),
        },
    ),
    Case(
        "snake-collisions",
        "names colliding after snake_casing (fields, endpoints, "
        "and endpoint classes such as foo_1/foo1)",
        {
            "InvoiceLines": ("s08/", named(SNAKE_CLASHES)),
            "invoice_lines": ("s08b/", plain()),
            "foo_1": ("s08c/", plain()),
            "foo1": ("s08d/", plain()),
            "async_foo1": ("s08e/", plain()),
        },
    ),
    Case(
        "long-names",
        "1,000-character field and endpoint names",
        {"e" * 1000: ("s09/", named(LONG)), "e" * 999 + "f": ("s09b/", plain())},
    ),
    Case(
        "blank-names",
        "empty, blank and punctuation-only names",
        single("s10/", named(BLANK), " "),
    ),
    Case(
        "quotes",
        "labels, help texts, choice labels and view texts with quotes "
        "and triple quotes",
        single("s11/", texts(QUOTES), "quotes"),
    ),
    Case(
        "backslashes",
        "texts with backslashes and escape sequences",
        single("s12/", texts(BACKSLASHES), "backslashes"),
    ),
    Case(
        "newlines",
        "texts with newlines, carriage returns, control characters "
        "and Unicode line separators",
        single("s13/", texts(NEWLINES), "newlines"),
    ),
    Case(
        "jinja",
        "texts and names holding Jinja syntax",
        {
            "{{ 7*7 }}": ("s14/", texts(JINJA)),
            "{% raw %}": ("s14b/", named(["{{ x }}", "{% if %}"])),
        },
    ),
    Case(
        "nul-bytes",
        "NUL bytes in texts, field names and endpoint names",
        {
            "nul\x00endpoint": ("s15/", texts(NULS)),
            "nuls": ("s15b/", named(["nul\x00name", "\x00"])),
        },
    ),
    Case(
        "code-in-texts",
        "Python code in labels, help texts, choice labels and view texts",
        single("s16/", texts(CODE), "code"),
    ),
    Case(
        "code-in-names",
        "Python code and format strings in field, key and endpoint names",
        {f'os.system("touch {SENTINEL}")': ("s17/", named(CODE_NAMES))},
    ),
    Case(
        "mixed-choices",
        "choice values of mixed types (int, str, bool, float, null)",
        single("s18/", choices([1, "1", True, 1.5, None, "a", {"x": 1}]), "mixed"),
    ),
    Case(
        "duplicate-choices",
        "duplicated choice values",
        {
            "dup-strings": ("s19/", choices(["A", "A", "B", "B"])),
            "dup-ints": ("s19b/", choices([1, 1, 2, 2**70, -1])),
        },
    ),
    Case(
        "case-choices",
        "choice values differing only by case or punctuation",
        single(
            "s20/", choices(["a", "A", "pt-ac", "PT-AC", "PT_AC", "pt ac"]), "cases"
        ),
    ),
    Case(
        "special-choices",
        "choice values that are keywords, enum internals, str "
        "methods, blank, or hostile text",
        {
            "specials": (
                "s21/",
                choices(
                    [
                        "None",
                        "class",
                        "name",
                        "value",
                        "_missing_",
                        "mro",
                        "upper",
                        "_value_",
                        "",
                        " ",
                        "i",
                        "o",
                        "l",
                        *QUOTES,
                        *BACKSLASHES,
                        *NULS,
                        *CODE[:3],
                    ]
                ),
            ),
            "multi": ("s21b/", choices(["x", "y", '"""'], "multiple choice")),
        },
    ),
    Case(
        "dot-dot-names",
        "endpoint names with ../ and dot segments",
        {
            "../../../../tmp/evil": ("s23/", plain()),
            "..": ("s23b/", plain()),
            ".": ("s23c/", plain()),
            "a/../../b": ("s23d/", plain()),
        },
    ),
    Case(
        "path-names",
        "endpoint names with /, absolute paths and Windows paths",
        {
            "/etc/passwd": ("s24/", plain()),
            "nested/child/grandchild": ("s24b/", plain()),
            "nested/child": ("s24e/", plain()),
            "nested": ("s24n/", plain(get=_nested_root)),
            "(hidden 1)": ("s24f/", plain(listed=False)),
            "(hidden 2)": ("s24g/", plain(listed=False)),
            "C:\\Windows\\system32": ("s24c/", plain()),
            "\\\\server\\share": ("s24d/", plain()),
        },
    ),
    Case(
        "reserved-names",
        "endpoint names that are reserved file names",
        {
            n: (f"s25{i}/", plain())
            for i, n in enumerate(
                ["con", "nul", "CON", "aux.json", "com1", "lpt9", "prn.txt"]
            )
        },
    ),
    Case(
        "package-names",
        "endpoint names of the package's own modules and of the client's methods",
        {
            n: (f"s26{i}/", plain())
            for i, n in enumerate(
                [
                    "client",
                    "models",
                    "endpoints",
                    "_runtime",
                    "__init__",
                    "close",
                    "request_json",
                    "iter_pages",
                    "base_url",
                    "py.typed",
                ]
            )
        },
    ),
    Case(
        "shadowing-titles",
        "record names that shadow the generated modules' imports, "
        "the endpoint class or PATH",
        {
            f"t-{n}": (f"s27{i}/", plain(title=f"{n} List"))
            for i, n in enumerate(
                [
                    "Mapping",
                    "Iterator",
                    "Iterable",
                    "AsyncIterator",
                    "StrEnum",
                    "IntEnum",
                    "Any",
                    "Unset",
                    "PATH",
                    "Stock",
                    "Client",
                    "I",
                    "O",
                    "None",
                ]
            )
        }
        | {"stock": ("s27x/", plain(title="Stock List"))},
    ),
    Case(
        "nested-objects",
        "nested objects with hostile keys, 150 levels deep",
        single("s28/", plain(_nested_records()), "deep-objects"),
    ),
    Case(
        "odd-root",
        "root entries that are not links, other schemes, another "
        "origin, the root itself",
        {},
        {
            "count": 5,
            "obj": {"a": 1},
            "none": None,
            "other-origin": "{other}/api/things/",
            "ftp": "ftp://127.0.0.1/x",
            "js": "javascript:alert(1)",
            "self": "{root}",
            "again": "{root}s01/",
        },
    ),
    Case(
        "next-cycle",
        "cursor pagination whose next links go round in a cycle",
        single("s30/", plain(cursor=True), "cycle"),
        options={"sample_pages": 6},
    ),
    Case(
        "links-elsewhere",
        "hyperlinks and a next link to another origin",
        single("s31/", plain(get=_next_elsewhere), "elsewhere"),
    ),
    Case(
        "options-nonsense",
        "OPTIONS answering nonsense: a list, a string, "
        "absurd field metadata, Infinity, HTML, 500, 405, 5,000-deep, a junk Allow",
        {
            "opt-list": ("s32a/", plain(options=_options([1, 2]))),
            "opt-string": ("s32b/", plain(options=_options({"actions": "POST"}))),
            "opt-fields": (
                "s32c/",
                plain(fields=NONSENSE_FIELDS, records=[{"id": 1, "a": 1, "j": {}}]),
            ),
            "opt-inf": (
                "s32d/",
                plain(
                    options=answer(
                        raw(b'{"actions": {"POST": {"x": {"max_value": Infinity}}}}')
                    )
                ),
            ),
            "opt-html": ("s32e/", plain(options=answer(raw(b"<html/>", "text/html")))),
            "opt-500": ("s32f/", plain(options=_options({"detail": "boom"}, 500))),
            "opt-405": ("s32g/", plain(options=_options({"detail": "no"}, 405))),
            "opt-deep": ("s32h/", plain(options=answer(raw(_DEEP_OPTIONS)))),
            "opt-allow": (
                "s32i/",
                plain(
                    fields={"id": fld("integer")},
                    allow="GET, <script>, P O S T, DELETE;drop, " + "X" * 300,
                ),
            ),
        },
    ),
    Case(
        "odd-envelope",
        "a page whose count is a string, next a number, and whose "
        "results mix records with other values",
        single("s33/", plain(get=_odd_envelope), "envelope"),
    ),
    Case(
        "huge-count",
        "a count of 10^15 records",
        single("s34/", plain(get=_huge_count), "huge"),
    ),
    Case(
        "hostile-browsable-page",
        "browsable page with filter names that are the "
        "methods' locals, extra actions elsewhere",
        single("s35/", plain(html=_hostile_html), "thing"),
    ),
    Case(
        "braces-in-paths",
        "braces in a list path and hostile detail keys",
        single(
            "it{em}s/",
            plain([{"id": f"k {k}~+", "name": "x"} for k in (1, 2)]),
            "braces",
        ),
    ),
    Case(
        "userinfo-redirect",
        "same-origin redirect whose Location carries user info",
        single("s37/", plain(get=_redirect_with_userinfo), "moved"),
    ),
    Case(
        "dot-segment-link",
        "a root link with dot segments",
        {"dots": ("s38/", plain())},
        {"dots": "{root}s38/../s38/./"},
    ),
    Case(
        "json-content-types",
        "JSON under +json and upper-case content types",
        single("s39/", plain(get=_content_types), "types"),
    ),
    Case(
        "lone-surrogates",
        "lone UTF-16 surrogates in names and labels",
        {"surrogate\udc00": ("s40/", _surrogates())},
    ),
]


# -- cases that are refused: an environment each, nothing written -----------


def _bad(endpoint: Endpoint, **environment: Any) -> Environment:
    """An environment of one good endpoint and one bad one."""
    return Environment(
        endpoints={"good": ("good/", plain()), "bad": ("bad/", endpoint)}, **environment
    )


def _stall(request: Request) -> Response:
    request.stop.wait(60)
    return json_response({"count": 0, "results": []})


def _stall_body(request: Request) -> Response:
    body = stalled(request.stop, b'{"count": 1, "next": null, "results": [')
    return Response(200, body, [("Content-Type", "application/json")])


def _huge(declared: bool) -> Any:
    size = 300 * MB

    def respond(request: Request) -> Response:
        headers = [("Content-Type", "application/json")]
        if declared:
            headers.append(("Content-Length", str(size)))
        return Response(200, spaces(size), headers)

    return respond


def _bomb(request: Request) -> Response:
    headers = [("Content-Type", "application/json"), ("Content-Encoding", "gzip")]
    return Response(200, gzip_bomb(300 * MB), headers)


def _elsewhere_cursor(request: Request) -> Response:
    return json_response(
        {"next": f"{request.other}/bad/?cursor=x", "results": [{"id": 1}]}
    )


def _loop(request: Request) -> Response:
    return redirect(f"{request.root}bad/")


def _giant_header(request: Request) -> Response:
    return Response(200, b"{}", [("Content-Type", "application/json"),
                                 ("X-Padding", "x" * 200_000)])  # fmt: skip


def _get(response: Response) -> Endpoint:
    return plain(get=answer(response))


FAST_GIVE_UP = {"retries": 2, "backoff_base": 0.01, "backoff_cap": 0.02}

REFUSED: list[Case] = [
    Case(
        "root-html",
        "HTML where the API root's JSON was expected",
        refused=r"expected JSON from \S+/api/\?format=json, got text/html",
        environment=Environment(
            root=answer(raw(b"<html><p>hi</p></html>", "text/html"))
        ),
    ),
    Case(
        "root-truncated-json",
        "a truncated JSON root",
        refused=r"invalid JSON from \S+: Unterminated string starting at line 1 "
        r"column 11",
        environment=Environment(root=answer(raw(b'{"items": "http://x'))),
    ),
    Case(
        "root-wrong-content-type",
        "JSON served as text/plain",
        refused=r"expected JSON from \S+, got text/plain",
        environment=Environment(root=answer(raw(b'{"a": "b"}', "text/plain"))),
    ),
    Case(
        "root-not-an-object",
        "an API root that is a list",
        refused=r"is not an object of links",
        environment=Environment(root=answer(json_response([1, 2]))),
    ),
    Case(
        "root-redirect-elsewhere",
        "the API root redirecting to another origin",
        refused=r"/api/\?format=json redirects to http://127\.0\.0\.1:\d+/api/ is "
        r"outside the environment's origin",
        environment=Environment(root=lambda r: redirect(f"{r.other}/api/")),
    ),
    Case(
        "root-500",
        "an API root failing with 500 on every attempt",
        refused=r"GET \S+ keeps failing with status 500 after 3 attempts",
        environment=Environment(root=answer(json_response({"detail": "x"}, 500))),
        options=FAST_GIVE_UP,
    ),
    Case(
        "root-403",
        "an API root refusing the user",
        refused=r"may not GET \S+ \(403\)",
        environment=Environment(root=answer(json_response({"detail": "no"}, 403))),
    ),
    Case(
        "list-html",
        "HTML where a list's JSON was expected",
        refused=r"endpoint\(s\) failed: bad: expected JSON from \S+/bad/\?format=json"
        r", got text/html",
        environment=_bad(_get(raw(b"<html/>", "text/html"))),
    ),
    Case(
        "list-truncated-json",
        "a truncated JSON page",
        refused=r"bad: invalid JSON from \S+: .*the body ends early",
        environment=_bad(_get(raw(b'{"count": 2, "results": [{"id": 1},'))),
    ),
    Case(
        "list-no-content-type",
        "a JSON page without a content type",
        refused=r"bad: expected JSON from \S+, got no content type",
        environment=_bad(_get(raw(b'{"results": []}', ""))),
    ),
    Case(
        "empty-body",
        "an empty body under application/json",
        refused=r"bad: invalid JSON from \S+: Expecting value .*ends early",
        environment=_bad(_get(raw(b""))),
    ),
    Case(
        "nan",
        "NaN in JSON",
        refused=r"bad: invalid JSON from \S+: NaN is not JSON",
        environment=_bad(_get(raw(b'{"count": 1, "results": [{"id": NaN}]}'))),
    ),
    Case(
        "giant-integer",
        "a 5,000-digit integer",
        refused=r"bad: invalid JSON from \S+: Exceeds the limit",
        environment=_bad(
            _get(raw(b'{"count": 1, "results": [{"id": ' + b"9" * 5000 + b"}]}"))
        ),
    ),
    Case(
        "invalid-utf8",
        "bytes that are not UTF-8 in JSON",
        refused=r"bad: invalid JSON from \S+: 'utf-8' codec can't decode",
        environment=_bad(_get(raw(b'{"count": 1, "results": [{"id": "\xff\xfe"}]}'))),
    ),
    Case(
        "huge-body-declared",
        "a 300 MB body announced by Content-Length",
        refused=r"bad: the body from \S+ is larger than 67108864 bytes",
        environment=_bad(plain(get=_huge(declared=True))),
    ),
    Case(
        "huge-body-streamed",
        "a 300 MB body streamed without a length",
        refused=r"bad: the body from \S+ is larger than 67108864 bytes",
        environment=_bad(plain(get=_huge(declared=False))),
    ),
    Case(
        "gzip-bomb",
        "300 MB of zeros gzipped to a few hundred kB",
        refused=r"bad: the body from \S+ is larger than 67108864 bytes",
        environment=_bad(plain(get=_bomb)),
    ),
    Case(
        "nested-thousands-deep",
        "a record nesting arrays 5,000 deep",
        refused=r"bad: JSON from \S+ nests deeper than 200",
        environment=_bad(_get(raw(nested(5000)))),
    ),
    Case(
        "stall-before-headers",
        "a server that never answers",
        refused=r"deadline of 1\.5 s",
        environment=_bad(plain(get=_stall)),
        options={"deadline": 1.5},
    ),
    Case(
        "stall-in-body",
        "a server that sends a byte every half second, forever",
        refused=r"deadline of 1\.5 s",
        environment=_bad(plain(get=_stall_body)),
        options={"deadline": 1.5},
    ),
    Case(
        "giant-header",
        "a 200 kB response header",
        refused=r"could not reach \S+ after 3 attempts: RemoteProtocolError",
        environment=_bad(plain(get=_giant_header)),
        options=FAST_GIVE_UP,
    ),
    Case(
        "redirect-elsewhere",
        "a list redirecting to another origin",
        refused=r"bad: \S+/bad/\?format=json redirects to http://127\.0\.0\.1:\d+"
        r"/steal/ is outside the environment's origin",
        environment=_bad(plain(get=lambda r: redirect(f"{r.other}/steal/"))),
    ),
    Case(
        "redirect-other-scheme",
        "a redirect to file:///etc/passwd",
        refused=r"bad: \S+ redirects to file:/etc/passwd is outside the "
        r"environment's origin",
        environment=_bad(_get(redirect("file:///etc/passwd"))),
    ),
    Case(
        "redirect-loop",
        "a list redirecting to itself",
        refused=r"bad: \S+ redirects more than 5 times",
        environment=_bad(plain(get=_loop)),
    ),
    Case(
        "redirect-without-location",
        "a 302 without a Location",
        refused=r"bad: \S+ answered 302 without a Location",
        environment=_bad(_get(Response(302))),
    ),
    Case(
        "next-elsewhere",
        "a cursor page whose next link is another origin",
        refused=r"bad: http://127\.0\.0\.1:\d+/bad/\?cursor=x\S* is outside the "
        r"environment's origin",
        environment=_bad(plain(get=_elsewhere_cursor)),
    ),
    Case(
        "detail-html",
        "HTML where a record's detail JSON was expected",
        refused=r"bad: expected JSON from \S+/bad/1/\?format=json, got text/html",
        environment=_bad(plain(detail=answer(raw(b"<html/>", "text/html")))),
    ),
    Case(
        "dangling-link",
        "a root link to an endpoint that answers 404",
        refused=r"missing: \S+/missing/ answered 404 to GET",
        environment=Environment(
            endpoints={"good": ("good/", plain())},
            extra_root={"missing": "{root}missing/"},
        ),
    ),
    Case(
        "401-mid-crawl",
        "the credentials refused (401) in the middle of the crawl",
        refused=r"refused the credentials for \S+ \(401\)",
        environment=Environment(
            endpoints={f"e{i}": (f"e{i}/", plain()) for i in range(6)}, refuse_after=8
        ),
    ),
]

CASES = SURVIVING + REFUSED


# A small, well-behaved environment, for the kill trials of ``check --update``.
SMALL = Environment(
    endpoints={
        "items": ("items/", plain()),
        "stores": ("stores/", named(["StoreId", "Name"])),
        "colors": ("colors/", choices(["red", "green"])),
    }
)
