"""DRF serializers of every resource, for API version 1 and its successor, 2.

The version is a property of the whole server (``--api-version``), so class
bodies branch on :data:`V2`. ``sandbox/README.md`` lists every difference;
keep the two in step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from rest_framework import serializers

from sandbox.config import KNOBS
from sandbox.store import models as m

V2 = KNOBS.api_version >= 2

STORE_TYPES = [("own", "Own store"), ("outlet", "Outlet"), ("warehouse", "Warehouse")]
if not V2:
    STORE_TYPES.insert(1, ("franchise", "Franchise"))
PAYMENT_KINDS = [("cash", "Cash"), ("card", "Card"), ("cheque", "Cheque")]
if V2:
    PAYMENT_KINDS.append(("voucher", "Voucher"))
PAYMENT_TERMS = [("0D", "Immediate"), ("30D", "30 days"), ("60D", "60 days")]
CURRENCIES = [("EUR", "Euro"), ("USD", "US dollar"), ("GBP", "Pound sterling")]
TAX_REGIONS = [("PT", "Mainland"), ("PT-AC", "Azores"), ("PT-MA", "Madeira")]
SALE_DOCUMENTS = [
    ("FT", "Invoice"),
    ("FS", "Simplified invoice"),
    ("FR", "Invoice-receipt"),
    ("NC", "Credit note"),
]
INVOICE_STATUSES = [("N", "Normal"), ("A", "Cancelled")]
PURCHASE_DOCUMENTS = [("VFT", "Supplier invoice"), ("VNC", "Supplier credit note")]
MOVEMENT_TYPES = [("in", "Goods in"), ("out", "Goods out"), ("adjust", "Adjustment")]
PERCENT = {"min_value": Decimal(0), "max_value": Decimal(100)}


class Resource(serializers.ModelSerializer):
    SyncCounter = serializers.IntegerField(
        read_only=True,
        help_text="Grows with the time of the record's last change; "
        "pass it back as ?synccounter= to get later changes only.",
    )


class StoreSerializer(Resource):
    StoreType = serializers.ChoiceField(choices=STORE_TYPES)

    class Meta:
        model = m.Store
        fields = [
            "StoreId", "StoreName", "StoreType", "Address", "PostalCode",
            "OpeningDate", "Active", "Latitude", "Longitude", "SyncCounter",
        ]  # fmt: skip
        extra_kwargs = {
            "StoreId": {"help_text": "Store code."},
            "Latitude": {"required": False},
            "Longitude": {"required": False},
        }


class FamilySerializer(Resource):
    class Meta:
        model = m.Family
        fields = ["FamilyId", "FamilyDescription", "ParentFamilyId", "SyncCounter"]
        extra_kwargs = {"ParentFamilyId": {"help_text": "The family above this one."}}


class TaxSerializer(Resource):
    TaxRegion = serializers.ChoiceField(choices=TAX_REGIONS)

    class Meta:
        model = m.Tax
        fields = [
            "TaxId",
            "TaxDescription",
            "TaxPercentage",
            "TaxRegion",
            "SyncCounter",
        ]
        extra_kwargs = {"TaxPercentage": PERCENT}


class UnitSerializer(Resource):
    if V2:
        Factor = serializers.DecimalField(
            max_digits=10,
            decimal_places=3,
            help_text="How many base units one of this unit holds.",
        )
    else:
        Factor = serializers.IntegerField(
            min_value=1, help_text="How many base units one of this unit holds."
        )

    class Meta:
        model = m.Unit
        fields = ["UnitId", "UnitDescription", "Symbol", "Factor", "Decimals",
                  "SyncCounter"]  # fmt: skip
        extra_kwargs = {"Decimals": {"min_value": 0, "max_value": 6}}


class ColorSerializer(Resource):
    HexCode = serializers.RegexField(r"^#[0-9A-Fa-f]{6}$", max_length=7)

    class Meta:
        model = m.Color
        fields = ["ColorId", "ColorDescription", "HexCode", "SyncCounter"]


class SizeSerializer(Resource):
    class Meta:
        model = m.Size
        fields = ["SizeId", "SizeDescription", "SortOrder", "SyncCounter"]


class SupplierSerializer(Resource):
    PaymentTerms = serializers.ChoiceField(choices=PAYMENT_TERMS)

    class Meta:
        model = m.Supplier
        fields = [
            "SupplierId", "SupplierName", "FederalTaxId", "EmailAddress",
            "Telephone", "Fax", "Website", "PaymentTerms", "SyncCounter",
        ]  # fmt: skip
        if V2:
            fields.remove("Fax")
        extra_kwargs = {"FederalTaxId": {"label": "Tax registration number"}}


class PriceListSerializer(Resource):
    Currency = serializers.ChoiceField(choices=CURRENCIES)

    class Meta:
        model = m.PriceList
        fields = [
            "PriceListId", "PriceListDescription", "Currency", "TaxIncluded",
            "ValidFrom", "ValidTo", "SyncCounter",
        ]  # fmt: skip
        extra_kwargs = {"ValidTo": {"required": False}}


class ItemPriceSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.SalesPrice
        fields = ["StoreId", "PriceListId", "UnitPrice"]


class ItemSerializer(Resource):
    Status = serializers.SerializerMethodField(
        help_text="1 when the item is active in the store asked for, 0 when it "
        "is inactive or deleted there."
    )
    BarcodeList = serializers.ListField(
        child=serializers.CharField(max_length=14), required=False
    )
    SalesPrices = ItemPriceSerializer(
        many=True, read_only=True, source="current_prices"
    )

    class Meta:
        model = m.Item
        fields = [
            "ItemId", "Status", "ItemDescription", "ShortDescription", "FamilyId",
            "DefaultUnits", "BarcodeList", "ReadQuantityFromScale", "ItemTax",
            "ItemSupplierList", "ColorList", "SizeList", "SalesPrices",
            "Attributes", "CreatedAt", "SyncCounter",
        ]  # fmt: skip
        if not V2:
            fields.remove("ShortDescription")
        read_only_fields = ["CreatedAt"]
        extra_kwargs = {
            "ItemId": {"help_text": "Item code, unique in the environment."},
            "ItemSupplierList": {"required": False},
            "ColorList": {"required": False},
            "SizeList": {"required": False},
            "Attributes": {"help_text": "Free-form attributes of the item."},
        }

    def get_Status(self, item: m.Item) -> int:  # noqa: N802 - DRF's naming
        return 1 if getattr(item, "current_status", False) else 0


class CustomerSerializer(Resource):
    class Meta:
        model = m.Customer
        fields = [
            "CustomerId", "FederalTaxId", "OrganizationName", "EmailAddress",
            "Address", "Telephone", "MobileTelephone", "CardId", "BirthDate",
            "TotalPoints", "Discount", "Limits", "Notes", "SyncCounter",
        ]  # fmt: skip
        if V2:
            fields.insert(fields.index("Address") + 1, "CountryCode")
        extra_kwargs: dict[str, dict[str, Any]] = {
            "CustomerId": {"min_value": 1},
            "OrganizationName": {"max_length": 120 if V2 else 200},
            "CardId": {"required": False, "help_text": "Loyalty card number."},
            "BirthDate": {"required": False},
            "TotalPoints": {
                "read_only": V2,
                "help_text": "Loyalty points (with the loyalty module).",
            },
            "Discount": PERCENT,
            "Limits": {"required": False, "help_text": "Credit limits by kind."},
            "CountryCode": {"required": True, "help_text": "ISO 3166-1 alpha-2."},
            "Notes": {"required": False},
        }


class SalesmanSerializer(Resource):
    class Meta:
        model = m.Salesman
        fields = ["SalesmanId", "SalesmanName", "StoreId", "CommissionRate",
                  "Active", "SyncCounter"]  # fmt: skip
        extra_kwargs = {"CommissionRate": PERCENT}


class TillSerializer(Resource):
    class Meta:
        model = m.Till
        fields = ["TillId", "StoreId", "TillDescription", "SerialNumber",
                  "AutoLogoutAfter", "Active", "SyncCounter"]  # fmt: skip
        extra_kwargs = {"AutoLogoutAfter": {"required": False}}


class PaymentTypeSerializer(Resource):
    Kind = serializers.ChoiceField(choices=PAYMENT_KINDS)

    class Meta:
        model = m.PaymentType
        fields = ["PaymentTypeId", "PaymentTypeDescription", "Kind", "OpensDrawer",
                  "SyncCounter"]  # fmt: skip


class SaleLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.SaleLine
        fields = [
            "LineNo", "ItemId", "Quantity", "UnitPrice", "TotalNetAmount",
            "TaxPercentage", "TotalTaxIncludedAmount",
        ]  # fmt: skip
        extra_kwargs = {"LineNo": {"min_value": 1}, "TaxPercentage": PERCENT}


class TenderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.TenderLine
        fields = ["PaymentTypeId", "Amount"]


class WithLines(Resource):
    """A document whose lines are written with it, replacing the old ones."""

    nested: tuple[str, ...] = ()  # related names (the fields' sources) of the lines

    def create(self, validated_data: dict[str, Any]) -> Any:
        lines = {name: validated_data.pop(name, []) for name in self.nested}
        with transaction.atomic(using=m.current_database()):
            document = super().create(validated_data)
            self.write_lines(document, lines)
        return document

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        lines = {name: validated_data.pop(name, None) for name in self.nested}
        with transaction.atomic(using=m.current_database()):
            document = super().update(instance, validated_data)
            self.write_lines(document, lines)
        return document

    def write_lines(self, document: Any, lines: dict[str, Any]) -> None:
        for related in self.nested:
            if lines[related] is None:
                continue
            manager = getattr(document, related)
            manager.all().delete()
            model = manager.model
            fk = document._meta.pk.name
            model.objects.bulk_create(
                [model(**{fk: document}, **line) for line in lines[related]]
            )


class SaleSerializer(WithLines):
    nested = ("lines", "tenders")
    TransDocument = serializers.ChoiceField(choices=SALE_DOCUMENTS)
    InvoiceStatus = serializers.ChoiceField(
        choices=INVOICE_STATUSES,
        help_text="A cancelled sale puts its stock back in the store's warehouse.",
    )
    TotalTaxAmount = serializers.SerializerMethodField(
        help_text="Gross minus net amount."
    )
    SaleTransactionDetails = SaleLineSerializer(many=True, source="lines")
    TenderlineItems = TenderLineSerializer(many=True, source="tenders")

    class Meta:
        model = m.Sale
        fields = [
            "SaleId", "DocumentUuid", "InvoiceNo", "StoreId", "TillId",
            "CustomerId", "SalesmanId", "TransDocument", "InvoiceStatus",
            "InvoiceDate", "InvoiceTime", "TotalNetAmount", "TotalGrossAmount",
            "TotalTaxAmount", "Notes", "SaleTransactionDetails", "TenderlineItems",
            "SyncCounter",
        ]  # fmt: skip
        extra_kwargs = {
            "CustomerId": {"allow_null": V2, "required": True},
            "SalesmanId": {"required": False},
            "Notes": {"required": False},
        }

    def get_TotalTaxAmount(self, sale: m.Sale) -> str:  # noqa: N802 - DRF's naming
        return f"{sale.TotalGrossAmount - sale.TotalNetAmount:.2f}"


class PurchaseLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.PurchaseLine
        fields = [
            "ItemId", "Quantity", "UnitOfSaleId", "UnitPrice", "TotalNetAmount",
            "TaxPercentage", "TotalTaxIncludedAmount",
        ]  # fmt: skip
        extra_kwargs = {"TaxPercentage": PERCENT}


class SupplierSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Supplier
        fields = ["SupplierId", "SupplierName", "FederalTaxId"]


class PurchaseSerializer(WithLines):
    nested = ("lines",)
    TransDocument = serializers.ChoiceField(choices=PURCHASE_DOCUMENTS)
    PaymentTerms = serializers.ChoiceField(choices=PAYMENT_TERMS)
    Supplier = SupplierSummarySerializer(source="SupplierId", read_only=True)
    BuyTransactionDetails = PurchaseLineSerializer(many=True, source="lines")

    class Meta:
        model = m.Purchase
        fields = [
            "PurchaseId", "InvoiceNo", "StoreId", "SupplierId", "Supplier",
            "TransDocument", "PaymentTerms", "InvoiceDate", "DueDate",
            "TotalNetAmount", "TotalGrossAmount", "BuyTransactionDetails",
            "SyncCounter",
        ]  # fmt: skip
        extra_kwargs = {"DueDate": {"required": False}}


class StockMovementSerializer(Resource):
    MovementType = serializers.ChoiceField(choices=MOVEMENT_TYPES)

    class Meta:
        model = m.StockMovement
        fields = ["MovementId", "StoreId", "ItemId", "MovementType", "Quantity",
                  "MovementDate", "Reference", "SyncCounter"]  # fmt: skip


class PromotionSerializer(Resource):
    class Meta:
        model = m.Promotion
        fields = ["PromotionId", "PromotionDescription", "StartDate", "EndDate",
                  "DiscountPercentage", "StoreId", "SyncCounter"]  # fmt: skip
        extra_kwargs = {
            "DiscountPercentage": PERCENT,
            "StoreId": {"required": False, "help_text": "Empty for every store."},
        }


class SalesPriceSerializer(Resource):
    class Meta:
        model = m.SalesPrice
        fields = ["SalesPriceId", "ItemId", "StoreId", "PriceListId", "UnitPrice",
                  "ValidFrom", "SyncCounter"]  # fmt: skip
