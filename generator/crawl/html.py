"""Read what only DRF's browsable API page tells: filters, search, ordering, actions.

``GET <list>?format=api`` renders ``rest_framework/base.html``. The parser keys
on that template's structure, unchanged from DRF 3.10 to 3.18:

* ``<div id="filtersModal">`` holds every filter backend's ``to_html``:
  django-filter's ``<form>`` of inputs and selects, SearchFilter's
  ``<form class="form-inline">`` with one text input, and OrderingFilter's
  ``<div class="list-group">`` of ``<a href="?...&ordering=...">`` links;
* ``<ul aria-labelledby="extra-actions-menu">`` lists ``<a href=url>name</a>``
  for each ``@action`` of the view's kind (list or detail);
* ``<div class="response-info">`` shows the response headers as
  ``<b>Allow:</b> <span class="lit">GET, POST</span>`` lines inside
  ``<span class="meta">`` (DRF before 3.15.2 may break long values with
  ``<br>``).

The page is untrusted: nothing is evaluated, everything kept is capped, and
malformed markup yields whatever was found before, never an exception.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

MAX_HTML_CHARS = 8_000_000
MAX_NAME_CHARS = 200
MAX_URL_CHARS = 2_000
MAX_ITEMS = 500
MAX_DEPTH = 256
MAX_TEXT_CHARS = 2_000
MAX_HEADERS_CHARS = 20_000
MAX_QUERY_FIELDS = 100

NON_FILTER_PARAMS = frozenset(
    {"page", "page_size", "format", "csrfmiddlewaretoken", "limit", "offset", "cursor"}
)
_VOID_TAGS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip
# A start tag of these closes a still open sibling of the same name, as in
# browsers; it keeps the stack shallow on sloppy "<li>" lists.
_SELF_CLOSING_SIBLINGS = frozenset(
    {"a", "li", "p", "option", "dt", "dd", "tr", "td", "th"}
)
_FIELD_TAGS = frozenset({"input", "select", "textarea"})
_BUTTON_TYPES = frozenset({"submit", "reset", "button", "image"})
_URL_SCHEMES = frozenset({"", "http", "https"})
_METHOD = re.compile(r"[A-Z]{1,20}")


@dataclass(frozen=True)
class ExtraAction:
    name: str
    url: str


@dataclass(frozen=True)
class BrowsablePage:
    filters: tuple[str, ...] = ()
    search: bool = False
    ordering: tuple[str, ...] = ()
    actions: tuple[ExtraAction, ...] = ()
    allowed_methods: tuple[str, ...] = ()
    # The query argument names, which SEARCH_PARAM / ORDERING_PARAM may rename.
    search_param: str = ""
    ordering_param: str = ""


def parse_browsable(html: str) -> BrowsablePage:
    parser = _PageParser()
    # The stdlib parser raises AssertionError on some "<![" sections; what was
    # read before still counts. close() is never called: on input ending inside
    # an unfinished construct it rescans the tail once per "<", which is
    # quadratic, while feed() alone stops at the first unfinished construct.
    with contextlib.suppress(Exception):
        parser.feed(html[:MAX_HTML_CHARS])
    return parser.result()


class _Region:
    """The parts of the page read; one element may open several."""

    MODAL = "filters modal"
    FORM = "form in the filters modal"
    LIST_GROUP = "ordering links"
    MENU = "extra actions menu"
    LINK = "extra action link"
    RESPONSE = "response info"
    HEADERS = "response headers"


@dataclass
class _Form:
    inline: bool
    names: list[str] = field(default_factory=list)


@dataclass
class _Link:
    href: str
    text: list[str] = field(default_factory=list)
    size: int = 0


@dataclass
class _Element:
    tag: str
    regions: frozenset[str]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[_Element] = []
        self._inside: Counter[str] = Counter()
        self._untracked = 0
        self._form: _Form | None = None
        self._link: _Link | None = None
        self._filters: dict[str, None] = {}
        self._search_param = ""
        self._ordering_links: list[dict[str, str]] = []
        self._actions: dict[ExtraAction, None] = {}
        self._headers: list[str] = []
        self._headers_size = 0

    def result(self) -> BrowsablePage:
        self._pop_to(0)
        param = _ordering_param(self._ordering_links)
        return BrowsablePage(
            filters=tuple(self._filters),
            search=bool(self._search_param),
            ordering=_ordering_values(self._ordering_links, param),
            actions=tuple(self._actions),
            allowed_methods=_allowed_methods("".join(self._headers)),
            search_param=self._search_param,
            ordering_param=param,
        )

    # -- tree bookkeeping -------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in _FIELD_TAGS:
            self._field(tag, values)
        if tag in _VOID_TAGS:
            return
        if tag in _SELF_CLOSING_SIBLINGS and self._stack and self._stack[-1].tag == tag:
            self._pop_to(len(self._stack) - 1)
        if len(self._stack) >= MAX_DEPTH:
            self._untracked += 1
            return
        regions = self._entered(tag, values)
        self._stack.append(_Element(tag, regions))
        if regions:
            self._inside.update(regions)
        self._start(tag, values, regions)

    # Browsers ignore "/>" on non-void elements, so "<div/>" stays open.
    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if self._untracked:
            self._untracked -= 1
            return
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index].tag == tag:
                self._pop_to(index)
                return

    def handle_data(self, data: str) -> None:
        if self._link is not None and self._link.size < MAX_TEXT_CHARS:
            self._link.text.append(data[:MAX_TEXT_CHARS])
            self._link.size += len(data)
        if self._inside[_Region.HEADERS] and self._headers_size < MAX_HEADERS_CHARS:
            self._headers.append(data[:MAX_TEXT_CHARS])
            self._headers_size += len(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            # Python before 3.11.13 raises on an unknown "<![name[" section;
            # later ones, like browsers, skip it as a bogus comment up to ">".
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    def _pop_to(self, index: int) -> None:
        while len(self._stack) > index:
            element = self._stack.pop()
            if not element.regions:
                continue
            self._inside.subtract(element.regions)
            if _Region.FORM in element.regions:
                self._end_form()
            if _Region.LINK in element.regions:
                self._end_link()

    def _entered(self, tag: str, attrs: dict[str, str]) -> frozenset[str]:
        classes = attrs.get("class", "").split()
        in_modal = self._inside[_Region.MODAL] > 0
        found = {
            _Region.MODAL: attrs.get("id") == "filtersModal",
            _Region.FORM: in_modal and tag == "form",
            _Region.LIST_GROUP: in_modal and "list-group" in classes,
            _Region.MENU: attrs.get("aria-labelledby") == "extra-actions-menu",
            _Region.LINK: self._inside[_Region.MENU] > 0 and tag == "a",
            _Region.RESPONSE: "response-info" in classes,
            _Region.HEADERS: self._inside[_Region.RESPONSE] > 0 and "meta" in classes,
        }
        return frozenset(region for region, entered in found.items() if entered)

    # -- what the regions hold --------------------------------------------

    def _start(self, tag: str, attrs: dict[str, str], regions: frozenset[str]) -> None:
        if _Region.FORM in regions:
            # Forms do not nest: a new one ends any still open.
            self._end_form()
            self._form = _Form(inline="form-inline" in attrs.get("class", "").split())
        if _Region.LINK in regions:
            self._end_link()
            self._link = _Link(attrs.get("href", ""))
        if tag == "a" and self._inside[_Region.LIST_GROUP]:
            self._ordering_link(attrs.get("href", ""))

    def _field(self, tag: str, attrs: dict[str, str]) -> None:
        if not self._inside[_Region.MODAL]:
            return
        if tag == "input" and attrs.get("type", "").lower() in _BUTTON_TYPES:
            return
        name = _clean(attrs.get("name", ""), MAX_NAME_CHARS)
        if name is None:
            return
        if self._form is not None:
            self._form.names.append(name)
        else:
            self._add_filter(name)

    def _end_form(self) -> None:
        form, self._form = self._form, None
        if form is None:
            return
        # SearchFilter renders an inline form with its one text box; a
        # filterset's form is block-level, whatever number of fields it has.
        if form.inline and len(form.names) == 1:
            self._search_param = self._search_param or form.names[0]
            return
        for name in form.names:
            self._add_filter(name)

    def _add_filter(self, name: str) -> None:
        if name not in NON_FILTER_PARAMS and len(self._filters) < MAX_ITEMS:
            self._filters[name] = None

    def _end_link(self) -> None:
        link, self._link = self._link, None
        if link is None:
            return
        name = _clean(" ".join("".join(link.text).split()), MAX_NAME_CHARS)
        url = _clean_url(link.href)
        if name is not None and url is not None and len(self._actions) < MAX_ITEMS:
            self._actions[ExtraAction(name, url)] = None

    def _ordering_link(self, href: str) -> None:
        url = _clean_url(href)
        if url is None or len(self._ordering_links) >= MAX_ITEMS:
            return
        try:
            query = urlsplit(url).query
            pairs = parse_qsl(
                query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS
            )
        except ValueError:
            return
        self._ordering_links.append(dict(pairs))


def _clean(value: str, limit: int) -> str | None:
    if not value or len(value) > limit or not value.isprintable():
        return None
    return value


def _clean_url(href: str) -> str | None:
    url = _clean(href.strip(), MAX_URL_CHARS)
    if url is None:
        return None
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        return None
    return url if scheme.lower() in _URL_SCHEMES else None


def _ordering_param(links: list[dict[str, str]]) -> str:
    """The query argument the ordering links set.

    Each link is the current URL with that one argument set, so it is in every
    link and its value differs between links (OrderingFilter always renders an
    ascending and a descending link per field).
    """
    if not links:
        return ""
    shared = [key for key in links[0] if all(key in link for link in links)]
    varying = [key for key in shared if len({link[key] for link in links}) > 1]
    candidates = varying or [key for key in shared if key not in NON_FILTER_PARAMS]
    if "ordering" in candidates:
        return "ordering"
    return candidates[0] if len(candidates) == 1 else ""


def _ordering_values(links: list[dict[str, str]], param: str) -> tuple[str, ...]:
    if not param:
        return ()
    values = (_clean(link.get(param, ""), MAX_NAME_CHARS) for link in links)
    return tuple(dict.fromkeys(value for value in values if value is not None))


def _allowed_methods(headers: str) -> tuple[str, ...]:
    for line in headers.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip().lower() == "allow":
            methods = (token.strip().upper() for token in value.split(","))
            return tuple(dict.fromkeys(m for m in methods if _METHOD.fullmatch(m)))
    return ()
