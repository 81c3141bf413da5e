"""Walk an environment's API root and learn every endpoint, from the outside.

Per endpoint, with GET and OPTIONS only:

1. the first page tells the kind (list, nested root, object) and the
   pagination style from the envelope and its ``next`` link;
2. OPTIONS gives the allowed methods and the declared fields; the browsable
   HTML page lists the filter arguments and extra actions;
3. probes with ``page_size`` (or ``limit``) find the page-size bounds, and
   probes with values no record can match prove which standard filters the
   endpoint honours;
4. the largest page the server allows, the last page (and, with a bigger
   budget, pages between) are the samples;
5. one record's detail URL is found by trying its key-like fields, and
   OPTIONS on it adds the PUT metadata.

Requests run concurrently under the fetcher's bound; the result is the same
whatever order they complete in.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from generator.crawl import infer
from generator.crawl.html import BrowsablePage, parse_browsable
from generator.crawl.http import Fetcher, Reply, canonical_url, redact, same_origin
from generator.crawl.probe import probe_endpoint
from generator.crawl.published import Published, find_published, merge, record_facts
from generator.errors import (
    AuthenticationError,
    CrawlError,
    CredentialsRefused,
    OriginError,
    UnexpectedResponse,
)
from generator.findings import Findings

logger = logging.getLogger(__name__)

PROBE_PAGE_SIZE = 1000  # large enough to find most maxima, small enough to fetch
IMPOSSIBLE = {"synccounter": "9223372036854775806", "store": "2147483646"}
MAX_ROOT_DEPTH = 4
MAX_ENDPOINTS = 2000
WRITE_METHODS = {"POST", "PUT", "PATCH"}
KEY_HINTS = ("id", "pk", "uuid", "code", "key")


@dataclass(frozen=True)
class CrawlOptions:
    concurrency: int = 8
    sample_pages: int = 2
    timeout: float = 30.0
    deadline: float | None = None
    allow_partial: bool = False
    insecure_http: bool = False
    max_body_bytes: int = 64 * 2**20
    probe: bool = False  # send validation probes (generator.crawl.probe)
    published: bool = True  # read a published OpenAPI document (crawl.published)
    # Retries of a failed or throttled request, and the waits between them
    # (the fetcher's defaults: see generator.crawl.http.Fetcher).
    retries: int = 6
    backoff_base: float = 0.25
    backoff_cap: float = 8.0
    retry_after_cap: float = 30.0


@dataclass
class EndpointResult:
    entry: dict[str, Any]
    schema: dict[str, Any] | None


@dataclass
class CrawlResult:
    environment: str
    endpoints: list[EndpointResult]
    findings: Findings
    requests: int = 0
    retries: int = 0

    @property
    def field_count(self) -> int:
        return sum(
            len(result.schema.get("properties", {}))
            for result in self.endpoints
            if result.schema is not None
        )


@dataclass
class Page:
    records: list[Any]
    count: int | None
    next: str | None
    status: int


def page_of(reply: Reply) -> Page:
    data = reply.data
    if isinstance(data, list):
        return Page(data, len(data), None, reply.status)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        count = data.get("count")
        link = data.get("next")
        return Page(
            data["results"],
            count if isinstance(count, int) and not isinstance(count, bool) else None,
            link if isinstance(link, str) else None,
            reply.status,
        )
    return Page([], None, None, reply.status)


def is_root(data: Any, base: str) -> bool:
    """A DRF API root: an object whose every value is a link."""
    return (
        isinstance(data, dict)
        and bool(data)
        and "results" not in data
        and all(
            isinstance(value, str) and value.startswith(("http://", "https://"))
            for value in data.values()
        )
    )


def relative_path(url: str, root: str) -> str:
    """The path of ``url`` below ``root``, without query."""
    path, root_path = urlsplit(url).path, urlsplit(root).path
    if path.startswith(root_path):
        return path[len(root_path) :]
    return path


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


@dataclass
class Crawler:
    fetcher: Fetcher
    root: str
    options: CrawlOptions
    findings: Findings = field(default_factory=Findings)
    on_endpoint: Callable[[str, int], None] | None = None
    on_found: Callable[[int], None] | None = None
    seen: set[str] = field(default_factory=set)
    failed: list[str] = field(default_factory=list)
    probing_stopped: bool = False
    published: asyncio.Task[Published | None] | None = None

    async def run(self) -> list[EndpointResult]:
        reply = await self.fetcher.get_json(self.root)
        if reply.status != 200:
            raise UnexpectedResponse(
                f"the API root {redact(self.root)} answered {reply.status}"
            )
        if not isinstance(reply.data, dict):
            raise UnexpectedResponse(
                f"the API root {redact(self.root)} is not an object of links"
            )
        self.seen.add(canonical_url(self.root))
        if self.options.published:
            # Looked for while the endpoints are crawled; each waits for it
            # only once its own record schema is ready to be verified.
            self.published = asyncio.create_task(
                find_published(self.fetcher, self.root, reply.data, self.findings)
            )
        links = self.links(reply.data, self.root, prefix="")
        try:
            crawled = await self.crawl_links(links, depth=1)
        except BaseException:
            if self.published is not None:
                self.published.cancel()
            raise
        if self.published is not None:
            await self.published  # its own failure, rather than each endpoint's
        results = self.unique_names(crawled)
        if self.failed and not self.options.allow_partial:
            # The first causes in the message itself: it may be all a caller
            # shows, and a cause repeats when the same fault hit every endpoint.
            shown = "; ".join(sorted(self.failed)[:3])
            more = f"; and {len(self.failed) - 3} more" if len(self.failed) > 3 else ""
            raise CrawlError(
                f"{len(self.failed)} endpoint(s) failed: {shown}{more}"
                " (--allow-partial writes the rest)"
            )
        return results

    async def published_document(self) -> Published | None:
        """The published document, once looked for (None: none, or not asked)."""
        if self.published is None:
            return None
        try:
            return await asyncio.shield(self.published)
        except Exception:  # raised once, by run(), not once per endpoint
            return None

    def unique_names(self, results: list[EndpointResult]) -> list[EndpointResult]:
        """The results with names of their own: a root key ``a/b`` and the key
        ``b`` of the nested root ``a`` both name ``a/b``; the first is kept."""
        kept: dict[str, EndpointResult] = {}
        for result in results:
            name = result.entry["name"]
            if name in kept:
                self.findings.warn(
                    "endpoint-name-taken",
                    "another endpoint has this name: only the first is crawled",
                    endpoint=name[:200],
                )
                continue
            kept[name] = result
        return list(kept.values())

    def links(
        self, data: dict[str, Any], base: str, prefix: str
    ) -> list[tuple[str, str]]:
        found = []
        for name, value in data.items():
            full = f"{prefix}{name}"
            if not isinstance(value, str) or not value.startswith(
                ("http://", "https://")
            ):
                self.findings.warn(
                    "root-entry-not-a-link",
                    "the root lists something that is not a link",
                    endpoint=full[:200],
                )
                continue
            if not same_origin(value, self.root):
                self.findings.warn(
                    "link-other-origin",
                    "link to another origin, not followed",
                    endpoint=full[:200],
                )
                continue
            key = canonical_url(value)
            if key in self.seen:
                self.findings.info(
                    "link-seen", "link already crawled, skipped", endpoint=full[:200]
                )
                continue
            self.seen.add(key)
            found.append((full, value))
        if self.on_found is not None:
            self.on_found(len(found[:MAX_ENDPOINTS]))
        if len(found) > MAX_ENDPOINTS:
            self.findings.warn(
                "too-many-endpoints",
                f"only the first {MAX_ENDPOINTS} endpoints are crawled",
                endpoint=prefix.rstrip("/"),
            )
        return found[:MAX_ENDPOINTS]

    async def crawl_links(
        self, links: list[tuple[str, str]], depth: int
    ) -> list[EndpointResult]:
        groups = await asyncio.gather(
            *(self.crawl_one(name, url, depth) for name, url in links)
        )
        return [result for group in groups for result in group]

    async def crawl_one(self, name: str, url: str, depth: int) -> list[EndpointResult]:
        try:
            results = await self.endpoint(name, url, depth)
        except CredentialsRefused:
            raise  # the crawl stops: every other endpoint would fail the same way
        except (UnexpectedResponse, OriginError, AuthenticationError) as error:
            logger.error("endpoint %s failed: %s", name, error)
            self.failed.append(f"{name[:200]}: {error}")
            self.findings.warn("endpoint-failed", str(error), endpoint=name)
            results = [EndpointResult(self.unknown_entry(name, url), None)]
        if self.on_endpoint is not None:
            self.on_endpoint(name, len(results))
        return results

    def unknown_entry(self, name: str, url: str) -> dict[str, Any]:
        return {
            "name": name,
            "path": relative_path(url, self.root),
            "kind": "unknown",
            "schema": None,
            "methods": [],
            "detail": None,
            "pagination": {"style": "none"},
            "filters": {"store": None, "synccounter": None},
            "search": [],
            "actions": [],
            "sources": [],
            "records": 0,
        }

    async def endpoint(self, name: str, url: str, depth: int) -> list[EndpointResult]:
        first = await self.fetcher.get_json(url)
        if first.status != 200:
            raise UnexpectedResponse(f"{redact(url)} answered {first.status} to GET")
        if is_root(first.data, url):
            if depth >= MAX_ROOT_DEPTH:
                self.findings.warn(
                    "roots-too-deep",
                    "nested roots too deep, not followed",
                    endpoint=name,
                )
                return []
            assert isinstance(first.data, dict)
            links = self.links(first.data, url, prefix=f"{name}/")
            return await self.crawl_links(links, depth + 1)
        return [await EndpointCrawl(self, name, url, first).run()]


@dataclass(frozen=True)
class DetailFacts:
    """What the detail URL told: the index's ``detail`` entry and the rest."""

    entry: dict[str, Any]  # {"key", "path", "methods"}
    declared: dict[str, Any] | None  # OPTIONS' PUT fields, when POST declares none
    actions: list[dict[str, str]]  # extra actions of one record
    options_read: bool  # the detail's OPTIONS answered 200


@dataclass
class EndpointCrawl:
    """Everything learnt of one list (or object) endpoint."""

    crawler: Crawler
    name: str
    url: str
    first: Reply

    @property
    def fetcher(self) -> Fetcher:
        return self.crawler.fetcher

    @property
    def findings(self) -> Findings:
        return self.crawler.findings

    def warn(self, code: str, message: str) -> None:
        self.findings.warn(code, message, endpoint=self.name)

    async def run(self) -> EndpointResult:
        page = page_of(self.first)
        is_list = isinstance(self.first.data, list) or (
            isinstance(self.first.data, dict) and "results" in self.first.data
        )
        html: BrowsablePage | None = None
        if is_list:
            options, (pagination, records) = await asyncio.gather(
                self.options(self.url), self.paginate(page)
            )
            # The browsable page of the smallest page: its filters and actions
            # are the view's, and the server renders (and urlizes) less.
            html, filters = await asyncio.gather(
                self.html(self.url, one_record(pagination)),
                self.filters(page, pagination),
            )
        else:
            options = await self.options(self.url)
            pagination, records = {"style": "none"}, [self.first.data]
            filters = {}
        methods = allowed(options)
        declared = actions_of(options, "POST")
        found = await self.detail(records)
        detail = found.entry if found is not None else None
        detail_declared = found.declared if found is not None else None
        detail_actions = found.actions if found is not None else []
        sources = ["samples"] if records else []
        sources += ["options"] if options is not None and options.status == 200 else []
        sources += ["html"] if html is not None else []
        if found is not None and found.options_read:
            sources.append("options-detail")
        writable = self.writable(methods, detail, declared)
        probed = await self.probe(declared, records, pagination, filters, writable)
        if probed:
            sources.append("probe")
        schema = infer.record_schema(
            self.name,
            options.data if options is not None and options.status == 200 else None,
            declared or detail_declared,
            records,
            self.findings,
            writable,
            sources,
            probed,
        )
        if self.verify_published(schema, await self.crawler.published_document()):
            sources.append("published")
            schema["x-acebind"]["sources"] = sorted(sources)
        entry = {
            "name": self.name,
            "path": relative_path(self.url, self.crawler.root),
            "kind": "list" if is_list else "object",
            "schema": None,  # the tree writer names the file
            "methods": methods,
            "detail": detail,
            "pagination": pagination,
            "filters": filters,
            "search": self.search(html),
            "actions": sorted(
                [*self.actions(html), *detail_actions],
                key=lambda a: (a["path"], a["name"]),
            ),
            "sources": sorted(sources),
            "records": len([r for r in records if isinstance(r, dict)]),
        }
        return EndpointResult(entry, schema)

    def verify_published(
        self, schema: dict[str, Any], published: Published | None
    ) -> bool:
        """Check the record against the published document; True when it had one."""
        if published is None:
            return False
        facts = record_facts(published, urlsplit(self.url).path)
        if facts is None:
            return False
        merge(schema, facts, self.findings, self.name)
        return True

    async def probe(
        self,
        declared: dict[str, Any] | None,
        records: list[Any],
        pagination: dict[str, Any],
        filters: dict[str, Any],
        writable: bool | None,
    ) -> dict[str, dict[str, bool]]:
        """Validation probes' facts, when asked for and still safe to send."""
        crawler = self.crawler
        if not crawler.options.probe or crawler.probing_stopped:
            return {}
        if declared is None or writable is not True:
            return {}
        counters: list[int] = [
            r["SyncCounter"]
            for r in records
            if isinstance(r, dict) and isinstance(r.get("SyncCounter"), int)
        ]
        counter = max(counters) if counters and filters.get("synccounter") else None
        result = await probe_endpoint(
            self.fetcher, self.url, declared, one_record(pagination), counter
        )
        if result.changed:
            crawler.probing_stopped = True
            logger.error("probing %s changed its records: probing stopped", self.name)
            self.warn(
                "probe-changed-records",
                "the record count or sync counter moved while probing: probing "
                "stopped for the whole environment; check the environment's data",
            )
            return {}
        if result.skipped:
            self.findings.info(
                "probe-skipped", f"not probed: {result.skipped}", endpoint=self.name
            )
        return result.facts

    def writable(
        self,
        methods: list[str],
        detail: dict[str, Any] | None,
        declared: dict[str, Any] | None,
    ) -> bool | None:
        every = set(methods) | set(detail["methods"] if detail else [])
        if not every:
            return None  # OPTIONS told nothing
        if not every & WRITE_METHODS:
            return False
        return True if declared is not None else None

    async def options(self, url: str) -> Reply | None:
        try:
            reply = await self.fetcher.options(url)
        except UnexpectedResponse as error:
            self.warn("options-unusable", f"OPTIONS unusable: {error}")
            return None
        if reply.status != 200:
            self.warn("options-failed", f"OPTIONS answered {reply.status}")
        return reply

    async def html(
        self, url: str, params: dict[str, str] | None = None
    ) -> BrowsablePage | None:
        try:
            reply = await self.fetcher.get_html(url, params)
        except UnexpectedResponse as error:
            self.findings.info(
                "html-unusable", f"browsable page unusable: {error}", endpoint=self.name
            )
            return None
        if reply.status != 200 or reply.text is None:
            return None
        return parse_browsable(reply.text)

    async def get_page(self, params: dict[str, str]) -> Page | None:
        reply = await self.fetcher.get_json(self.url, params=params)
        if reply.status != 200:
            return Page([], None, None, reply.status)
        return page_of(reply)

    async def paginate(self, first: Page) -> tuple[dict[str, Any], list[Any]]:
        style = pagination_style(self.first.data, first)
        if style == "page-number":
            return await self.page_number(first)
        if style == "limit-offset":
            return await self.limit_offset(first)
        if style == "cursor":
            return await self.cursor(first)
        if isinstance(self.first.data, list):
            # LimitOffsetPagination with no default limit answers a bare list
            # until a limit is asked for.
            probe = await self.fetcher.get_json(self.url, params={"limit": "1"})
            data = probe.data
            if isinstance(data, dict) and isinstance(data.get("results"), list):
                return await self.limit_offset(first, envelope=False)
        return {"style": "none"}, first.records

    async def page_number(self, first: Page) -> tuple[dict[str, Any], list[Any]]:
        page_param = page_parameter(first.next) or "page"
        small, large = await asyncio.gather(
            self.get_page({"page_size": "1"}),
            self.get_page({"page_size": str(PROBE_PAGE_SIZE)}),
        )
        sizes = page_size_bounds(first, small, large)
        best = large if sizes["param"] and large and large.status == 200 else first
        records = list(best.records)
        size = len(best.records)
        if best.next and best.count and size:
            pages = math.ceil(best.count / size)
            records += await self.sample_pages(
                pages, lambda n: {page_param: str(n), **sized(sizes, size)}
            )
        pagination = {
            "style": "page-number",
            "pageParam": page_param,
            "pageSize": sizes,
        }
        return pagination, records

    async def limit_offset(
        self, first: Page, *, envelope: bool = True
    ) -> tuple[dict[str, Any], list[Any]]:
        small, large = await asyncio.gather(
            self.get_page({"limit": "1"}),
            self.get_page({"limit": str(PROBE_PAGE_SIZE)}),
        )
        bounds = page_size_bounds(first if envelope else None, small, large)
        bounds["param"] = "limit"
        best = large if large and large.status == 200 and large.records else first
        records = list(best.records)
        size = len(best.records)
        if best.next and best.count and size:
            pages = math.ceil(best.count / size)
            records += await self.sample_pages(
                pages, lambda n: {"limit": str(size), "offset": str((n - 1) * size)}
            )
        pagination = {
            "style": "limit-offset",
            "pageSize": bounds,
            "offsetParam": "offset",
        }
        return pagination, records

    async def cursor(self, first: Page) -> tuple[dict[str, Any], list[Any]]:
        # A cursor cannot jump to the last page: follow next within the budget.
        records, link, seen = list(first.records), first.next, {canonical_url(self.url)}
        for _ in range(max(0, self.crawler.options.sample_pages - 1)):
            if not link or canonical_url(link) in seen:
                break
            seen.add(canonical_url(link))
            reply = await self.fetcher.get_json(link)
            page = page_of(reply)
            records += page.records
            link = page.next
        size = len(first.records) if first.next else None
        pagination = {
            "style": "cursor",
            "cursorParam": "cursor",
            "pageSize": {"param": None, "default": size, "min": None, "max": None},
        }
        return pagination, records

    async def sample_pages(
        self, pages: int, params: Callable[[int], dict[str, str]]
    ) -> list[Any]:
        """Pages 2..N within the budget: always the last, then evenly between."""
        budget = max(0, self.crawler.options.sample_pages - 1)
        wanted = sorted(set(spread(pages, budget)))
        found = await asyncio.gather(*(self.get_page(params(n)) for n in wanted))
        records: list[Any] = []
        for number, page in zip(wanted, found, strict=True):
            if page is None or page.status != 200:
                self.warn("sample-page-failed", f"page {number} could not be sampled")
                continue
            records += page.records
        return records

    async def filters(self, base: Page, pagination: dict[str, Any]) -> dict[str, Any]:
        names = sorted(IMPOSSIBLE)
        probes = await asyncio.gather(
            *(
                self.get_page({name: IMPOSSIBLE[name], **one_record(pagination)})
                for name in names
            )
        )
        return {
            name: filter_honoured(base, probe)
            for name, probe in zip(names, probes, strict=True)
        }

    async def detail(self, records: list[Any]) -> DetailFacts | None:
        """How one record is addressed, found by trying key-like fields."""
        sample = next((r for r in records if isinstance(r, dict)), None)
        if sample is None:
            return None
        for key in key_candidates(sample):
            url = detail_url(self.url, sample[key])
            reply = await self.fetcher.get_json(url)
            if (
                reply.status == 200
                and isinstance(reply.data, dict)
                and (reply.data.get(key) == sample[key])
            ):
                return await self.detail_facts(key, url)
        return None

    async def detail_facts(self, key: str, url: str) -> DetailFacts:
        # The detail page's "Extra Actions" menu lists the @action(detail=True)
        # routes; the list page shows only the detail=False ones.
        options, html = await asyncio.gather(self.options(url), self.html(url))
        base = relative_path(self.url, self.crawler.root)
        slash = "/" if urlsplit(self.url).path.endswith("/") else ""
        path = f"{base.rstrip('/')}/{{{key}}}{slash}"
        return DetailFacts(
            entry={"key": key, "path": path, "methods": allowed(options)},
            declared=actions_of(options, "PUT"),
            actions=self.detail_actions(html, url, path),
            options_read=options is not None and options.status == 200,
        )

    def detail_actions(
        self, html: BrowsablePage | None, url: str, path: str
    ) -> list[dict[str, str]]:
        """The detail page's extra actions, the record's key as a placeholder."""
        concrete = relative_path(url, self.crawler.root).rstrip("/") + "/"
        return [
            {"name": action["name"], "path": path.rstrip("/") + "/" + rest}
            for action in self.actions(html)
            # Only routes below the record's URL can be written with the key's
            # placeholder; anything else may hold record values: left out.
            if action["path"].startswith(concrete)
            and (rest := action["path"][len(concrete) :])
        ]

    def search(self, html: BrowsablePage | None) -> list[str]:
        if html is None:
            return []
        # SearchFilter's box (``?search=``, renamed by SEARCH_PARAM) sits in
        # the same "Filters" dialog as django-filter's inputs.
        names = {*html.filters, html.search_param} - {""}
        return sorted(names - set(IMPOSSIBLE))

    def actions(self, html: BrowsablePage | None) -> list[dict[str, str]]:
        if html is None:
            return []
        found = []
        for action in html.actions:
            absolute = action.url
            if absolute.startswith("/"):
                parts = urlsplit(self.url)
                absolute = f"{parts.scheme}://{parts.netloc}{absolute}"
            if not same_origin(absolute, self.crawler.root):
                self.warn("action-other-origin", "extra action on another origin")
                continue
            path = relative_path(absolute, self.crawler.root)
            found.append({"name": action.name[:200], "path": path})
        return sorted(found, key=lambda a: (a["path"], a["name"]))


def pagination_style(data: Any, first: Page) -> str:
    if not isinstance(data, dict) or "results" not in data:
        return "none"
    query = query_of(first.next) if first.next else {}
    if "cursor" in query or ("count" not in data and first.next):
        return "cursor"
    if "offset" in query or "limit" in query:
        return "limit-offset"
    if "count" not in data:
        return "cursor"
    return "page-number"


def page_parameter(link: str | None) -> str | None:
    """The query argument whose value is 2 on the first page's ``next`` link."""
    if not link:
        return None
    for name, values in query_of(link).items():
        if values == ["2"] and name not in ("page_size", "format"):
            return name
    return None


def page_size_bounds(
    first: Page | None, small: Page | None, large: Page | None
) -> dict[str, Any]:
    """What the probes with a page size of 1 and of :data:`PROBE_PAGE_SIZE` show."""
    default = len(first.records) if first is not None and first.next else None
    ok_small = small is not None and small.status == 200
    ok_large = large is not None and large.status == 200
    total = next((p.count for p in (first, small, large) if p and p.count), None)
    n_small = len(small.records) if small is not None and ok_small else None
    n_large = len(large.records) if large is not None and ok_large else None
    # The argument is honoured when asking for 1 or for many changed the page.
    n_first = len(first.records) if first is not None else None
    changed = {n_small, n_large} - {None, n_first}
    honoured = n_small == 1 or (n_first is not None and bool(changed))
    if not honoured:
        return {"param": None, "default": default, "min": None, "max": None}
    minimum = (
        n_small if n_small is not None and (total is None or n_small < total) else None
    )
    if n_small == 1:
        minimum = 1
    maximum = None
    if (
        n_large is not None
        and total is not None
        and n_large < min(total, PROBE_PAGE_SIZE)
    ):
        maximum = n_large
    return {"param": "page_size", "default": default, "min": minimum, "max": maximum}


def sized(sizes: dict[str, Any], size: int) -> dict[str, str]:
    return {"page_size": str(size)} if sizes.get("param") else {}


def spread(pages: int, budget: int) -> list[int]:
    """``budget`` page numbers in 2..pages: the last one, then evenly between."""
    if pages < 2 or budget < 1:
        return []
    chosen = [pages]
    between = min(budget - 1, pages - 2)
    for index in range(1, between + 1):
        chosen.append(1 + round(index * (pages - 1) / (between + 1)))
    return chosen


def one_record(pagination: dict[str, Any]) -> dict[str, str]:
    param = (pagination.get("pageSize") or {}).get("param")
    return {param: "1"} if param else {}


def filter_honoured(base: Page, probe: Page | None) -> bool | None:
    """A filter is honoured when a value no record can match changes the answer."""
    if probe is None:
        return None
    if probe.status == 400:
        return True  # the server validated the argument: it knows it
    if probe.status != 200:
        return None
    total = base.count if base.count is not None else len(base.records)
    found = probe.count if probe.count is not None else len(probe.records)
    if total == 0:
        return None
    return found != total


def allowed(reply: Reply | None) -> list[str]:
    if reply is None:
        return []
    header = reply.headers.get("allow", "")
    methods = {m.strip().upper() for m in header.split(",") if m.strip()}
    return sorted(m for m in methods if m.isalpha() and len(m) <= 10)


def actions_of(reply: Reply | None, method: str) -> dict[str, Any] | None:
    if reply is None or reply.status != 200 or not isinstance(reply.data, dict):
        return None
    actions = reply.data.get("actions")
    if not isinstance(actions, dict):
        return None
    fields = actions.get(method)
    return fields if isinstance(fields, dict) else None


def key_candidates(record: dict[str, Any]) -> list[str]:
    """Fields that may address a record: id-like names first, then the first field."""
    scalar = [
        name
        for name, value in record.items()
        if isinstance(value, (int, str))
        and not isinstance(value, bool)
        and str(value)
        and len(str(value)) <= 200
    ]
    hinted = [n for n in scalar if n.lower() in KEY_HINTS]
    hinted += [n for n in scalar if n.lower().endswith(KEY_HINTS) and n not in hinted]
    ordered = [*hinted[:2], *scalar[:1]]
    return list(dict.fromkeys(ordered))[:3]


def detail_url(list_url: str, value: Any) -> str:
    parts = urlsplit(list_url)
    base = parts.path if parts.path.endswith("/") else parts.path + "/"
    slash = "/" if parts.path.endswith("/") else ""
    return f"{parts.scheme}://{parts.netloc}{base}{quote(str(value), safe='')}{slash}"


async def crawl_environment(
    environment: str,
    root: str,
    auth: tuple[str, str],
    options: CrawlOptions,
    *,
    on_endpoint: Callable[[str, int], None] | None = None,
    on_found: Callable[[int], None] | None = None,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    transport: Any = None,
) -> CrawlResult:
    """Crawl one environment; raises a :class:`CrawlError` when it cannot finish."""
    async with Fetcher(
        root,
        auth=auth,
        concurrency=options.concurrency,
        timeout=options.timeout,
        deadline_s=options.deadline,
        max_body_bytes=options.max_body_bytes,
        retries=options.retries,
        insecure_http=options.insecure_http,
        transport=transport,
        on_event=on_event,
        backoff_base=options.backoff_base,
        backoff_cap=options.backoff_cap,
        retry_after_cap=options.retry_after_cap,
    ) as fetcher:
        crawler = Crawler(
            fetcher, root, options, on_endpoint=on_endpoint, on_found=on_found
        )
        endpoints = await crawler.run()
        stats = fetcher.stats
        return CrawlResult(
            environment, endpoints, crawler.findings, stats.requests, stats.retries
        )
