"""Two API roots in one server: ``v315/api/`` (DRF as installed) and
``v314/api/`` (OPTIONS as DRF 3.14 answered it)."""

from __future__ import annotations

from django.urls import include, path
from rest_framework import viewsets
from rest_framework.routers import DefaultRouter, SimpleRouter

from tests.crawl.drfapps.shop import views as v

current = SimpleRouter()
current.register("kinds", v.KindViewSet, basename="kind")
current.register("targets", v.TargetViewSet, basename="target")
current.register("pages", v.thing_viewset("Page", v.PageNumber), basename="pages")
current.register(
    "offsets", v.thing_viewset("Offset", v.LimitOffset), basename="offsets"
)
current.register(
    "offsets-bare",
    v.thing_viewset("BareOffset", v.BareLimitOffset),
    basename="offsets-bare",
)
current.register("cursor", v.thing_viewset("Cursor", v.Cursor), basename="cursor")
current.register("plain", v.thing_viewset("Plain", None), basename="plain")
current.register(
    "readonly",
    v.thing_viewset("ReadOnly", v.FixedPages, viewsets.ReadOnlyModelViewSet),
    basename="readonly",
)
current.register(
    "guarded",
    v.thing_viewset("Guarded", v.FixedPages, permission_classes=[v.SafeOnly]),
    basename="guarded",
)
current.register("empty", v.EmptyViewSet, basename="empty")
current.register("empty-readonly", v.EmptyReadOnlyViewSet, basename="empty-readonly")
current.register("search", v.SearchViewSet, basename="search")

nested = SimpleRouter()
nested.register("alpha", v.thing_viewset("Alpha", None), basename="alpha")
nested.register("beta", v.thing_viewset("Beta", v.FixedPages), basename="beta")

legacy = DefaultRouter()
legacy.register("kinds", v.LegacyKindViewSet, basename="legacy-kind")

urlpatterns = [
    path("v315/api/", v.TopRoot.as_view(), name="top-root"),
    path("v315/api/nested/", v.NestedRoot.as_view(), name="nested-root"),
    path("v315/api/nested/", include(nested.urls)),
    path("v315/api/", include(current.urls)),
    path("v314/api/", include(legacy.urls)),
]
