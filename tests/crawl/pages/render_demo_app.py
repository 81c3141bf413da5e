"""Render the ``demo_*.html`` fixtures from a tiny DRF app defined here.

Run with the project's virtualenv from the repository root::

    .venv/bin/python tests/crawl/pages/render_demo_app.py

It configures Django for itself, so it must run in its own process, never
imported by the tests. The pages it writes are committed; rerun it only to
refresh them (e.g. after a DRF or django-filter upgrade).
"""

from __future__ import annotations

import pathlib
import sys
from typing import Any

import django
from django.conf import settings

HERE = pathlib.Path(__file__).resolve().parent

settings.configure(
    DEBUG=False,
    SECRET_KEY="render-demo-app-not-a-secret",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["rest_framework", "django_filters"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": ["django.template.context_processors.request"]
            },
        }
    ],
    STATIC_URL="/static/",
    USE_TZ=True,
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": [],
        "UNAUTHENTICATED_USER": None,
        "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
        "PAGE_SIZE": 2,
    },
)
django.setup()

# Django must be set up before any model, serializer or view is defined.
import django_filters  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import include, path  # noqa: E402
from django_filters.rest_framework import DjangoFilterBackend  # noqa: E402
from rest_framework import filters, serializers, viewsets  # noqa: E402
from rest_framework.decorators import action  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.routers import DefaultRouter  # noqa: E402


class Widget(models.Model):
    name = models.CharField(max_length=50)
    sku = models.CharField(max_length=20)
    colour = models.CharField(
        max_length=10, choices=[("red", "Red"), ("blue", "Blue")], default="red"
    )
    price = models.DecimalField(max_digits=8, decimal_places=2)
    created = models.DateField()

    class Meta:
        app_label = "demo"


class WidgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Widget
        fields = ["id", "name", "sku", "colour", "price", "created"]


class WidgetFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    price = django_filters.RangeFilter()
    created = django_filters.DateFromToRangeFilter()
    colour = django_filters.MultipleChoiceFilter(
        choices=[("red", "Red"), ("blue", "Blue")]
    )

    class Meta:
        model = Widget
        fields = {"sku": ["exact", "startswith"]}


class WidgetViewSet(viewsets.ModelViewSet):
    """Widgets: django-filter, SearchFilter and OrderingFilter, two actions."""

    queryset = Widget.objects.order_by("id")
    serializer_class = WidgetSerializer
    filter_backends = [
        DjangoFilterBackend,
        filters.SearchFilter,
        filters.OrderingFilter,
    ]
    filterset_class = WidgetFilter
    search_fields = ["name", "sku"]
    ordering_fields = ["name", "price"]

    @action(detail=True, methods=["post"])
    def restock(self, request: Request, pk: str | None = None) -> Response:
        return Response({"restocked": pk})

    @action(detail=False, url_path="cheapest-items", name="Cheapest widgets")
    def cheapest(self, request: Request) -> Response:
        return Response([])


class QuerySearch(filters.SearchFilter):
    search_param = "q"


class SortOrdering(filters.OrderingFilter):
    ordering_param = "sort"


class GadgetViewSet(viewsets.ReadOnlyModelViewSet):
    """Gadgets: renamed search and ordering parameters, no django-filter."""

    queryset = Widget.objects.order_by("id")
    serializer_class = WidgetSerializer
    filter_backends = [QuerySearch, SortOrdering]
    search_fields = ["name"]
    ordering_fields = ["name", "created"]

    @action(detail=False)
    def summary(self, request: Request) -> Response:
        return Response({})


router = DefaultRouter()
router.register("widgets", WidgetViewSet)
router.register("gadgets", GadgetViewSet, basename="gadget")
urlpatterns: list[Any] = [path("api/", include(router.urls))]

PAGES = {
    "demo_widgets_list.html": "/api/widgets/?format=api",
    "demo_widgets_detail.html": "/api/widgets/1/?format=api",
    "demo_gadgets_list.html": "/api/gadgets/?format=api&q=gear&sort=-name",
}


def seed() -> None:
    with connection.schema_editor() as editor:
        editor.create_model(Widget)
    for number in range(1, 4):
        Widget.objects.create(
            name=f"Widget {number}",
            sku=f"W-{number:03}",
            price=number * 1.5,
            created=f"2024-01-0{number}",
        )


def main() -> int:
    seed()
    client = Client(HTTP_HOST="testserver")
    for filename, url in PAGES.items():
        response = client.get(url)
        if response.status_code != 200:
            print(f"{url}: HTTP {response.status_code}", file=sys.stderr)
            return 1
        (HERE / filename).write_bytes(response.content)
        print(f"wrote {filename} from {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
