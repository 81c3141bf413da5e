"""Viewsets: DRF's generic views plus StoresAce's upsert-style POST."""

from __future__ import annotations

from typing import Any

import rest_framework
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.store import filters, models as m, serializers as s
from sandbox.store.pagination import pages

# DRF 3.18 changed the shape of many=True errors from a list aligned with the
# input to an object keyed by the failing indices; answer like the DRF we run.
_INDEXED_BULK_ERRORS = tuple(int(p) for p in rest_framework.VERSION.split(".")[:2]) >= (
    3,
    18,
)


def bulk_errors(errors: list[dict[str, Any]]) -> Any:
    if _INDEXED_BULK_ERRORS:
        return {str(index): error for index, error in enumerate(errors) if error}
    return errors


class UpsertMixin:
    """POST creates a record or updates the one with the same natural key.

    The body is one object or an array. An array is validated as a whole:
    when any record fails nothing is saved and the errors come back per index.
    """

    natural_key: tuple[str, ...] = ()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        many = isinstance(request.data, list)
        records = request.data if many else [request.data]
        if many and not records:
            raise ValidationError({"non_field_errors": ["This list may not be empty."]})
        bound, errors, seen = [], [], set()
        for record in records:
            instance, identity = self.existing(record)
            serializer = self.get_serializer(instance, data=record)  # type: ignore[attr-defined]
            error = {} if serializer.is_valid() else dict(serializer.errors)
            if not error and identity is not None and identity in seen:
                error = {"non_field_errors": ["Duplicate record in this request."]}
            seen.add(identity)
            bound.append(serializer)
            errors.append(error)
        if any(errors):
            raise ValidationError(bulk_errors(errors) if many else errors[0])
        with transaction.atomic(using=m.current_database()):
            for serializer in bound:
                serializer.save()
        return Response({"status": "1"})

    def existing(
        self, record: Any
    ) -> tuple[models.Model | None, tuple[Any, ...] | None]:
        """The stored record with ``record``'s natural key, and that key.

        The key is read through the serializer's own fields, so two spellings
        of one key (``5`` and ``"5"``, a code with a trailing blank) are one key.
        """
        if not isinstance(record, dict) or not self.natural_key:
            return None, None
        raw = tuple(record.get(name) for name in self.natural_key)
        if any(value is None or isinstance(value, (dict, list)) for value in raw):
            return None, None
        fields = self.get_serializer().fields  # type: ignore[attr-defined]
        try:
            values = tuple(
                fields[name].to_internal_value(value)
                for name, value in zip(self.natural_key, raw, strict=True)
            )
        except (ValidationError, ValueError, TypeError, DjangoValidationError):
            return None, None
        model = self.get_queryset().model  # type: ignore[attr-defined]
        lookup = dict(zip(self.natural_key, values, strict=True))
        return model.objects.filter(**lookup).first(), values


class ResourceViewSet(
    UpsertMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """List, retrieve, upsert with POST, update with PUT/PATCH; never delete."""


class ReadOnlyResourceViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """A resource partners can read but not write."""


def resource(
    serializer: type[Any],
    *,
    natural_key: tuple[str, ...] | None = None,
    lookup: str | None = None,
    page: tuple[int, int, int] = (50, 1, 200),
    store: str | None = None,
    search: tuple[tuple[str, str], ...] = (),
    read_only: bool = False,
    doc: str = "",
) -> type[viewsets.GenericViewSet]:  # type: ignore[type-arg]
    model = serializer.Meta.model
    pk = model._meta.pk.name
    base = ReadOnlyResourceViewSet if read_only else ResourceViewSet
    attributes = {
        "__doc__": doc,
        "queryset": model.objects.order_by(pk),
        "serializer_class": serializer,
        "pagination_class": pages(*page),
        "filterset_class": filters.filterset(model, store=store, search=search),
        "natural_key": natural_key or (pk,),
        "lookup_field": lookup or pk,
        "lookup_value_regex": "[^/]+",
    }
    name = model.__name__ + "ViewSet"
    return type(name, (base,), attributes)


class ItemQuerysetMixin:
    """``store`` narrows items to that store and sets their Status and prices."""

    request: Request

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()  # type: ignore[misc]
        store = filters.store_argument(self.request)
        availability = m.ItemStore.objects.filter(ItemId=OuterRef("pk"), Active=True)
        prices = m.SalesPrice.objects.order_by("StoreId", "PriceListId")
        if store is not None:
            availability = availability.filter(StoreId=store)
            prices = prices.filter(StoreId=store)
        return queryset.annotate(current_status=Exists(availability)).prefetch_related(
            Prefetch("prices", queryset=prices, to_attr="current_prices"),
            "ItemSupplierList",
            "ColorList",
            "SizeList",
        )


def item_viewset() -> type[Any]:
    base = resource(
        s.ItemSerializer,
        page=(50, 10, 500),
        store="store",
        doc="Products, with their barcodes, suppliers and prices.",
    )
    return type("ItemViewSet", (ItemQuerysetMixin, base), {})


def document_viewset(
    serializer: type[Any], prefetch: tuple[str, ...], **kw: Any
) -> Any:
    base = resource(serializer, **kw)

    def get_queryset(self: Any) -> Any:
        return super(cls, self).get_queryset().prefetch_related(*prefetch)

    cls = type(base.__name__, (base,), {"get_queryset": get_queryset})
    return cls
