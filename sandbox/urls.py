"""One DefaultRouter per API version, mounted once per tenant at ``<tenant>/api/``.

Registration order is the order of the API root, as on a real environment.
"""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from sandbox.config import KNOBS, TENANTS
from sandbox.store import extra, serializers as s
from sandbox.store.published import PublishedSchema
from sandbox.store.views import document_viewset, item_viewset, resource

STORE = "StoreId"


def endpoints(version: int) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = [
        ("stores", resource(s.StoreSerializer, page=(25, 1, 100),
                            doc="Shops and warehouses.")),
        ("families", resource(s.FamilySerializer, page=(100, 10, 1000),
                              doc="Item families, a tree.")),
        ("taxes", resource(s.TaxSerializer, page=(50, 1, 100))),
        ("units", resource(s.UnitSerializer, page=(50, 1, 100))),
        ("colors", resource(s.ColorSerializer, page=(50, 1, 200))),
        ("sizes", resource(s.SizeSerializer, page=(50, 1, 200))),
        ("items", item_viewset()),
        ("pricelists", resource(s.PriceListSerializer, page=(20, 1, 100))),
        ("salesprices", resource(
            s.SalesPriceSerializer,
            natural_key=("ItemId", "StoreId", "PriceListId"),
            page=(100, 10, 1000),
            store=STORE,
        )),
        ("customers", resource(
            s.CustomerSerializer,
            page=(20, 5, 200),
            search=(
                ("FederalTaxId", "FederalTaxId"),
                ("CustomerId", "CustomerId"),
                ("CardId", "CardId"),
                ("MobileTelephone", "MobileTelephone"),
                ("EmailAddress", "EmailAddress"),
            ),
            doc="Customers, global to every store.",
        )),
        ("suppliers", resource(s.SupplierSerializer, page=(50, 1, 200))),
        ("salesmen", resource(s.SalesmanSerializer, page=(50, 1, 200), store=STORE)),
        ("tills", resource(s.TillSerializer, page=(50, 1, 200), store=STORE)),
        ("paymenttypes", resource(s.PaymentTypeSerializer, page=(50, 1, 100))),
        ("sales", document_viewset(
            s.SaleSerializer,
            ("lines", "tenders"),
            natural_key=("StoreId", "InvoiceNo"),
            page=(20, 1, 100),
            store=STORE,
            doc="Sales transactions sent up by the points of sale.",
        )),
        ("purchases", document_viewset(
            s.PurchaseSerializer,
            ("lines", "SupplierId"),
            natural_key=("StoreId", "InvoiceNo"),
            page=(20, 1, 100),
            store=STORE,
            search=(("TaxRegistrationNumber", "SupplierId__FederalTaxId"),),
            doc="Supplier purchases (financials head-office module).",
        )),
    ]  # fmt: skip
    if version == 1:
        found.append(
            ("stockmovements", resource(
                s.StockMovementSerializer, page=(100, 10, 1000), store=STORE,
                read_only=True, doc="Stock movements, read only.",
            ))
        )  # fmt: skip
    else:
        found.append(("promotions", resource(s.PromotionSerializer, store=STORE)))
    return found + extra.endpoints(KNOBS.extra_endpoints)


def build_router(version: int) -> DefaultRouter:
    router = DefaultRouter()
    for name, viewset in endpoints(version):
        router.register(name, viewset, basename=name)
    return router


router = build_router(KNOBS.api_version)
urlpatterns = [
    pattern
    for tenant in TENANTS
    for pattern in (
        path(f"{tenant.name}/api/schema/", PublishedSchema.as_view()),
        path(f"{tenant.name}/api/", include((router.urls, "api"), namespace=tenant.name)),
    )
]
