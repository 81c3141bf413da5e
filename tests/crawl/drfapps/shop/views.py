"""Viewsets and roots; each endpoint differs from the others in one DRF behaviour."""

from __future__ import annotations

from typing import Any, ClassVar

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, pagination, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from tests.crawl.drfapps.shop import models as m
from tests.crawl.drfapps.shop import serializers as s

ELSEWHERE = "https://elsewhere.example/api/"


class LegacyMetadata(SimpleMetadata):
    """OPTIONS as DRF before 3.15 answered it.

    3.15 added ``"duration"`` to the type strings (a DurationField was
    ``"field"`` before) and started listing ``max_digits``/``decimal_places``.
    """

    def get_field_info(self, field: serializers.Field) -> dict[str, Any]:
        info: dict[str, Any] = super().get_field_info(field)
        if isinstance(field, serializers.DurationField):
            info["type"] = "field"
        info.pop("max_digits", None)
        info.pop("decimal_places", None)
        return info


class SafeOnly(permissions.BasePermission):
    """The API user may read but not write."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and request.method in permissions.SAFE_METHODS
        )


class PageNumber(pagination.PageNumberPagination):
    page_size = 3
    page_size_query_param = "page_size"
    max_page_size = 5


class FixedPages(pagination.PageNumberPagination):
    page_size = 4


class LimitOffset(pagination.LimitOffsetPagination):
    default_limit = 4


class BareLimitOffset(pagination.LimitOffsetPagination):
    default_limit = None


class Cursor(pagination.CursorPagination):
    page_size = 4
    ordering = "id"


class KindViewSet(viewsets.ModelViewSet):
    """Every DRF field kind, in one serializer."""

    queryset = m.Kind.objects.prefetch_related("targets", "lines").select_related(
        "target"
    )
    serializer_class = s.KindSerializer


class LegacyKindViewSet(KindViewSet):
    """The same records, with OPTIONS as DRF 3.14 gave it."""

    serializer_class = s.LegacyKindSerializer
    metadata_class = LegacyMetadata


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.Target.objects.all()
    serializer_class = s.TargetSerializer


def thing_viewset(
    name: str,
    style: type[pagination.BasePagination] | None,
    base: type[viewsets.GenericViewSet] = viewsets.ModelViewSet,
    **attributes: Any,
) -> type[viewsets.GenericViewSet]:
    """A viewset over :class:`Thing` with its own pagination class.

    DRF names the view after the class: "<name> List" in OPTIONS.
    """
    body = {
        "queryset": m.Thing.objects.all(),
        "serializer_class": s.ThingSerializer,
        "pagination_class": style,
        **attributes,
    }
    return type(f"{name}ViewSet", (base,), body)


class EmptyViewSet(viewsets.ModelViewSet):
    """No record is ever written here."""

    queryset = m.Nothing.objects.all()
    serializer_class = s.NothingSerializer
    pagination_class = FixedPages


class EmptyReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """No record and no write: nothing can be learned."""

    queryset = m.Nothing.objects.all()
    serializer_class = s.NothingSerializer
    pagination_class = FixedPages


class SearchViewSet(viewsets.ModelViewSet):
    """django-filter fields, a search box and extra actions."""

    queryset = m.Thing.objects.all()
    serializer_class = s.ThingSerializer
    pagination_class = FixedPages
    filter_backends: ClassVar[list[Any]] = [DjangoFilterBackend, filters.SearchFilter]
    filterset_fields: ClassVar[list[str]] = ["group", "number"]
    search_fields: ClassVar[list[str]] = ["name"]

    @action(detail=False)
    def recent(self, request: Request) -> Response:
        return Response(self.get_serializer(self.get_queryset()[:2], many=True).data)

    @action(detail=True, methods=["post"])
    def touch(self, request: Request, pk: str | None = None) -> Response:
        return Response({"status": "1"})


class Root(APIView):
    """An API root: entry name to the absolute URL of a list (or of anything).

    An entry is a URL name, reversed as DRF's own root does (keeping the
    request's ``?format=``), or an absolute URL given as it is.
    """

    entries: ClassVar[list[tuple[str, str]]] = []

    def get(self, request: Request) -> Response:
        return Response(
            {
                name: view if "://" in view else reverse(view, request=request)
                for name, view in self.entries
            }
        )


class TopRoot(Root):
    """Lists the endpoints, a nested root, another origin and itself."""

    entries = [
        ("kinds", "kind-list"),
        ("targets", "target-list"),
        ("pages", "pages-list"),
        ("offsets", "offsets-list"),
        ("offsets-bare", "offsets-bare-list"),
        ("cursor", "cursor-list"),
        ("plain", "plain-list"),
        ("readonly", "readonly-list"),
        ("guarded", "guarded-list"),
        ("empty", "empty-list"),
        ("empty-readonly", "empty-readonly-list"),
        ("search", "search-list"),
        ("nested", "nested-root"),
        ("elsewhere", ELSEWHERE),
        ("self", "top-root"),
    ]


class NestedRoot(Root):
    """A root below the root, with a link back up."""

    entries = [("alpha", "alpha-list"), ("beta", "beta-list"), ("up", "top-root")]
