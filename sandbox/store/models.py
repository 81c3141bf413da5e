"""Tables of a StoresAce back office, named as StoresAce names its fields.

Every resource carries ``SyncCounter``: a long integer that follows the date
and time of the record's last change (``YYYYMMDDhhmmssfff``), made strictly
increasing per database so ``?synccounter=N`` never misses a change.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.db import models
from django.utils import timezone

from sandbox.middleware import current_tenant

PROTECT = models.PROTECT

_counter_lock = threading.Lock()
_last_counter: dict[str, int] = {}


def current_database() -> str:
    return current_tenant().database


def counter_at(moment: dt.datetime) -> int:
    return int(moment.strftime("%Y%m%d%H%M%S%f")[:-3])


def next_sync_counter(database: str) -> int:
    """The next counter for ``database``: now, or one past the last one given."""
    with _counter_lock:
        if database not in _last_counter:
            _last_counter[database] = highest_sync_counter(database)
        value = max(counter_at(dt.datetime.now(dt.UTC)), _last_counter[database] + 1)
        _last_counter[database] = value
        return value


def highest_sync_counter(database: str) -> int:
    highest = 0
    for model in Synced.__subclasses__():
        found = model.objects.using(database).aggregate(m=models.Max("SyncCounter"))
        highest = max(highest, found["m"] or 0)
    return highest


class Synced(models.Model):
    SyncCounter = models.BigIntegerField(db_index=True, editable=False, default=0)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        database = kwargs.get("using") or self._state.db or "default"
        self.SyncCounter = next_sync_counter(database)
        super().save(*args, **kwargs)


def key(to: type[models.Model] | str, column: str, **options: Any) -> Any:
    return models.ForeignKey(
        to, on_delete=PROTECT, db_column=column, related_name="+", **options
    )


class Store(Synced):
    StoreId = models.IntegerField(primary_key=True)
    StoreName = models.CharField(max_length=80)
    StoreType = models.CharField(max_length=12)
    Address = models.CharField(max_length=200, blank=True)
    PostalCode = models.CharField(max_length=10, blank=True)
    OpeningDate = models.DateField()
    Active = models.BooleanField(default=True)
    Latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    Longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)


class Family(Synced):
    FamilyId = models.IntegerField(primary_key=True)
    FamilyDescription = models.CharField(max_length=60)
    ParentFamilyId = key("self", "ParentFamilyId", null=True)


class Tax(Synced):
    TaxId = models.IntegerField(primary_key=True)
    TaxDescription = models.CharField(max_length=60)
    TaxPercentage = models.DecimalField(max_digits=5, decimal_places=2)
    TaxRegion = models.CharField(max_length=4)


class Unit(Synced):
    UnitId = models.IntegerField(primary_key=True)
    UnitDescription = models.CharField(max_length=40)
    Symbol = models.CharField(max_length=8)
    Factor = models.DecimalField(max_digits=10, decimal_places=3)
    Decimals = models.PositiveSmallIntegerField(default=0)


class Color(Synced):
    ColorId = models.IntegerField(primary_key=True)
    ColorDescription = models.CharField(max_length=40)
    HexCode = models.CharField(max_length=7)


class Size(Synced):
    SizeId = models.IntegerField(primary_key=True)
    SizeDescription = models.CharField(max_length=20)
    SortOrder = models.IntegerField(default=0)


class Supplier(Synced):
    SupplierId = models.IntegerField(primary_key=True)
    SupplierName = models.CharField(max_length=120)
    FederalTaxId = models.CharField(max_length=20)
    EmailAddress = models.EmailField(blank=True)
    Telephone = models.CharField(max_length=20, blank=True)
    Fax = models.CharField(max_length=20, blank=True)
    Website = models.URLField(blank=True)
    PaymentTerms = models.CharField(max_length=8)


class PriceList(Synced):
    PriceListId = models.IntegerField(primary_key=True)
    PriceListDescription = models.CharField(max_length=60)
    Currency = models.CharField(max_length=3)
    TaxIncluded = models.BooleanField(default=True)
    ValidFrom = models.DateField()
    ValidTo = models.DateField(null=True)


class Item(Synced):
    ItemId = models.CharField(primary_key=True, max_length=20)
    ItemDescription = models.CharField(max_length=100)
    ShortDescription = models.CharField(max_length=30, blank=True)
    FamilyId = key(Family, "FamilyId")
    DefaultUnits = key(Unit, "DefaultUnits")
    BarcodeList = models.JSONField(default=list)
    ReadQuantityFromScale = models.BooleanField(default=False)
    ItemTax = key(Tax, "ItemTax")
    ItemSupplierList = models.ManyToManyField(Supplier, related_name="+")
    ColorList = models.ManyToManyField(Color, related_name="+")
    SizeList = models.ManyToManyField(Size, related_name="+")
    Attributes = models.JSONField(null=True)
    CreatedAt = models.DateTimeField(default=timezone.now)


class ItemStore(models.Model):
    """Where an item is sold: its ``Status`` in that store."""

    ItemId = models.ForeignKey(
        Item, on_delete=models.CASCADE, db_column="ItemId", related_name="stores"
    )
    StoreId = key(Store, "StoreId")
    Active = models.BooleanField(default=True)

    class Meta:
        unique_together = [("ItemId", "StoreId")]


class SalesPrice(Synced):
    SalesPriceId = models.AutoField(primary_key=True)
    ItemId = models.ForeignKey(
        Item, on_delete=models.CASCADE, db_column="ItemId", related_name="prices"
    )
    StoreId = key(Store, "StoreId")
    PriceListId = key(PriceList, "PriceListId")
    UnitPrice = models.DecimalField(max_digits=12, decimal_places=4)
    ValidFrom = models.DateField()

    class Meta:
        unique_together = [("ItemId", "StoreId", "PriceListId")]


class Customer(Synced):
    CustomerId = models.IntegerField(primary_key=True)
    FederalTaxId = models.CharField(max_length=20, blank=True)
    OrganizationName = models.CharField(max_length=200)
    EmailAddress = models.EmailField(blank=True)
    Address = models.CharField(max_length=200, blank=True)
    Telephone = models.CharField(max_length=20, blank=True)
    MobileTelephone = models.CharField(max_length=20, blank=True)
    CardId = models.CharField(max_length=30, null=True)
    BirthDate = models.DateField(null=True)
    TotalPoints = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    Discount = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    Limits = models.JSONField(default=dict)
    CountryCode = models.CharField(max_length=2, default="PT")
    # Nullable, but the seed never holds a null: only a probe can tell.
    Notes = models.CharField(max_length=200, null=True, blank=True)


class Salesman(Synced):
    SalesmanId = models.IntegerField(primary_key=True)
    SalesmanName = models.CharField(max_length=80)
    StoreId = key(Store, "StoreId")
    CommissionRate = models.DecimalField(max_digits=5, decimal_places=2)
    Active = models.BooleanField(default=True)


class Till(Synced):
    TillId = models.IntegerField(primary_key=True)
    StoreId = key(Store, "StoreId")
    TillDescription = models.CharField(max_length=40)
    SerialNumber = models.CharField(max_length=40)
    AutoLogoutAfter = models.DurationField(null=True)
    Active = models.BooleanField(default=True)


class PaymentType(Synced):
    PaymentTypeId = models.IntegerField(primary_key=True)
    PaymentTypeDescription = models.CharField(max_length=40)
    Kind = models.CharField(max_length=10)
    OpensDrawer = models.BooleanField(default=False)


class Sale(Synced):
    SaleId = models.AutoField(primary_key=True)
    DocumentUuid = models.UUIDField()
    InvoiceNo = models.CharField(max_length=30)
    StoreId = key(Store, "StoreId")
    TillId = key(Till, "TillId")
    CustomerId = key(Customer, "CustomerId", null=True)
    SalesmanId = key(Salesman, "SalesmanId", null=True)
    TransDocument = models.CharField(max_length=4)
    InvoiceStatus = models.CharField(max_length=1)
    InvoiceDate = models.DateField()
    InvoiceTime = models.TimeField()
    TotalNetAmount = models.DecimalField(max_digits=12, decimal_places=2)
    TotalGrossAmount = models.DecimalField(max_digits=12, decimal_places=2)
    Notes = models.TextField(blank=True)

    class Meta:
        unique_together = [("StoreId", "InvoiceNo")]


class SaleLine(models.Model):
    SaleId = models.ForeignKey(
        Sale, on_delete=models.CASCADE, db_column="SaleId", related_name="lines"
    )
    LineNo = models.PositiveIntegerField()
    ItemId = key(Item, "ItemId")
    Quantity = models.DecimalField(max_digits=12, decimal_places=3)
    UnitPrice = models.DecimalField(max_digits=12, decimal_places=4)
    TotalNetAmount = models.DecimalField(max_digits=12, decimal_places=2)
    TaxPercentage = models.DecimalField(max_digits=5, decimal_places=2)
    TotalTaxIncludedAmount = models.DecimalField(max_digits=12, decimal_places=2)


class TenderLine(models.Model):
    SaleId = models.ForeignKey(
        Sale, on_delete=models.CASCADE, db_column="SaleId", related_name="tenders"
    )
    PaymentTypeId = key(PaymentType, "PaymentTypeId")
    Amount = models.DecimalField(max_digits=12, decimal_places=2)


class Purchase(Synced):
    PurchaseId = models.AutoField(primary_key=True)
    InvoiceNo = models.CharField(max_length=30)
    StoreId = key(Store, "StoreId")
    SupplierId = key(Supplier, "SupplierId")
    TransDocument = models.CharField(max_length=4)
    PaymentTerms = models.CharField(max_length=8)
    InvoiceDate = models.DateField()
    DueDate = models.DateField(null=True)
    TotalNetAmount = models.DecimalField(max_digits=12, decimal_places=2)
    TotalGrossAmount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        unique_together = [("StoreId", "InvoiceNo")]


class PurchaseLine(models.Model):
    PurchaseId = models.ForeignKey(
        Purchase, on_delete=models.CASCADE, db_column="PurchaseId", related_name="lines"
    )
    ItemId = key(Item, "ItemId")
    Quantity = models.DecimalField(max_digits=12, decimal_places=3)
    UnitOfSaleId = key(Unit, "UnitOfSaleId")
    UnitPrice = models.DecimalField(max_digits=12, decimal_places=4)
    TotalNetAmount = models.DecimalField(max_digits=12, decimal_places=2)
    TaxPercentage = models.DecimalField(max_digits=5, decimal_places=2)
    TotalTaxIncludedAmount = models.DecimalField(max_digits=12, decimal_places=2)


class StockMovement(Synced):
    MovementId = models.AutoField(primary_key=True)
    StoreId = key(Store, "StoreId")
    ItemId = key(Item, "ItemId")
    MovementType = models.CharField(max_length=10)
    Quantity = models.DecimalField(max_digits=12, decimal_places=3)
    MovementDate = models.DateTimeField()
    Reference = models.CharField(max_length=40, blank=True)


class Promotion(Synced):
    PromotionId = models.IntegerField(primary_key=True)
    PromotionDescription = models.CharField(max_length=80)
    StartDate = models.DateField()
    EndDate = models.DateField()
    DiscountPercentage = models.DecimalField(max_digits=5, decimal_places=2)
    StoreId = key(Store, "StoreId", null=True)


class ExtraRecord(Synced):
    """Records of the generated ``--extra-endpoints``, one JSON document each."""

    Endpoint = models.CharField(max_length=40)
    Key = models.CharField(max_length=40)
    Data = models.JSONField()

    class Meta:
        unique_together = [("Endpoint", "Key")]
