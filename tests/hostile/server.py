"""A hostile StoresAce look-alike: a plain WSGI app on loopback, one per suite.

It answers like a small DRF API (a root of links, page-number lists, OPTIONS
metadata, detail URLs, ``?format=json``/``?format=api``) for the environments
it is given, and each environment's endpoints say what is hostile about them:
their names, their fields' metadata, their records, or a responder that
answers whatever a case needs (HTML, truncated JSON, 300 MB, a stall, a
redirect to another origin...).

A second server, :class:`Recorder`, stands at another origin. Cases link and
redirect to it; it records every request and every ``Authorization`` header
it receives, which must stay at zero.

Both are served by wsgiref, a thread per request: it writes straight to the
socket, so a streamed body is paced by the client and never buffered.
"""

from __future__ import annotations

import base64
import json
import socketserver
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

USERNAME = "hostile-api"
PASSWORD = "pw-7c1f-Hostile-S3CRET"
BASIC = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
AUTH = (USERNAME, PASSWORD)
DEFAULT_PAGE_SIZE = 2
MAX_PAGE_SIZE = 100
MB = 2**20

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass
class Request:
    """What a responder sees: the request and the URLs it may link to."""

    method: str
    path: str  # below the environment's API root, e.g. "e01/" or "e01/1/"
    query: dict[str, list[str]]
    origin: str  # "http://127.0.0.1:PORT"
    root: str  # the environment's API root URL
    other: str  # the recorder's origin
    stop: threading.Event  # set when the suite ends: stalls give up

    @property
    def format(self) -> str:
        return self.query.get("format", ["json"])[0]


@dataclass
class Response:
    status: int
    body: bytes | Iterable[bytes] = b""
    headers: list[tuple[str, str]] = field(default_factory=list)


Responder = Callable[[Request], Response]


def json_response(
    data: Any, status: int = 200, content_type: str = "application/json"
) -> Response:
    body = json.dumps(data).encode()
    return Response(status, body, [("Content-Type", content_type)])


def raw(
    body: bytes, content_type: str = "application/json", status: int = 200
) -> Response:
    headers = [("Content-Type", content_type)] if content_type else []
    return Response(status, body, headers)


def redirect(location: str, status: int = 302) -> Response:
    return Response(status, b"", [("Location", location)])


@dataclass
class Endpoint:
    """One list endpoint: its records, its OPTIONS, and what it does oddly.

    ``fields`` is ``actions.POST`` of OPTIONS (None: no actions, read-only);
    ``get``/``options``/``detail`` replace the standard answers where given.
    ``key`` is the field whose value addresses a record's detail URL.
    """

    records: list[Any] = field(default_factory=list)
    fields: dict[str, Any] | None = None
    title: str = "Thing List"
    description: str = ""
    allow: str = "GET, POST, HEAD, OPTIONS"
    key: str | None = None
    html: Responder | None = None  # the browsable page (``?format=api``)
    cursor: bool = False  # cursor pagination whose next links cycle
    listed: bool = True  # in the API root (else only linked from elsewhere)
    get: Responder | None = None
    options: Responder | None = None
    detail: Responder | None = None


@dataclass
class Environment:
    """An API root at ``/<name>/api/``: its endpoints by root key and path."""

    endpoints: dict[str, tuple[str, Endpoint]] = field(default_factory=dict)
    # More root entries; string values may hold {origin}, {root} and {other}.
    extra_root: dict[str, Any] = field(default_factory=dict)
    root: Responder | None = None
    # Answer 401 to every request after this many (a password changed mid-crawl).
    refuse_after: int | None = None
    requests: int = 0

    def endpoint_at(self, path: str) -> tuple[Endpoint, str | None] | None:
        """The endpoint of a list path or of one of its detail paths."""
        for slug, endpoint in self.endpoints.values():
            if path == slug:
                return endpoint, None
            if path.startswith(slug) and path.endswith("/"):
                rest = path[len(slug) : -1]
                if rest and "/" not in rest:
                    return endpoint, rest
        return None


class _Handler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the suite scans every line it logs, and these say nothing."""


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def serving(app: WSGIApp) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yield its origin."""
    server = make_server(
        "127.0.0.1", 0, app, server_class=_Server, handler_class=_Handler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class Recorder:
    """The other origin: counts requests and the Authorization headers among them."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.authorizations: list[str] = []
        self._lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start: StartResponse
    ) -> Iterable[bytes]:
        with self._lock:
            self.requests.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}")
            if "HTTP_AUTHORIZATION" in environ:
                self.authorizations.append(environ["HTTP_AUTHORIZATION"])
        body = json.dumps({"count": 1, "next": None, "results": [{"id": 1}]}).encode()
        start("200 OK", [("Content-Type", "application/json")])
        return [body]


class HostileApp:
    """The WSGI app serving every environment of the suite."""

    def __init__(self, environments: dict[str, Environment], other: str) -> None:
        self.environments = environments
        self.other = other
        self.stop = threading.Event()  # set at shutdown: stalls end
        self._lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start: StartResponse
    ) -> Iterable[bytes]:
        response = self.respond(environ)
        status = f"{response.status} {_REASONS.get(response.status, 'Whatever')}"
        start(status, response.headers)
        body = response.body
        return [body] if isinstance(body, bytes) else body

    def respond(self, environ: dict[str, Any]) -> Response:
        path = environ.get("PATH_INFO", "")
        parts = path.lstrip("/").split("/", 2)
        if len(parts) < 2 or parts[1] != "api" or parts[0] not in self.environments:
            return json_response({"detail": "Not found."}, 404)
        env = self.environments[parts[0]]
        if not self._admitted(env, environ):
            return Response(
                401,
                json.dumps({"detail": "Invalid username/password."}).encode(),
                [
                    ("Content-Type", "application/json"),
                    ("WWW-Authenticate", 'Basic realm="api"'),
                ],
            )
        origin = f"http://{environ['HTTP_HOST']}"
        request = Request(
            method=environ["REQUEST_METHOD"],
            path=parts[2] if len(parts) > 2 else "",
            query=parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            origin=origin,
            root=f"{origin}/{parts[0]}/api/",
            other=self.other,
            stop=self.stop,
        )
        return self.route(env, request)

    def _admitted(self, env: Environment, environ: dict[str, Any]) -> bool:
        with self._lock:
            env.requests += 1
            count = env.requests
        if env.refuse_after is not None and count > env.refuse_after:
            return False
        return bool(environ.get("HTTP_AUTHORIZATION") == f"Basic {BASIC}")

    def route(self, env: Environment, request: Request) -> Response:
        if request.path == "":
            if env.root is not None:
                return env.root(request)
            return json_response(root_of(env, request))
        found = env.endpoint_at(request.path)
        if found is None:
            return json_response({"detail": "Not found."}, 404)
        endpoint, key = found
        if key is not None:
            return self.detail(endpoint, key, request)
        if request.method == "OPTIONS":
            if endpoint.options is not None:
                return endpoint.options(request)
            return metadata(endpoint, endpoint.allow, "POST")
        if request.format == "api":
            if endpoint.html is None:
                return json_response({"detail": "Not found."}, 404)
            return endpoint.html(request)
        if endpoint.get is not None:
            return endpoint.get(request)
        if endpoint.cursor:
            return cursor_page(endpoint, request)
        return page(endpoint.records, request)

    def detail(self, endpoint: Endpoint, key: str, request: Request) -> Response:
        if endpoint.detail is not None:
            return endpoint.detail(request)
        record = next(
            (
                r
                for r in endpoint.records
                if isinstance(r, dict)
                and endpoint.key is not None
                and str(r.get(endpoint.key)) == key
            ),
            None,
        )
        if record is None:
            return json_response({"detail": "Not found."}, 404)
        if request.method == "OPTIONS":
            return metadata(endpoint, "GET, PUT, PATCH, DELETE, HEAD, OPTIONS", "PUT")
        if request.format == "api":
            return json_response({"detail": "Not found."}, 404)
        return json_response(record)


def root_of(env: Environment, request: Request) -> dict[str, Any]:
    links: dict[str, Any] = {
        name: f"{request.root}{slug}"
        for name, (slug, endpoint) in env.endpoints.items()
        if endpoint.listed
    }
    for name, value in env.extra_root.items():
        links[name] = (
            value.format(origin=request.origin, root=request.root, other=request.other)
            if isinstance(value, str)
            else value
        )
    return links


def metadata(endpoint: Endpoint, allow: str, method: str) -> Response:
    body: dict[str, Any] = {
        "name": endpoint.title,
        "description": endpoint.description,
        "renders": ["application/json", "text/html"],
        "parses": ["application/json"],
    }
    if endpoint.fields is not None:
        body["actions"] = {method: endpoint.fields}
    response = json_response(body)
    response.headers.append(("Allow", allow))
    return response


def _int(request: Request, name: str, default: int) -> int | None:
    text = request.query.get(name, [str(default)])[0]
    return int(text) if text.isdigit() else None


def page(records: list[Any], request: Request) -> Response:
    """DRF's PageNumberPagination with ``page_size`` honoured up to a maximum."""
    size = _int(request, "page_size", DEFAULT_PAGE_SIZE)
    number = _int(request, "page", 1)
    if size is None or number is None or number < 1:
        return json_response({"detail": "Invalid page."}, 404)
    size = max(1, min(size, MAX_PAGE_SIZE))
    chunk = records[(number - 1) * size : number * size]
    if number > 1 and not chunk:
        return json_response({"detail": "Invalid page."}, 404)
    base = f"{request.root}{request.path}"
    more = number * size < len(records)
    sized = "" if "page_size" not in request.query else f"&page_size={size}"
    return json_response(
        {
            "count": len(records),
            "next": f"{base}?format=json&page={number + 1}{sized}" if more else None,
            "previous": f"{base}?page={number - 1}" if number > 1 else None,
            "results": chunk,
        }
    )


def cursor_page(endpoint: Endpoint, request: Request) -> Response:
    """CursorPagination whose ``next`` links go round in a cycle."""
    cursor = request.query.get("cursor", ["a"])[0]
    following = {"a": "b", "b": "c", "c": "a"}.get(cursor, "a")
    base = f"{request.root}{request.path}"
    return json_response(
        {
            "next": f"{base}?cursor={following}",
            "previous": f"{base}?cursor={cursor}",
            "results": endpoint.records[:1],
        }
    )


def spaces(total: int, chunk: bytes = b" " * MB) -> Iterator[bytes]:
    """``total`` bytes of whitespace, one shared chunk at a time."""
    sent = 0
    while sent < total:
        piece = chunk if total - sent >= len(chunk) else chunk[: total - sent]
        sent += len(piece)
        yield piece


def gzip_bomb(total: int) -> Iterator[bytes]:
    """A gzip stream of ``total`` zero bytes, compressed on the fly."""
    zeros = bytes(MB)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    for _ in range(total // MB):
        yield packer.compress(zeros)
    yield packer.flush()


def nested(depth: int) -> bytes:
    """A JSON page whose one record nests ``depth`` arrays deep, never parsed here."""
    inner = b"[" * depth + b"]" * depth
    return b'{"count": 1, "next": null, "results": [{"id": 1, "deep": ' + inner + b"}]}"


def stalled(stop: threading.Event, after: bytes = b"") -> Iterator[bytes]:
    """Send ``after``, then a byte every half second until the suite ends."""
    if after:
        yield after
    while not stop.wait(0.5):
        yield b" "


def link_to(request: Request, path: str) -> str:
    return f"{request.root}{quote(path, safe='/?=&')}"


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}
