"""The OpenAPI document a tenant publishes at ``<tenant>/api/schema/``.

Real environments often publish one, and it is often wrong: generated from
another serializer, or stale. The ``demo`` tenant publishes drf-spectacular's
document of its own serializers with the stale parts of :data:`STALE` (listed
in ``sandbox/README.md``); ``porto``'s schema view is broken and answers 500.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sandbox.middleware import current_tenant

PUBLISHING_TENANT = "demo"


def _integer(schema: dict[str, Any]) -> None:
    schema.clear()
    schema["type"] = "integer"


def _max_length_80(schema: dict[str, Any]) -> None:
    schema["maxLength"] = 80


def _nullable(schema: dict[str, Any]) -> None:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]


# component, field -> what the published document gets wrong about it
STALE: dict[tuple[str, str], Callable[[dict[str, Any]], None] | None] = {
    ("Customer", "Discount"): _integer,
    ("Item", "ItemDescription"): _max_length_80,
    ("Store", "StoreName"): _nullable,
    ("Supplier", "Website"): None,  # left out of the document
}


@functools.cache
def document(prefix: str) -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    from sandbox.urls import urlpatterns

    full = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)
    published = copy.deepcopy(full)
    published["paths"] = {
        path: item for path, item in full["paths"].items() if path.startswith(prefix)
    }
    components = published["components"]["schemas"]
    for (component, field), spoil in STALE.items():
        for name in (component, f"{component}Request", f"Patched{component}Request"):
            properties = components.get(name, {}).get("properties", {})
            if field not in properties:
                continue
            if spoil is None:
                del properties[field]
            else:
                spoil(properties[field])
    return published


class PublishedSchema(APIView):
    """The tenant's published OpenAPI document (stale on demo, broken on porto)."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tenant = current_tenant()
        if tenant.name != PUBLISHING_TENANT:
            return Response({"detail": "Schema generation failed."}, status=500)
        try:
            published = document(f"/{tenant.name}/api/")
        except ImportError:
            return Response({"detail": "drf-spectacular is not installed."}, status=500)
        return Response(published)
