"""django-filter sets: ``synccounter`` everywhere, ``store`` on store-bound
resources and the documented search arguments. Being django-filter, they are
listed in the browsable API's "Filters" dialog."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django_filters.utils import get_model_field
from rest_framework.request import Request


def store_argument(request: Request) -> int | None:
    raw = request.query_params.get("store", "")
    return int(raw) if raw.strip().isdigit() else None


def _available_in_store(
    queryset: QuerySet[Any], name: str, value: int
) -> QuerySet[Any]:
    return queryset.filter(stores__StoreId=value)


def filterset(
    model: type[Model],
    *,
    store: str | None,
    search: tuple[tuple[str, str], ...],
) -> type[django_filters.FilterSet]:
    attributes: dict[str, Any] = {
        "synccounter": django_filters.NumberFilter(
            field_name="SyncCounter",
            lookup_expr="gt",
            label="Only records changed after this sync counter",
        )
    }
    if store == "store":  # items: availability, not a column
        attributes["store"] = django_filters.NumberFilter(
            method=_available_in_store, label="Only items sold in this store"
        )
    elif store is not None:
        attributes["store"] = django_filters.NumberFilter(
            field_name=store, label="Only records of this store"
        )
    for argument, lookup in search:
        # The filter kind follows the column (a number filter for CustomerId), so
        # a value of the wrong kind is a 400, not a failed query.
        field = get_model_field(model, lookup)
        attributes[argument] = django_filters.FilterSet.filter_for_field(field, lookup)
    attributes["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), attributes)
