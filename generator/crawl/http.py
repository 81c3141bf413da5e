"""The crawler's only door to the network: one pooled client, one origin.

:class:`Fetcher` sends every request a crawl makes. It keeps the HTTP Basic
credentials on the root's origin, asks DRF explicitly for JSON or for the
browsable page, retries what a flaky server fails now and then, refuses what a
hostile one may send (other origins, endless or deeply nested bodies, HTML
where JSON was asked for) and turns each failure into an error of
:mod:`generator.errors` whose message names the URL and never a credential.
"""

from __future__ import annotations

import asyncio
import email.utils
import http.cookiejar
import ipaddress
import json
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from itertools import accumulate
from types import TracebackType
from typing import Any, NoReturn, Self

import httpx

from generator import __version__
from generator.errors import (
    AuthenticationError,
    ConfigError,
    CrawlError,
    CredentialsRefused,
    DeadlineExceeded,
    OriginError,
    UnexpectedResponse,
    UnreachableError,
)

__all__ = [
    "MAX_REDIRECTS",
    "EventHook",
    "Fetcher",
    "Params",
    "Reply",
    "Stats",
    "canonical_url",
    "redact",
    "same_origin",
]

logger = logging.getLogger(__name__)

EventHook = Callable[[str, dict[str, object]], None]
Params = Mapping[str, str | int | float | bool]

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# 500 is retried too: a crawl of a flaky server must still come out
# byte-identical, so one lost page may not end it.
_RETRY_STATUSES = frozenset({500, 502, 503, 504})
_THROTTLED = 429
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Query values under these names are masked wherever a URL is shown.
_SECRET_PARAMS = frozenset(
    {
        "access_token",
        "api_key",
        "apikey",
        "auth",
        "key",
        "passwd",
        "password",
        "pwd",
        "secret",
        "sig",
        "signature",
        "token",
    }
)
_USERINFO = re.compile(r"//[^/?#]*@")
_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_RUNS = re.compile(rb"\[+|\]+")
_OPEN = ord("[")
_PEELS = 8


@dataclass(frozen=True)
class Reply:
    """One response: the URL it came from, its status and its decoded body.

    ``url`` is the URL last requested (after same-origin redirects), with the
    ``format`` query DRF was sent and without user info. ``data`` holds the
    decoded JSON (None for 204, HTML pages, and unusable 4xx bodies);
    ``text`` holds a browsable page's HTML.
    """

    url: str
    status: int
    headers: httpx.Headers
    data: Any
    text: str | None


@dataclass
class Stats:
    """Counters of one fetcher: requests sent, retry waits, fetches that raised."""

    requests: int = 0
    retries: int = 0
    failures: int = 0


@dataclass(frozen=True)
class _Ask:
    """What a public method asks DRF for: method, ``?format=``, Accept."""

    method: str
    fmt: str
    accept: str
    html: bool
    body: bytes | None = None  # a JSON body: only the validation probes send one
    optional: bool = False  # the crawl can do without it: see OPTIONAL_ATTEMPTS


_JSON_GET = _Ask("GET", "json", "application/json", html=False)
_JSON_OPTIONS = _Ask("OPTIONS", "json", "application/json", html=False)
_OPTIONAL_JSON_GET = _Ask("GET", "json", "application/json", html=False, optional=True)
# An optional request is tried this often at most, and its 401 is its own.
OPTIONAL_ATTEMPTS = 2
# ``format=api`` is DRF's browsable renderer; only it lists extra actions
# and django-filter inputs.
_HTML_GET = _Ask("GET", "api", "text/html", html=True)


@dataclass(frozen=True)
class _Raw:
    """A response read as far as acebind needs it, before decoding."""

    url: httpx.URL
    status: int
    headers: httpx.Headers
    body: bytes
    charset: str | None


_Outcome = _Raw | httpx.TransportError


def redact(url: str | httpx.URL) -> str:
    """``url`` fit for a message or a log line: no user info, no secret values."""
    try:
        parsed = _without_userinfo(httpx.URL(url))
    except httpx.InvalidURL:
        return _USERINFO.sub("//", str(url))
    if not any(name.lower() in _SECRET_PARAMS for name in parsed.params):
        return str(parsed)
    pairs = [
        (name, "redacted" if name.lower() in _SECRET_PARAMS else value)
        for name, value in parsed.params.multi_items()
    ]

    return str(parsed.copy_with(params=pairs))


def canonical_url(url: str | httpx.URL) -> str:
    """``url`` without ``format``, user info or query order, to compare links.

    DRF echoes the request's ``?format=json`` into every link it builds
    (root values, hyperlinked fields, ``next``), so links differ by it alone.
    """
    try:
        parsed = _without_userinfo(httpx.URL(url))
    except httpx.InvalidURL as exc:
        raise UnexpectedResponse(
            f"the link {redact(str(url))} cannot be parsed"
        ) from exc
    pairs = sorted(
        (name, value) for name, value in parsed.params.multi_items() if name != "format"
    )

    return str(parsed.copy_with(params=pairs))


def same_origin(a: str | httpx.URL, b: str | httpx.URL) -> bool:
    """Whether two absolute URLs share scheme, host and port (RFC 6454)."""
    try:
        origin = _origin(httpx.URL(a))
        return origin is not None and origin == _origin(httpx.URL(b))
    except httpx.InvalidURL:
        return False


def _origin(url: httpx.URL) -> tuple[str, str, int | None] | None:
    if not url.scheme or not url.raw_host:
        return None
    scheme = url.scheme.lower()
    port = url.port if url.port is not None else _DEFAULT_PORTS.get(scheme)

    return scheme, url.raw_host.decode("ascii", "replace").lower(), port


def _without_userinfo(url: httpx.URL) -> httpx.URL:
    return url.copy_with(userinfo=b"") if url.userinfo else url


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _parse_root(root_url: str, insecure_http: bool) -> httpx.URL:
    """The root as a URL, refused when it would put credentials at risk."""
    try:
        root = httpx.URL(root_url)
    except httpx.InvalidURL:
        # No ``from``: the parser's message may quote the credentials.
        shown = _USERINFO.sub("//", root_url)
        raise ConfigError(f"the root URL {shown} cannot be parsed") from None
    if root.userinfo:
        raise ConfigError(
            f"the root URL {redact(root)} carries user info: give the "
            "credentials separately, never inside a URL"
        )
    if root.scheme not in _DEFAULT_PORTS or not root.host:
        raise ConfigError(f"the root URL {root} is not an absolute http(s) URL")
    if root.scheme == "http" and not (insecure_http or _is_loopback(root.host)):
        raise ConfigError(
            f"the root URL {root} is plain http, which would send the "
            "credentials unencrypted: use https, or insecure_http on a "
            "network you trust"
        )

    return root


def _check_settings(
    concurrency: int, timeout: float, max_body_bytes: int, retries: int
) -> None:
    positive = {
        "concurrency": concurrency,
        "timeout": timeout,
        "max_body_bytes": max_body_bytes,
    }
    for name, value in positive.items():
        if value <= 0:
            raise ConfigError(f"{name} must be positive, not {value}")
    if retries < 0:
        raise ConfigError(f"retries must be zero or more, not {retries}")


def _retryable(method: str, status: int) -> bool:
    if method not in _IDEMPOTENT:
        return False
    return status in _RETRY_STATUSES or status == _THROTTLED


def _usable(status: int) -> bool:
    """2xx are data; 4xx are answers the crawler probes for (404, 405, 400)."""
    return 200 <= status < 300 or 400 <= status < 500


def _wants_body(status: int) -> bool:
    return _usable(status) and status not in (204, _THROTTLED)


def _retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` asks for: delta-seconds or an HTTP-date."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)

    return max(0.0, moment.timestamp() - time.time())


def _reason(outcome: _Outcome) -> str:
    if isinstance(outcome, _Raw):
        return f"status {outcome.status}"
    return type(outcome).__name__


def _media_type(headers: httpx.Headers) -> str:
    content_type: str = headers.get("Content-Type", "")
    return content_type.split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    """``application/json`` or a structured ``+json`` type (RFC 6839)."""
    return media == "application/json" or ("/" in media and media.endswith("+json"))


def _is_html(media: str) -> bool:
    return media in ("text/html", "application/xhtml+xml")


def _nesting_depth(body: bytes) -> int:
    """How deep JSON ``body`` nests arrays and objects, measured before parsing.

    Linear and mostly at C speed, so that a hostile body is refused before
    the recursive parser meets it. Braces count as brackets.
    """
    brackets = _outside_strings(body).translate(_SQUARE, _NOT_BRACKET)
    brackets, peeled = _peel(brackets)
    steps = (
        len(run) if run[0] == _OPEN else -len(run) for run in _RUNS.findall(brackets)
    )

    return peeled + max(accumulate(steps), default=0)


def _peel(brackets: bytes) -> tuple[bytes, int]:
    """Remove the innermost ``[]`` pairs, a level a pass, while that halves them.

    Bushy documents such as pages of records vanish in a few passes; long
    chains barely shrink, and are left to the run-by-run sum, which is cheap
    for them.
    """
    for peeled in range(_PEELS):
        reduced = brackets.replace(b"[]", b"")
        if len(reduced) == len(brackets):
            return brackets, peeled
        if len(reduced) * 2 > len(brackets):
            return reduced, peeled + 1
        brackets = reduced

    return brackets, _PEELS


def _outside_strings(body: bytes) -> bytes:
    """``body`` without its JSON strings, whose brackets do not nest."""
    # Escaped backslashes go first: then a backslash left before a quote
    # escapes it, and every quote left opens or closes a string.
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")

    return b"".join(unescaped.split(b'"')[::2])


def _refuse_constant(name: str) -> NoReturn:
    # NaN and Infinity are Python's extension; DRF's strict JSON never sends them.
    raise ValueError(f"{name} is not JSON")


def _decode_json(raw: _Raw, max_depth: int) -> Any:
    """The JSON value of ``raw``, or UnexpectedResponse saying what is wrong."""
    url = redact(raw.url)
    media = _media_type(raw.headers)
    if not _is_json(media):
        raise UnexpectedResponse(
            f"expected JSON from {url}, got {media or 'no content type'}"
        )
    if _nesting_depth(raw.body) > max_depth:
        raise UnexpectedResponse(f"JSON from {url} nests deeper than {max_depth}")
    try:
        return json.loads(raw.body, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise UnexpectedResponse(_json_error(url, exc)) from exc
    except RecursionError as exc:
        raise UnexpectedResponse(f"JSON from {url} nests too deeply") from exc
    except ValueError as exc:
        raise UnexpectedResponse(f"invalid JSON from {url}: {exc}") from exc


def _json_error(url: str, exc: json.JSONDecodeError) -> str:
    where = f"line {exc.lineno} column {exc.colno} (char {exc.pos})"
    ends_early = "; the body ends early" if exc.pos >= len(exc.doc) else ""
    # Some of json's messages end with "at" already ("Unterminated string
    # starting at").
    joint = " " if exc.msg.endswith(" at") else " at "
    return f"invalid JSON from {url}: {exc.msg}{joint}{where}{ends_early}"


def _decode_text(body: bytes, charset: str | None) -> str:
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _refuse_credentials(
    ask: _Ask, url: httpx.URL, status: int, headers: httpx.Headers
) -> None:
    """401 and 403 fail the request; a 401 to Basic credentials ends the crawl."""
    if status == 401:
        scheme = headers.get("WWW-Authenticate", "").split(" ", 1)[0].strip()
        if scheme and scheme.lower() != "basic":
            raise AuthenticationError(
                f"{redact(url)} asks for another authentication scheme (401, "
                f"{scheme[:40]!r})"
            )
        raise CredentialsRefused(
            f"the environment refused the credentials for {redact(url)} (401)"
        )
    if status == 403:
        # DRF answers 403, not 401, to bad credentials too when Basic is not
        # its first authentication class.
        raise AuthenticationError(
            f"the environment's user may not {ask.method} {redact(url)} (403), "
            "or the credentials were refused without a Basic challenge"
        )


class Fetcher:
    """Same-origin, retrying, bounded HTTP access to one environment.

    Use as ``async with Fetcher(root_url, auth=(user, password)) as fetcher``.
    Relative URLs resolve against the root; any URL, redirect or link to
    another origin raises :class:`OriginError` before a byte is sent.
    """

    def __init__(
        self,
        root_url: str,
        *,
        auth: tuple[str, str] | None = None,
        concurrency: int = 8,
        timeout: float = 30.0,
        deadline_s: float | None = None,
        max_body_bytes: int = 64 * 2**20,
        retries: int = 6,
        insecure_http: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        on_event: EventHook | None = None,
        backoff_base: float = 0.25,
        backoff_cap: float = 8.0,
        retry_after_cap: float = 30.0,
        max_depth: int = 200,
    ) -> None:
        _check_settings(concurrency, timeout, max_body_bytes, retries)
        self._root = _parse_root(root_url, insecure_http)
        # Kept as an httpx.Auth, never as plain strings, and handed to each
        # request only after its origin was checked.
        self._auth = httpx.BasicAuth(*auth) if auth is not None else None
        self._concurrency = concurrency
        self._attempts = retries + 1
        self._refused: CredentialsRefused | None = None
        self._max_body = max_body_bytes
        self._max_depth = max_depth
        self._backoff = (backoff_base, backoff_cap)
        self._retry_after_cap = retry_after_cap
        self._deadline_s = deadline_s
        self._deadline = None if deadline_s is None else time.monotonic() + deadline_s
        self._on_event = on_event
        self._slots = asyncio.Semaphore(concurrency)
        self._rng = random.Random()
        self._client = self._open_client(timeout, transport)
        self.stats = Stats()

    def _open_client(
        self, timeout: float, transport: httpx.AsyncBaseTransport | None
    ) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            headers={"User-Agent": f"acebind/{__version__}", "Accept-Language": "en"},
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(
                max_connections=self._concurrency,
                max_keepalive_connections=self._concurrency,
            ),
            # Redirects are followed by hand so that each hop's origin is
            # checked before the credentials go with it.
            follow_redirects=False,
            # No cookies kept: each answer depends on the credentials alone,
            # so a crawl cannot drift with a session or a language cookie.
            cookies=http.cookiejar.CookieJar(
                http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
            ),
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"Fetcher({str(self._root)!r}, concurrency={self._concurrency})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    @property
    def root(self) -> str:
        """The environment's API root, as given."""
        return str(self._root)

    async def get_json(
        self, url: str, params: Params | None = None, *, optional: bool = False
    ) -> Reply:
        """GET ``url`` as JSON (``?format=json``).

        An ``optional`` request, one the crawl can do without, is tried at most
        twice: a broken extra must not cost the crawl every retry's backoff.
        """
        ask = _OPTIONAL_JSON_GET if optional else _JSON_GET
        return await self._fetch(ask, url, params)

    async def options(self, url: str, params: Params | None = None) -> Reply:
        """OPTIONS ``url``: DRF's metadata of the view, as JSON."""
        return await self._fetch(_JSON_OPTIONS, url, params)

    async def get_html(self, url: str, params: Params | None = None) -> Reply:
        """GET the browsable API page of ``url`` (``?format=api``) as text."""
        return await self._fetch(_HTML_GET, url, params)

    async def post_json(self, url: str, body: Any) -> Reply:
        """POST a JSON ``body`` to ``url``. Only validation probes do, with bodies
        DRF must reject; a POST is never retried on an error status."""
        content = json.dumps(body).encode()
        ask = _Ask("POST", "json", "application/json", html=False, body=content)
        return await self._fetch(ask, url, None)

    async def _fetch(self, ask: _Ask, url: str, params: Params | None) -> Reply:
        try:
            target = self._admit(ask, self._resolve(url, params))
            return await self._follow(ask, target)
        except CrawlError as exc:
            self._note_failure(ask, url, exc)
            raise

    def _resolve(self, url: str, params: Params | None) -> httpx.URL:
        try:
            joined = self._root.join(url)
        except httpx.InvalidURL as exc:
            shown = _USERINFO.sub("//", url)
            raise OriginError(f"the URL {shown} cannot be parsed") from exc

        return joined.copy_merge_params(params) if params else joined

    def _admit(
        self, ask: _Ask, url: httpx.URL, via: httpx.URL | None = None
    ) -> httpx.URL:
        """``url`` ready to send, or OriginError when it leaves the root's origin."""
        if not same_origin(url, self._root):
            source = f"{redact(via)} redirects to " if via is not None else ""
            raise OriginError(
                f"{source}{redact(url)} is outside the environment's origin "
                f"{redact(self._root.copy_with(raw_path=b'/'))}"
            )
        # User info in a link would override the fetcher's credentials in httpx.
        return _without_userinfo(url).copy_set_param("format", ask.fmt)

    async def _follow(self, ask: _Ask, target: httpx.URL) -> Reply:
        first = target
        for _hop in range(MAX_REDIRECTS + 1):
            raw = await self._exchange(ask, target)
            if raw.status not in _REDIRECTS:
                return self._reply(ask, raw)
            target = self._redirect_target(ask, raw)
        raise UnexpectedResponse(
            f"{redact(first)} redirects more than {MAX_REDIRECTS} times"
        )

    def _redirect_target(self, ask: _Ask, raw: _Raw) -> httpx.URL:
        location = raw.headers.get("Location")
        if not location:
            raise UnexpectedResponse(
                f"{redact(raw.url)} answered {raw.status} without a Location"
            )
        try:
            moved = raw.url.join(location)
        except httpx.InvalidURL as exc:
            raise OriginError(
                f"{redact(raw.url)} redirects to a URL that cannot be parsed"
            ) from exc
        logger.debug("%s redirects to %s", redact(raw.url), redact(moved))

        return self._admit(ask, moved, via=raw.url)

    async def _exchange(self, ask: _Ask, url: httpx.URL) -> _Raw:
        """One request and its retries; the semaphore covers attempts only."""
        for attempt in range(1, self._attempts_of(ask)):
            outcome = await self._try(ask, url)
            if isinstance(outcome, _Raw) and not _retryable(ask.method, outcome.status):
                return outcome
            await self._wait(ask, url, attempt, outcome)

        return self._settle(ask, url, await self._try(ask, url))

    def _attempts_of(self, ask: _Ask) -> int:
        return (
            min(OPTIONAL_ATTEMPTS, self._attempts) if ask.optional else self._attempts
        )

    def _settle(self, ask: _Ask, url: httpx.URL, outcome: _Outcome) -> _Raw:
        """The last attempt's outcome, or the error that retrying it failed."""
        attempts = self._attempts_of(ask)
        if isinstance(outcome, httpx.TransportError):
            raise UnreachableError(
                f"could not reach {redact(url)} after {attempts} attempts: "
                f"{type(outcome).__name__}"
            ) from outcome
        if _retryable(ask.method, outcome.status):
            raise UnexpectedResponse(
                f"{ask.method} {redact(url)} keeps failing with status "
                f"{outcome.status} after {attempts} attempts"
            )

        return outcome

    async def _try(self, ask: _Ask, url: httpx.URL) -> _Outcome:
        """One attempt; transport errors come back as values to retry on."""
        if self._refused is not None:
            # Never send credentials the environment refused once more.
            raise CredentialsRefused(str(self._refused))
        self._check_deadline(ask, url)
        try:
            # The deadline also bounds an attempt already under way, so a
            # stalled server cannot hold the crawl past it by ``timeout``.
            async with asyncio.timeout(self._remaining()), self._slots:
                return await self._attempt(ask, url)
        except TimeoutError as exc:
            raise DeadlineExceeded(
                f"{ask.method} {redact(url)} was still running when the "
                f"crawl's deadline of {self._deadline_s} s passed"
            ) from exc
        except httpx.TransportError as exc:
            self._note_request(ask, url, error=type(exc).__name__)
            return exc

    async def _attempt(self, ask: _Ask, url: httpx.URL) -> _Raw:
        headers = {"Accept": ask.accept}
        if ask.body is not None:
            headers["Content-Type"] = "application/json"
        request = self._client.build_request(
            ask.method, url, headers=headers, content=ask.body
        )
        self.stats.requests += 1
        response = await self._client.send(request, auth=self._auth, stream=True)
        try:
            self._note_request(ask, url, status=response.status_code)
            try:
                _refuse_credentials(ask, url, response.status_code, response.headers)
            except CredentialsRefused as refused:
                if not ask.optional:
                    self._refused = self._refused or refused
                raise
            return await self._read(response, url)
        finally:
            await response.aclose()

    async def _read(self, response: httpx.Response, url: httpx.URL) -> _Raw:
        status = response.status_code
        body = await self._read_body(response, url) if _wants_body(status) else b""

        return _Raw(url, status, response.headers, body, response.charset_encoding)

    async def _read_body(self, response: httpx.Response, url: httpx.URL) -> bytes:
        """The body, read in chunks and abandoned as soon as it passes the cap."""
        declared = response.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self._max_body:
            raise self._too_large(url)
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self._max_body:
                    raise self._too_large(url)
                chunks.append(chunk)
        except httpx.DecodingError as exc:
            raise UnexpectedResponse(
                f"the body from {redact(url)} does not match its Content-Encoding"
            ) from exc

        return b"".join(chunks)

    def _too_large(self, url: httpx.URL) -> UnexpectedResponse:
        return UnexpectedResponse(
            f"the body from {redact(url)} is larger than {self._max_body} bytes"
        )

    async def _wait(
        self, ask: _Ask, url: httpx.URL, attempt: int, outcome: _Outcome
    ) -> None:
        """Sleep before the next attempt, outside the semaphore."""
        delay = self._delay(attempt, outcome)
        reason = _reason(outcome)
        self._check_deadline(ask, url, wait=delay)
        self.stats.retries += 1
        logger.info(
            "retrying %s %s in %.2f s: attempt %d of %d got %s",
            ask.method,
            redact(url),
            delay,
            attempt,
            self._attempts_of(ask),
            reason,
        )
        self._emit(
            "retry",
            {
                "method": ask.method,
                "url": redact(url),
                "attempt": attempt,
                "delay": delay,
                "reason": reason,
            },
        )
        await asyncio.sleep(delay)

    def _delay(self, attempt: int, outcome: _Outcome) -> float:
        """Retry-After when throttled, else exponential backoff, full jitter."""
        if isinstance(outcome, _Raw) and outcome.status == _THROTTLED:
            asked = _retry_after(outcome.headers.get("Retry-After"))
            if asked is not None:
                return min(asked, self._retry_after_cap)
        base, cap = self._backoff

        return self._rng.uniform(0.0, min(cap, base * 2 ** (attempt - 1)))

    def _remaining(self) -> float | None:
        return None if self._deadline is None else self._deadline - time.monotonic()

    def _check_deadline(self, ask: _Ask, url: httpx.URL, wait: float = 0.0) -> None:
        remaining = self._remaining()
        if remaining is None or remaining > wait:
            return
        step = "a retry of" if wait else "the request"
        raise DeadlineExceeded(
            f"the crawl's deadline of {self._deadline_s} s would pass before "
            f"{step} {ask.method} {redact(url)}"
        )

    def _reply(self, ask: _Ask, raw: _Raw) -> Reply:
        if not _usable(raw.status):
            raise UnexpectedResponse(
                f"{ask.method} {redact(raw.url)} answered {raw.status}, "
                "a status acebind cannot use"
            )
        if ask.html:
            return self._html_reply(raw)

        return self._json_reply(raw)

    def _json_reply(self, raw: _Raw) -> Reply:
        return Reply(str(raw.url), raw.status, raw.headers, self._data(raw), None)

    def _data(self, raw: _Raw) -> Any:
        if raw.status == 204:
            return None
        if raw.status < 300:
            return _decode_json(raw, self._max_depth)

        return self._decode_probe(raw)

    def _decode_probe(self, raw: _Raw) -> Any:
        """A 4xx body if it is usable JSON; the crawler only needs its status."""
        try:
            return _decode_json(raw, self._max_depth)
        except UnexpectedResponse as exc:
            logger.debug("ignoring the %d body: %s", raw.status, exc)
            return None

    def _html_reply(self, raw: _Raw) -> Reply:
        media = _media_type(raw.headers)
        if raw.status < 300 and not _is_html(media):
            raise UnexpectedResponse(
                f"expected HTML from {redact(raw.url)}, "
                f"got {media or 'no content type'}"
            )
        text = _decode_text(raw.body, raw.charset) if _is_html(media) else None

        return Reply(str(raw.url), raw.status, raw.headers, None, text)

    def _note_request(
        self, ask: _Ask, url: httpx.URL, status: int | None = None, error: str = ""
    ) -> None:
        logger.debug("%s %s -> %s", ask.method, redact(url), error or status)
        info: dict[str, object] = {"method": ask.method, "url": redact(url)}
        if error:
            info["error"] = error
        else:
            info["status"] = status
        self._emit("request", info)

    def _note_failure(self, ask: _Ask, url: str, exc: Exception) -> None:
        self.stats.failures += 1
        logger.debug("%s %s failed: %s", ask.method, redact(url), exc)
        self._emit(
            "failure",
            {
                "method": ask.method,
                "url": redact(url),
                "error": type(exc).__name__,
                "message": str(exc),
            },
        )

    def _emit(self, kind: str, info: dict[str, object]) -> None:
        if self._on_event is not None:
            self._on_event(kind, info)
