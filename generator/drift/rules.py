"""The drift rules: a stable id per kind of change, and its default level.

A rule has two levels. ``level`` is the verdict for an endpoint-wide change
and for a field partners receive (every field of a record schema is in the
responses); ``request`` is the verdict when partners also send the field (a
writable field of a writable endpoint). A field used both ways gets the
stricter of the two. ``acebind.toml`` can change a rule's level per
environment (:mod:`generator.drift.overrides`); the ids never change meaning.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Level.INFO: 1, Level.WARNING: 2, Level.ERROR: 3}


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    summary: str
    request: Level | None = None

    def verdict(self, sent: bool) -> Level:
        """The level of a change to a field partners receive, and maybe send."""
        if sent and self.request is not None and self.request.rank > self.level.rank:
            return self.request
        return self.level


ERROR, WARNING, INFO = Level.ERROR, Level.WARNING, Level.INFO

_ALL = [
    # The environment's endpoints, from the index.
    Rule("endpoint-added", INFO, "a new endpoint in the API root"),
    Rule("endpoint-removed", ERROR, "an endpoint is gone from the API root"),
    Rule(
        "endpoint-not-read", WARNING, "the crawl could not read the endpoint this time"
    ),
    Rule("endpoint-kind-changed", ERROR, "a list became a single object or back"),
    Rule("endpoint-path-changed", ERROR, "the list URL moved"),
    Rule("method-added", INFO, "the list or detail URL allows another method"),
    Rule("method-removed", ERROR, "the list or detail URL no longer allows a method"),
    Rule("detail-added", INFO, "records can now be addressed one by one"),
    Rule("detail-removed", ERROR, "the detail URL is gone though records were sampled"),
    Rule("detail-not-seen", WARNING, "no detail URL found: no record to try it on"),
    Rule("detail-changed", ERROR, "the detail URL's key or path changed"),
    Rule(
        "pagination-changed", ERROR, "pagination style or its query parameters changed"
    ),
    Rule("page-size-limit-changed", WARNING, "a page-size default or bound changed"),
    Rule("page-size-limit-not-seen", INFO, "a page-size bound could not be told"),
    Rule("filter-added", INFO, "a standard filter (store, synccounter) now works"),
    Rule("filter-removed", ERROR, "a standard filter is proven to be ignored now"),
    Rule("filter-not-proven", WARNING, "a filter could not be proven this time"),
    Rule("search-added", INFO, "the Filters dialog lists a new query argument"),
    Rule("search-removed", ERROR, "the Filters dialog no longer lists an argument"),
    Rule("search-not-seen", WARNING, "the browsable page was not read this time"),
    Rule("action-added", INFO, "a new extra action"),
    Rule("action-removed", ERROR, "an extra action is gone"),
    Rule("action-not-seen", WARNING, "the browsable page was not read this time"),
    Rule("records-not-seen", WARNING, "no record sampled: observed facts not compared"),
    Rule(
        "declarations-not-seen",
        WARNING,
        "OPTIONS declared no field: declared facts not compared",
    ),
    Rule("probe-not-seen", WARNING, "the committed tree was probed, this crawl not"),
    Rule("published-not-seen", WARNING, "no published schema read this time"),
    Rule(
        "record-title-changed", WARNING, "the record's name changed: models are renamed"
    ),
    # Fields of the record schemas; pointers name them.
    Rule("field-added", INFO, "a new field, optional on write"),
    Rule("required-field-added", INFO, "a new field partners must send", request=ERROR),
    Rule("field-removed", ERROR, "a declared field is no longer declared"),
    Rule(
        "field-not-seen",
        WARNING,
        "a field only sampled before is absent from the samples",
    ),
    Rule(
        "field-not-always-present", WARNING, "sampled records now lack a field all had"
    ),
    Rule("field-type-changed", ERROR, "the field's type changed"),
    Rule("field-type-unknown", WARNING, "the type could not be established this time"),
    Rule("field-type-learned", INFO, "a type unknown before is known now"),
    Rule("field-format-changed", ERROR, "a string format changed"),
    Rule("field-format-added", INFO, "strings gained a format", request=ERROR),
    Rule("field-format-removed", ERROR, "strings lost their format"),
    Rule("field-became-nullable", ERROR, "records hold null where they never did"),
    Rule("field-no-longer-nullable", INFO, "null is now refused", request=ERROR),
    Rule(
        "nullable-not-declared", WARNING, "declared nullable before; not declared now"
    ),
    Rule("observed-nulls-not-seen", WARNING, "no null sampled where there were some"),
    Rule("field-became-read-only", INFO, "a value sent is now ignored", request=ERROR),
    Rule("blank-no-longer-allowed", INFO, "blank strings are refused", request=ERROR),
    Rule("blank-allowed", INFO, "blank strings are accepted"),
    Rule("field-became-writable", INFO, "a read-only field is now written"),
    Rule(
        "write-required-added", INFO, "partners must now send the field", request=ERROR
    ),
    Rule("write-required-removed", INFO, "the field is now optional on write"),
    Rule(
        "enum-value-added", WARNING, "choices gained values (generated enums are open)"
    ),
    Rule("enum-value-removed", INFO, "choices lost values", request=ERROR),
    Rule("enum-added", INFO, "values are now restricted to choices", request=ERROR),
    Rule("enum-removed", INFO, "values are no longer restricted to choices"),
    Rule("choice-label-changed", INFO, "a choice's label changed"),
    Rule("max-length-lowered", INFO, "strings must be shorter", request=ERROR),
    Rule("max-length-raised", INFO, "strings may be longer"),
    Rule(
        "limits-narrowed",
        INFO,
        "a bound, digit count or minimum length narrowed",
        request=ERROR,
    ),
    Rule("limits-widened", INFO, "a bound, digit count or minimum length widened"),
    Rule("label-changed", INFO, "the field's label changed"),
    Rule("description-changed", INFO, "a help text or description changed"),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _ALL}
