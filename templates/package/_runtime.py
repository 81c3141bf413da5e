"""Runtime support of a generated StoresAce package: HTTP, errors, codecs.

acebind copies this module verbatim into every package it generates, as
``<package>/_runtime.py``; the generated endpoint modules and ``Client``
classes build on :class:`BaseClient` and :class:`AsyncBaseClient`. It imports
only the standard library, httpx and attrs.

Every error it raises on purpose derives from :class:`StoresAceError`::

    StoresAceError
    ├── TransportError              the network failed, after the retries
    └── ApiError                    the environment answered, but not as hoped
        ├── ValidationError         400: per-field messages, per record of a batch
        ├── AuthenticationError     401: the credentials were refused
        ├── PermissionDeniedError   403: the user may not (or no Basic challenge)
        ├── NotFoundError           404
        ├── ThrottledError          429, with the Retry-After it asked for
        ├── ServerError             5xx
        └── UnexpectedResponseError any other status, a body that is not the
                                    JSON expected, a URL of another origin

Messages are one line: status, method, URL and the server's ``detail``. URLs
are shown without user info, and no message or log line holds a credential.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import enum
import json as jsonlib
import logging
import random
import re
import time
import urllib.parse
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from types import TracebackType
from typing import Any, Final, Generic, Literal, NamedTuple, Self, TypeVar

import attrs
import httpx

__all__ = [
    "UNSET",
    "ApiError",
    "AsyncBaseClient",
    "AuthenticationError",
    "BaseClient",
    "Changes",
    "NotFoundError",
    "Page",
    "PageTuple",
    "Params",
    "PermissionDeniedError",
    "ServerError",
    "StoresAceError",
    "ThrottledError",
    "TransportError",
    "UnexpectedResponseError",
    "Unset",
    "UpsertReport",
    "ValidationError",
    "check_page_size",
    "date_from",
    "date_to",
    "datetime_from",
    "datetime_to",
    "decimal_from",
    "decimal_to",
    "enum_from",
    "enum_to",
    "fill_path",
    "sync_high_water",
    "time_from",
    "time_to",
    "timedelta_from",
    "timedelta_to",
    "uuid_from",
    "uuid_to",
]

# The generated package's logger, not this module's: users configure one name.
logger = logging.getLogger(__name__.rsplit(".", 1)[0])

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
V = TypeVar("V")


class Unset(enum.Enum):
    """The type of :data:`UNSET`: a value that is absent, which None is not.

    A one-member enum, so that type checkers narrow ``x is UNSET`` and pickle
    and copy give back the same object.
    """

    UNSET = "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    __str__ = __repr__


UNSET: Final = Unset.UNSET

_Scalar = str | int | float | bool | None
ParamValue = _Scalar | Unset | list[_Scalar] | tuple[_Scalar, ...]
# Query arguments; None and UNSET values are left out of the query.
Params = Mapping[str, ParamValue]
PageTuple = tuple[list[dict[str, Any]], int | None, str | None]


# --- errors -------------------------------------------------------------------


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _rebuild_error(
    cls: type[StoresAceError], args: tuple[Any, ...], state: dict[str, Any]
) -> StoresAceError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)

    return error


class StoresAceError(Exception):
    """Root of the errors of a generated StoresAce package."""

    # The subclasses take keyword-only arguments, which the default pickling of
    # exceptions (``cls(*args)``) cannot replay.
    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild_error, (type(self), self.args, dict(self.__dict__))


class TransportError(StoresAceError):
    """The request failed in the network: connection refused, DNS, timeouts.

    ``outcome_unknown`` is true when the request may have reached the server
    (a POST that timed out reading its answer, say): it may have been applied.
    """

    def __init__(
        self,
        method: str,
        url: str,
        reason: str,
        *,
        attempts: int = 1,
        outcome_unknown: bool = False,
    ) -> None:
        self.method = method
        self.url = url
        self.reason = reason
        self.attempts = attempts
        self.outcome_unknown = outcome_unknown
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        message = f"{method} {url} failed after {tries}: {reason}"
        if outcome_unknown:
            message += "; the request was sent, its outcome is unknown (not retried)"
        super().__init__(_one_line(message, 500))


class ApiError(StoresAceError):
    """The environment answered with a status, or a body, that is an error.

    ``status`` is None only when no response was involved (a URL refused
    before sending). ``detail`` is the server's ``{"detail": ...}`` text when
    it sent one; ``body`` the decoded JSON, else the text of the body.
    """

    def __init__(
        self,
        status: int | None,
        url: str,
        detail: str | None = None,
        body: Any = None,
        *,
        method: str = "",
        headers: httpx.Headers | None = None,
        reason: str | None = None,
    ) -> None:
        self.status = status
        self.url = url
        self.detail = detail
        self.body = body
        self.method = method
        self.headers = headers if headers is not None else httpx.Headers()
        self._read()
        head = " ".join(str(part) for part in (status, method, url) if part)
        explanation = "; ".join(
            text for text in (reason, detail or self._summary()) if text
        )
        message = f"{head}: {explanation}" if explanation else head
        super().__init__(_one_line(message))

    def _read(self) -> None:
        """Take what a subclass adds from ``body`` and ``headers``."""

    def _summary(self) -> str:
        """What the message says when the server sent no ``detail``."""
        return ""


class AuthenticationError(ApiError):
    """401: the environment refused the credentials (see ``WWW-Authenticate``)."""


class PermissionDeniedError(ApiError):
    """403: the user may not do this.

    DRF also answers 403, without a challenge, to wrong credentials when Basic
    is not its first authentication class.
    """


class NotFoundError(ApiError):
    """404: no such record, endpoint or page (``detail`` says which)."""


class ServerError(ApiError):
    """5xx: the environment failed, after the retries the method allows."""


class UnexpectedResponseError(ApiError):
    """A status or a body the client cannot use, or a URL of another origin."""


class ThrottledError(ApiError):
    """429: the environment throttled the user, after the retries.

    ``retry_after`` is the wait in seconds its last answer asked for, if any.
    """

    retry_after: float | None

    def _read(self) -> None:
        self.retry_after = _retry_after(self.headers.get("Retry-After"))


class ValidationError(ApiError):
    """400: the environment rejected the data.

    ``errors`` maps each field of one record to its messages (object-level
    ones under ``non_field_errors``). For an array, ``record_errors`` maps the
    index of each failing record to its field messages, read from either shape
    DRF answers with: up to 3.17 a list aligned with the input, ``{}`` for a
    valid record; from 3.18 an object keyed by the failing indices as strings.
    """

    errors: dict[str, Any]
    record_errors: dict[int, dict[str, Any]]

    def _read(self) -> None:
        self.record_errors = _record_errors(self.body)
        self.errors = {} if self.record_errors else _field_errors(self.body)

    @property
    def indices(self) -> list[int]:
        """The indices of the failing records of a batch, in order."""
        return sorted(self.record_errors)

    def _summary(self) -> str:
        if self.record_errors:
            shown = ", ".join(str(index) for index in self.indices[:10])
            more = ", ..." if len(self.record_errors) > 10 else ""
            return f"invalid records at {shown}{more}"
        fields = [
            f"{name}: {_first_message(messages)}"
            for name, messages in list(self.errors.items())[:3]
        ]

        return "; ".join(fields)


def _first_message(messages: Any) -> str:
    while isinstance(messages, list) and messages:
        messages = messages[0]
    if isinstance(messages, dict):
        return "invalid nested data"

    return str(messages)


def _is_index(key: object) -> bool:
    return isinstance(key, str) and key.isascii() and key.isdigit()


def _messages(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {"non_field_errors": value}

    return {"non_field_errors": [value]}


def _record_errors(body: Any) -> dict[int, dict[str, Any]]:
    """Per-record errors of a batch, from either bulk shape DRF answers with."""
    if isinstance(body, list) and body and all(isinstance(e, dict) for e in body):
        return {index: entry for index, entry in enumerate(body) if entry}
    if isinstance(body, dict) and body and all(_is_index(key) for key in body):
        pairs = sorted((int(key), _messages(value)) for key, value in body.items())
        return dict(pairs)

    return {}


def _field_errors(body: Any) -> dict[str, Any]:
    """One record's messages by field; a bare ``{"detail": ...}`` has none."""
    if isinstance(body, dict):
        return {} if set(body) == {"detail"} else dict(body)
    if isinstance(body, list) and body:
        # DRF renders ``ValidationError("text")`` raised outside a serializer
        # as a bare list of messages.
        return {"non_field_errors": list(body)}

    return {}


def _detail_of(body: Any) -> str | None:
    if isinstance(body, dict) and body.get("detail") is not None:
        return str(body["detail"])

    return None


_ERRORS_BY_STATUS: dict[int, type[ApiError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: ThrottledError,
}


def _error_class(status: int) -> type[ApiError]:
    if status in _ERRORS_BY_STATUS:
        return _ERRORS_BY_STATUS[status]
    if 500 <= status < 600:
        return ServerError

    return UnexpectedResponseError


# --- results --------------------------------------------------------------------


@attrs.frozen
class Page(Generic[T]):
    """One page of a list: its records, the envelope's count and next link."""

    records: list[T]
    count: int | None = None
    next: str | None = None


@attrs.frozen
class UpsertReport:
    """What a batched POST saved, by index into the records given.

    Every record is in exactly one of ``saved`` and ``not_saved``. ``errors``
    maps the index of a record that failed validation to its messages, and
    each index of a batch that failed for another reason to the exception.
    DRF saves nothing of a batch with one invalid record, so the valid records
    of that batch are in ``not_saved`` without an entry in ``errors``.
    """

    saved: list[int] = attrs.field(factory=list)
    not_saved: list[int] = attrs.field(factory=list)
    errors: dict[int, Any] = attrs.field(factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every record was saved."""
        return not self.not_saved


@attrs.frozen
class Changes(Generic[T]):
    """Records changed after a sync counter, and the counter to ask from next.

    ``high_water`` is the highest ``SyncCounter`` seen, or the counter asked
    from when nothing changed.
    """

    records: list[T]
    high_water: int | None


def sync_high_water(since: int | None, counters: Iterable[object]) -> int | None:
    """The highest integer of ``counters``, never below ``since``."""
    highest = since
    for counter in counters:
        if isinstance(counter, int) and (highest is None or counter > highest):
            highest = counter

    return highest


# --- paths and arguments the generated endpoints build -------------------------

_PLACEHOLDER = re.compile(r"\{[^{}/]*\}")


def fill_path(template: str, *keys: object) -> str:
    """``template`` with each ``{Field}`` replaced by a key, quoted as one segment.

    ``/``, ``?`` and ``#`` in a key are escaped and ``.`` or ``..`` refused, so
    a key always names a record and never another path.
    """
    segments = [_path_segment(key) for key in keys]
    if len(_PLACEHOLDER.findall(template)) != len(segments):
        raise ValueError(f"{template!r} does not take {len(segments)} key(s)")
    filled = iter(segments)

    return _PLACEHOLDER.sub(lambda _: next(filled), template)


def _path_segment(key: object) -> str:
    if isinstance(key, bool) or key is None or key is UNSET:
        raise ValueError(f"{key!r} is not a key")
    text = str(enum_to(key))
    if text in ("", ".", ".."):
        raise ValueError(f"{key!r} is not a key")

    return urllib.parse.quote(text, safe="")


def check_page_size(page_size: int, minimum: int | None, maximum: int | None) -> None:
    """Refuse a page size the endpoint would silently raise, cap or ignore."""
    low = max(1, minimum or 1)
    if page_size < low or (maximum is not None and page_size > maximum):
        high = "" if maximum is None else f" and at most {maximum}"
        raise ValueError(f"page_size must be at least {low}{high}, not {page_size}")


# --- URLs, retries and responses, shared by both clients ------------------------

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SAFE_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A POST's 429 or 503 with Retry-After says the server did not process it.
_UNSAFE_RETRY_STATUSES = frozenset({429, 503})
# Raised before a byte of the request left: safe to send again, POST included.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_FIXED_HEADERS = {"Accept": "application/json", "Accept-Language": "en"}
_USERINFO = re.compile(r"//[^/?#]*@")

_Outcome = httpx.Response | httpx.TransportError


class _Reply(NamedTuple):
    status: int
    url: httpx.URL
    data: Any


def _unbound(response: httpx.Response) -> httpx.Response:
    """``response``, read, without httpx's cycle between it and its stream.

    In the cycle, a page's body would live until the next garbage collection
    instead of going with its last reference; streaming many pages would hold
    several at once.
    """
    response.stream = httpx.ByteStream(b"")
    return response


def _shown(url: httpx.URL | str) -> str:
    """``url`` fit for a message or a log line: without user info."""
    if isinstance(url, str):
        return _USERINFO.sub("//", url)
    return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    port = url.port if url.port is not None else _DEFAULT_PORTS.get(url.scheme)
    return url.scheme, url.host.lower(), port


def _canonical(url: httpx.URL) -> str:
    """``url`` without ``format`` and query order, to recognise a page again."""
    pairs = sorted(
        (name, value) for name, value in url.params.multi_items() if name != "format"
    )

    return str(url.copy_with(userinfo=b"", fragment=None, params=pairs))


def _parse_base_url(base_url: str) -> httpx.URL:
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        # No ``from``: the parser's message may quote the URL's user info.
        raise ValueError(f"base_url {_shown(base_url)} cannot be parsed") from None
    if url.userinfo:
        raise ValueError(
            f"base_url {_shown(url)} carries user info: give username and "
            "password instead, never inside a URL"
        )
    if url.scheme not in _DEFAULT_PORTS or not url.host:
        raise ValueError(f"base_url {url} is not an absolute http(s) URL")
    if not url.path.endswith("/"):
        url = url.copy_with(path=url.path + "/")

    return url


def _check_settings(**settings: float) -> None:
    if settings["timeout"] <= 0:
        raise ValueError(f"timeout must be positive, not {settings['timeout']}")
    for name, value in settings.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative, not {value}")


def _query_pairs(params: Params) -> list[tuple[str, _Scalar]]:
    pairs: list[tuple[str, _Scalar]] = []
    for name, value in params.items():
        if value is UNSET:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((name, item) for item in values if item is not None)

    return pairs


def _may_resend(method: str, error: httpx.TransportError) -> bool:
    """Whether a request that failed in the network may be sent again."""
    if isinstance(error, _NOT_SENT):
        return True
    # Anything else may have reached the server: only a safe method repeats.
    return method in _SAFE_METHODS and isinstance(error, _TRANSIENT)


def _may_repeat(method: str, status: int, retry_after_given: bool) -> bool:
    """Whether a status is worth another attempt of the method."""
    if method in _SAFE_METHODS:
        return status in _SAFE_RETRY_STATUSES
    # A POST that failed otherwise may have been applied: never re-sent blindly.
    return status in _UNSAFE_RETRY_STATUSES and retry_after_given


def _describe(error: Exception) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` asks for: delta-seconds or an HTTP-date."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)

    return max(0.0, moment.timestamp() - time.time())


def _media_type(response: httpx.Response) -> str:
    content_type: str = response.headers.get("Content-Type", "")
    return content_type.split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    """``application/json`` or a structured ``+json`` type (RFC 6839)."""
    return media == "application/json" or media.endswith("+json")


def _error_body(response: httpx.Response) -> Any:
    """The decoded JSON of an error response, else its text."""
    try:
        return jsonlib.loads(response.content)
    except ValueError:
        return response.text


def _success_data(method: str, url: httpx.URL, response: httpx.Response) -> Any:
    status = response.status_code
    if status == 204:
        return None
    media = _media_type(response)
    if not _is_json(media):
        raise UnexpectedResponseError(
            status,
            _shown(url),
            None,
            response.text,
            method=method,
            headers=response.headers,
            reason=f"expected JSON, got {media or 'no content type'}",
        )
    try:
        return jsonlib.loads(response.content)
    except ValueError as exc:
        raise UnexpectedResponseError(
            status,
            _shown(url),
            None,
            response.text,
            method=method,
            headers=response.headers,
            reason=f"invalid JSON: {exc}",
        ) from exc


def _raise_for_status(method: str, url: httpx.URL, response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    body = _error_body(response)
    reason = None
    if 300 <= status < 400:
        location = response.headers.get("Location", "")
        reason = f"redirect to {_shown(location) or 'nowhere'} not followed"
    raise _error_class(status)(
        status,
        _shown(url),
        _detail_of(body),
        body,
        method=method,
        headers=response.headers,
        reason=reason,
    )


def _check_upsert(method: str, reply: _Reply) -> None:
    """StoresAce answers a saved POST with ``{"status": "1"}`` and nothing else."""
    data = reply.data
    if isinstance(data, dict) and data.get("status") == "1":
        return
    raise UnexpectedResponseError(
        reply.status,
        _shown(reply.url),
        _detail_of(data),
        data,
        method=method,
        reason='expected {"status": "1"}',
    )


def _page_of(method: str, reply: _Reply) -> PageTuple:
    """Records, count and next link of a DRF page, or of a bare list."""
    data = reply.data
    if isinstance(data, list):
        return _records_of(method, reply, data), len(data), None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise UnexpectedResponseError(
            reply.status,
            _shown(reply.url),
            _detail_of(data),
            data,
            method=method,
            reason="expected a page of records or a list",
        )
    count = data.get("count")
    link = data.get("next")
    return (
        _records_of(method, reply, data["results"]),
        count if isinstance(count, int) and not isinstance(count, bool) else None,
        link if isinstance(link, str) and link else None,
    )


def _records_of(method: str, reply: _Reply, records: list[Any]) -> list[dict[str, Any]]:
    if all(isinstance(record, dict) for record in records):
        return records
    raise UnexpectedResponseError(
        reply.status,
        _shown(reply.url),
        None,
        reply.data,
        method=method,
        reason="a record of the page is not an object",
    )


def _batches(total: int, batch_size: int) -> list[range]:
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    return [
        range(start, min(start + batch_size, total))
        for start in range(0, total, batch_size)
    ]


@attrs.define
class _Tally:
    """The running outcome of a batched POST."""

    saved: list[int] = attrs.field(factory=list)
    not_saved: list[int] = attrs.field(factory=list)
    errors: dict[int, Any] = attrs.field(factory=dict)

    def batch_saved(self, batch: range) -> None:
        self.saved.extend(batch)

    def batch_failed(self, batch: range, error: StoresAceError) -> None:
        self.not_saved.extend(batch)
        if isinstance(error, ValidationError):
            found = {
                batch.start + offset: messages
                for offset, messages in error.record_errors.items()
                if offset < len(batch)
            }
            if not found and error.errors and len(batch) == 1:
                found = {batch.start: error.errors}
            if found:
                self.errors.update(found)
                return
        self.errors.update(dict.fromkeys(batch, error))

    def report(self) -> UpsertReport:
        return UpsertReport(list(self.saved), list(self.not_saved), dict(self.errors))


class _Core:
    """Settings, URLs and retry decisions of a client; no I/O of its own."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str,
        password: str,
        timeout: float,
        retries: int,
        backoff: float,
        max_backoff: float,
        max_retry_after: float,
        headers: Mapping[str, str] | None,
    ) -> None:
        _check_settings(
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_backoff=max_backoff,
            max_retry_after=max_retry_after,
        )
        self._base = _parse_base_url(base_url)
        self._origin = _origin(self._base)
        # Handed to each request only after its URL was checked to be of the
        # base origin, so the credentials never sit in a URL or a default header.
        self._auth = httpx.BasicAuth(username, password)
        self._headers = httpx.Headers(headers or {})
        self._headers.update(_FIXED_HEADERS)
        self._retries = retries
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._max_retry_after = max_retry_after
        self._rng = random.Random()

    @property
    def base_url(self) -> str:
        """The environment's API root, ending with ``/``."""
        return str(self._base)

    def _target(self, path_or_url: str, params: Params | None) -> httpx.URL:
        """An absolute URL of the base origin, with the query to send."""
        url = self._resolve(path_or_url, None)
        if params:
            url = url.copy_merge_params(_query_pairs(params))

        return url.copy_set_param("format", "json")

    def _resolve(self, link: str, reply: _Reply | None) -> httpx.URL:
        """``link`` against its page or the base URL; refused off the origin."""
        status = None if reply is None else reply.status
        source = "" if reply is None else f" (a link of {_shown(reply.url)})"
        try:
            url = (self._base if reply is None else reply.url).join(link)
        except httpx.InvalidURL:
            raise UnexpectedResponseError(
                status, _shown(link), reason=f"the URL cannot be parsed{source}"
            ) from None
        if url.scheme not in _DEFAULT_PORTS or _origin(url) != self._origin:
            raise UnexpectedResponseError(
                status,
                _shown(url),
                reason=f"outside the origin of {self.base_url}{source}; not sent",
            )

        # User info in a link would replace the client's credentials.
        return url.copy_with(userinfo=b"") if url.userinfo else url

    def _next_url(
        self, reply: _Reply, link: str | None, seen: set[str]
    ) -> httpx.URL | None:
        if link is None:
            return None
        url = self._resolve(link, reply).copy_set_param("format", "json")
        key = _canonical(url)
        if key in seen:
            logger.warning("stopping at a cycle of next links: %s", _shown(url))
            return None
        seen.add(key)

        return url

    def _request(
        self,
        client: httpx.Client | httpx.AsyncClient,
        method: str,
        url: httpx.URL,
        body: Any,
    ) -> httpx.Request:
        if body is None:
            return client.build_request(method, url, headers=self._headers)
        # ASCII JSON, as httpx's own but escaped: a lone surrogate a server
        # sent (JSON's "\ud800") has no UTF-8 form and would not encode.
        content = jsonlib.dumps(body, separators=(",", ":"), allow_nan=False)
        headers = httpx.Headers(self._headers)
        headers["Content-Type"] = "application/json"
        return client.build_request(
            method, url, content=content.encode(), headers=headers
        )

    def _retry_delay(
        self, method: str, attempt: int, outcome: _Outcome
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None to stop."""
        if attempt > self._retries:
            return None
        if isinstance(outcome, httpx.TransportError):
            return (
                self._backoff_delay(attempt) if _may_resend(method, outcome) else None
            )
        asked = None
        if outcome.status_code in _UNSAFE_RETRY_STATUSES:
            asked = _retry_after(outcome.headers.get("Retry-After"))
        if not _may_repeat(method, outcome.status_code, asked is not None):
            return None
        if asked is not None:
            return min(asked, self._max_retry_after)

        return self._backoff_delay(attempt)

    def _backoff_delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter."""
        ceiling = min(self._max_backoff, self._backoff * 2 ** (attempt - 1))
        return self._rng.uniform(0.0, ceiling)

    def _settle(
        self, method: str, url: httpx.URL, outcome: _Outcome, attempts: int
    ) -> _Reply:
        """The reply of the last attempt, or the error it comes to."""
        if isinstance(outcome, httpx.TransportError):
            unknown = method not in _SAFE_METHODS and not isinstance(outcome, _NOT_SENT)
            raise TransportError(
                method,
                _shown(url),
                _describe(outcome),
                attempts=attempts,
                outcome_unknown=unknown,
            ) from outcome
        _raise_for_status(method, url, outcome)

        return _Reply(outcome.status_code, url, _success_data(method, url, outcome))

    @staticmethod
    def _note_request(method: str, url: httpx.URL, outcome: _Outcome) -> None:
        result: object = (
            outcome.status_code
            if isinstance(outcome, httpx.Response)
            else type(outcome).__name__
        )
        logger.debug("%s %s -> %s", method, _shown(url), result)

    def _note_retry(
        self, method: str, url: httpx.URL, attempt: int, delay: float, outcome: _Outcome
    ) -> None:
        reason = (
            f"status {outcome.status_code}"
            if isinstance(outcome, httpx.Response)
            else type(outcome).__name__
        )
        logger.info(
            "retrying %s %s in %.2f s: attempt %d of %d got %s",
            method,
            _shown(url),
            delay,
            attempt,
            self._retries + 1,
            reason,
        )


class BaseClient(_Core):
    """Blocking access to one StoresAce environment; a context manager.

    Relative paths resolve against ``base_url``; an absolute URL must be of
    its origin. The HTTP Basic credentials go with requests to that origin
    only.
    """

    def __init__(
        self,
        base_url: str,
        *,
        username: str,
        password: str,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_retry_after: float = 120.0,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if http_client is not None and transport is not None:
            raise ValueError("give http_client or transport, not both")
        super().__init__(
            base_url,
            username=username,
            password=password,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_backoff=max_backoff,
            max_retry_after=max_retry_after,
            headers=headers,
        )
        self._owns_client = http_client is None
        self._client = (
            http_client
            if http_client is not None
            else httpx.Client(
                transport=transport, timeout=timeout, follow_redirects=False
            )
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client, unless it was handed in."""
        if self._owns_client:
            self._client.close()

    def request_json(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Params | None = None,
        json: Any = None,
    ) -> Any:
        """Send one request, retried as its method allows; its decoded JSON."""
        method = method.upper()
        return self._exchange(method, self._target(path_or_url, params), json).data

    def iter_pages(
        self, path: str, params: Params | None = None
    ) -> Iterator[PageTuple]:
        """Each page of a list as (records, count, next), following ``next``."""
        first = self._target(path, params)
        seen = {_canonical(first)}
        url: httpx.URL | None = first
        while url is not None:
            reply = self._exchange("GET", url, None)
            records, count, link = _page_of("GET", reply)
            yield records, count, link
            url = self._next_url(reply, link, seen)

    def post_records(
        self, path: str, bodies: Sequence[Any], *, batch_size: int
    ) -> UpsertReport:
        """POST encoded records in arrays of ``batch_size``; what was saved."""
        url = self._target(path, None)
        tally = _Tally()
        for batch in _batches(len(bodies), batch_size):
            try:
                reply = self._exchange(
                    "POST", url, list(bodies[batch.start : batch.stop])
                )
                _check_upsert("POST", reply)
            except StoresAceError as error:
                tally.batch_failed(batch, error)
            else:
                tally.batch_saved(batch)

        return tally.report()

    def post_one(self, path: str, body: Any) -> None:
        """POST one encoded record; ValidationError with ``errors`` on 400."""
        _check_upsert("POST", self._exchange("POST", self._target(path, None), body))

    def _exchange(self, method: str, url: httpx.URL, body: Any) -> _Reply:
        attempt = 1
        while True:
            outcome = self._attempt(method, url, body)
            delay = self._retry_delay(method, attempt, outcome)
            if delay is None:
                return self._settle(method, url, outcome, attempt)
            self._note_retry(method, url, attempt, delay, outcome)
            self._sleep(delay)
            attempt += 1

    def _attempt(self, method: str, url: httpx.URL, body: Any) -> _Outcome:
        request = self._request(self._client, method, url, body)
        try:
            outcome: _Outcome = _unbound(
                self._client.send(request, auth=self._auth, follow_redirects=False)
            )
        except httpx.TransportError as error:
            outcome = error
        self._note_request(method, url, outcome)

        return outcome

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class AsyncBaseClient(_Core):
    """:class:`BaseClient` for asyncio: the same methods, awaited."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str,
        password: str,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_retry_after: float = 120.0,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if http_client is not None and transport is not None:
            raise ValueError("give http_client or transport, not both")
        super().__init__(
            base_url,
            username=username,
            password=password,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_backoff=max_backoff,
            max_retry_after=max_retry_after,
            headers=headers,
        )
        self._owns_client = http_client is None
        self._client = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(
                transport=transport, timeout=timeout, follow_redirects=False
            )
        )

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
        """Close the HTTP client, unless it was handed in."""
        if self._owns_client:
            await self._client.aclose()

    async def request_json(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Params | None = None,
        json: Any = None,
    ) -> Any:
        """Send one request, retried as its method allows; its decoded JSON."""
        method = method.upper()
        reply = await self._exchange(method, self._target(path_or_url, params), json)

        return reply.data

    async def aiter_pages(
        self, path: str, params: Params | None = None
    ) -> AsyncIterator[PageTuple]:
        """Each page of a list as (records, count, next), following ``next``."""
        first = self._target(path, params)
        seen = {_canonical(first)}
        url: httpx.URL | None = first
        while url is not None:
            reply = await self._exchange("GET", url, None)
            records, count, link = _page_of("GET", reply)
            yield records, count, link
            url = self._next_url(reply, link, seen)

    async def post_records(
        self, path: str, bodies: Sequence[Any], *, batch_size: int
    ) -> UpsertReport:
        """POST encoded records in arrays of ``batch_size``; what was saved."""
        url = self._target(path, None)
        tally = _Tally()
        for batch in _batches(len(bodies), batch_size):
            chunk = list(bodies[batch.start : batch.stop])
            try:
                _check_upsert("POST", await self._exchange("POST", url, chunk))
            except StoresAceError as error:
                tally.batch_failed(batch, error)
            else:
                tally.batch_saved(batch)

        return tally.report()

    async def post_one(self, path: str, body: Any) -> None:
        """POST one encoded record; ValidationError with ``errors`` on 400."""
        reply = await self._exchange("POST", self._target(path, None), body)
        _check_upsert("POST", reply)

    async def _exchange(self, method: str, url: httpx.URL, body: Any) -> _Reply:
        attempt = 1
        while True:
            outcome = await self._attempt(method, url, body)
            delay = self._retry_delay(method, attempt, outcome)
            if delay is None:
                return self._settle(method, url, outcome, attempt)
            self._note_retry(method, url, attempt, delay, outcome)
            await self._sleep(delay)
            attempt += 1

    async def _attempt(self, method: str, url: httpx.URL, body: Any) -> _Outcome:
        request = self._request(self._client, method, url, body)
        try:
            outcome: _Outcome = _unbound(
                await self._client.send(
                    request, auth=self._auth, follow_redirects=False
                )
            )
        except httpx.TransportError as error:
            outcome = error
        self._note_request(method, url, outcome)

        return outcome

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


# --- codecs ---------------------------------------------------------------------
# Called once per field of every record, so each is a type check and one
# constructor: no reflection. Each raises ValueError on a value it cannot use.


def _refuse(kind: str, value: object) -> ValueError:
    return ValueError(f"not {kind}: {value!r:.80}")


def decimal_from(value: object) -> Decimal:
    """A Decimal from DRF's decimal string, or from a JSON number."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str | int) and not isinstance(value, bool):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise _refuse("a decimal", value) from None
    elif isinstance(value, float):
        # repr is the shortest text that reads back as the same float.
        number = Decimal(repr(value))
    else:
        raise _refuse("a decimal", value)
    if not number.is_finite():
        raise _refuse("a finite decimal", value)

    return number


def decimal_to(value: Decimal | int | float) -> str:
    """A decimal as DRF reads it: positional notation, never an exponent."""
    number = decimal_from(value)
    return format(number, "f")


def date_from(value: object) -> dt.date:
    """A date from ISO 8601 ``YYYY-MM-DD``."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise _refuse("a date", value) from exc
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise _refuse("a date", value)


def date_to(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        raise _refuse("a date (a datetime would lose its time)", value)
    return value.isoformat()


def datetime_from(value: object) -> dt.datetime:
    """A datetime from ISO 8601, with an offset, ``Z`` or neither."""
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise _refuse("a datetime", value) from exc
    if isinstance(value, dt.datetime):
        return value
    raise _refuse("a datetime", value)


def _zulu(text: str) -> str:
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def datetime_to(value: dt.datetime) -> str:
    """ISO 8601; UTC as ``Z``, the way DRF writes it."""
    return _zulu(value.isoformat())


def time_from(value: object) -> dt.time:
    """A time of day from ISO 8601 ``HH:MM[:SS[.ffffff]]``."""
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError as exc:
            raise _refuse("a time", value) from exc
    if isinstance(value, dt.time):
        return value
    raise _refuse("a time", value)


def time_to(value: dt.time) -> str:
    return _zulu(value.isoformat())


# Django's duration string, ``[-][D ][HH:]MM:SS[.ffffff]``; the days may be
# negative and the sign before the clock applies to the clock only. Python's
# ``str(timedelta)`` (``1 day, 2:03:04``) reads too.
_CLOCK_DURATION = re.compile(
    r"(?:(?P<days>[-+]?\d+) (?:days?, )?)?"
    r"(?P<sign>[-+]?)"
    r"(?:(?:(?P<hours>\d+):)?(?P<minutes>\d+):)?"
    r"(?P<seconds>\d+)(?:[.,](?P<fraction>\d+))?"
)
_NUMBER = r"\d+(?:[.,]\d+)?"
# ISO 8601 durations without years and months, which have no fixed length.
_ISO_DURATION = re.compile(
    rf"(?P<sign>[-+]?)P(?!$)(?:(?P<weeks>{_NUMBER})W)?(?:(?P<days>{_NUMBER})D)?"
    rf"(?:T(?!$)(?:(?P<hours>{_NUMBER})H)?(?:(?P<minutes>{_NUMBER})M)?"
    rf"(?:(?P<seconds>{_NUMBER})S)?)?"
)
_MICROSECONDS = {
    "weeks": 604_800_000_000,
    "days": 86_400_000_000,
    "hours": 3_600_000_000,
    "minutes": 60_000_000,
    "seconds": 1_000_000,
}


def timedelta_from(value: object) -> dt.timedelta:
    """A timedelta from Django's duration string or from ISO 8601 ``P...``."""
    if isinstance(value, dt.timedelta):
        return value
    if not isinstance(value, str):
        raise _refuse("a duration", value)
    clock = _CLOCK_DURATION.fullmatch(value)
    if clock is not None:
        return _clock_duration(clock)
    iso = _ISO_DURATION.fullmatch(value)
    if iso is not None:
        return _iso_duration(iso)
    raise _refuse("a duration", value)


def _clock_duration(match: re.Match[str]) -> dt.timedelta:
    parts = match.groupdict()
    clock = dt.timedelta(
        hours=int(parts["hours"] or 0),
        minutes=int(parts["minutes"] or 0),
        seconds=int(parts["seconds"]),
        microseconds=int((parts["fraction"] or "0")[:6].ljust(6, "0")),
    )
    days = dt.timedelta(days=int(parts["days"] or 0))

    return days - clock if parts["sign"] == "-" else days + clock


def _iso_duration(match: re.Match[str]) -> dt.timedelta:
    parts = match.groupdict()
    total = sum(
        (
            Decimal(parts[unit].replace(",", ".")) * size
            for unit, size in _MICROSECONDS.items()
            if parts[unit]
        ),
        Decimal(0),
    )
    duration = dt.timedelta(microseconds=int(total.to_integral_value()))

    return -duration if parts["sign"] == "-" else duration


def timedelta_to(value: dt.timedelta) -> str:
    """Django's duration string: ``[D ]HH:MM:SS[.ffffff]``, days maybe negative."""
    minutes, seconds = divmod(value.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if value.days:
        text = f"{value.days} {text}"
    if value.microseconds:
        text = f"{text}.{value.microseconds:06d}"

    return text


def uuid_from(value: object) -> uuid.UUID:
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError as exc:
            raise _refuse("a UUID", value) from exc
    if isinstance(value, uuid.UUID):
        return value
    raise _refuse("a UUID", value)


def uuid_to(value: uuid.UUID) -> str:
    return str(value)


def enum_from(enum_cls: type[E], value: V) -> E | V:
    """The member of ``enum_cls`` with ``value``, or ``value`` itself.

    Choices are open: an environment's next release may add one, and a
    record carrying it must still decode.
    """
    try:
        return enum_cls(value)
    except ValueError:
        return value


def enum_to(value: object) -> Any:
    """The wire value of a member, or a raw value as it is."""
    return value.value if isinstance(value, enum.Enum) else value
