"""Compare two schema trees into classified changes.

Each :class:`Change` names its rule (:mod:`generator.drift.rules`), its level,
the endpoint, and a JSON pointer to the field: an RFC 6901 pointer into the
endpoint's record schema with ``$ref`` followed, so a nested field reads
``/properties/SaleTransactionDetails/items/properties/Quantity`` (the
``anyOf`` wrapper of a nullable object is looked through). The empty pointer
is the endpoint as a whole.

What counts as evidence (schemas/README.md, provenance):

* a *declared* fact (``x-acebind.declared``: OPTIONS, a validation probe or a
  published document said so) that changed, or that the server no longer
  declares while it still declares the object's other fields, is a change
  with the rule's full level;
* an *observed* fact (samples only) counts when the samples show something
  new: a null where there was none, values of another type, records lacking
  a field. When they merely fail to show it again ("no nulls this time",
  "field absent from the samples") it is "not seen this time": a warning at
  most, never an error;
* a fact unknown on one side (``x-acebind.unknown``, a page size of ``null``,
  a source such as the probe missing from this crawl) is not compared, and
  learning it is not a change, except a field's type;
* what partners send is judged from declared facts only: samples show
  responses, never what the server accepts.

Sampled counts (``records``, ``present``, ``nulls``) and crawl findings are
never changes. :mod:`~generator.drift.entries` compares the index entries,
:mod:`~generator.drift.fields` the record schemas.
"""

from __future__ import annotations

from generator.drift.entries import compare_entries, describe_endpoint
from generator.drift.fields import compare_records
from generator.drift.recorder import Change, Recorder, escape, field_name
from generator.schema.tree import SchemaTree

__all__ = ["Change", "compare_trees", "escape", "field_name"]


def compare_trees(old: SchemaTree, new: SchemaTree) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted by endpoint, pointer, rule."""
    old_entries = {entry["name"]: entry for entry in old.endpoints}
    new_entries = {entry["name"]: entry for entry in new.endpoints}
    changes: list[Change] = []
    for name, entry in old_entries.items():
        if name not in new_entries:
            out = Recorder(name)
            out.note(
                "endpoint-removed", f"gone from the API root (was {entry.get('path')})"
            )
            changes += out.changes
    for name, entry in new_entries.items():
        if name not in old_entries:
            out = Recorder(name)
            out.note("endpoint-added", describe_endpoint(entry, new.schemas.get(name)))
            changes += out.changes
    for name in old_entries.keys() & new_entries.keys():
        out = Recorder(name)
        before, after = old_entries[name], new_entries[name]
        if compare_entries(before, after, out):
            old_schema, new_schema = old.schemas.get(name), new.schemas.get(name)
            if old_schema is not None and new_schema is not None:
                compare_records(before, after, old_schema, new_schema, out)
        changes += out.changes

    return sorted(changes, key=lambda change: change.sort_key)
