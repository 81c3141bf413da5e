"""A deterministic seed: the same knobs give the same records, row for row.

Sizes follow ``--items N``; every other resource scales with it. Nullable
columns get a share of nulls so a crawl can see them, except where API
version 1 forbids null (``Sale.CustomerId``).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from sandbox.config import KNOBS, Tenant
from sandbox.store import extra
from sandbox.store import models as m
from sandbox.store import serializers as s

WORDS = (
    "agua arroz azeite bacalhau batata cafe cebola chocolate farinha feijao "
    "iogurte laranja leite limao maca manteiga massa mel pao pera queijo sal "
    "sumo tomate vinho acucar bolacha cereais fiambre natas ovos"
).split()
NAMES = (
    "Ana Bruno Carla Diogo Eva Filipe Gil Helena Ines Joao Luis Marta Nuno Rita".split()
)
SURNAMES = "Silva Santos Ferreira Pereira Costa Oliveira Martins Sousa Rocha".split()
BATCH = 2000


class Seeder:
    def __init__(self, tenant: Tenant, items: int, seed: int) -> None:
        self.rng = random.Random(seed * 1000 + tenant.seed_offset)
        self.database = tenant.database
        self.items = items
        self.clock = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

    def counter(self) -> int:
        self.clock += dt.timedelta(seconds=1)
        return m.counter_at(self.clock)

    def put(self, model: type[models.Model], rows: Iterator[dict[str, Any]]) -> None:
        synced = issubclass(model, m.Synced)
        batch: list[models.Model] = []
        for row in rows:
            if synced:
                row["SyncCounter"] = self.counter()
            batch.append(model(**row))
            if len(batch) >= BATCH:
                model.objects.using(self.database).bulk_create(batch)
                batch = []
        if batch:
            model.objects.using(self.database).bulk_create(batch)

    def words(self, count: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(count)).capitalize()

    def person(self) -> str:
        return f"{self.rng.choice(NAMES)} {self.rng.choice(SURNAMES)}"

    def day(self, start: int = 2020, span_days: int = 1500) -> dt.date:
        return dt.date(start, 1, 1) + dt.timedelta(days=self.rng.randrange(span_days))

    def money(self, low: int = 1, high: int = 200) -> Decimal:
        return Decimal(self.rng.randrange(low * 100, high * 100)) / 100

    def run(self) -> None:
        with transaction.atomic(using=self.database):
            self.reference_data()
            self.catalogue()
            self.people()
            self.documents()
            self.extra_records()

    def reference_data(self) -> None:
        types = [value for value, _ in s.STORE_TYPES]
        self.stores = [1, 2, 3, 4]
        self.put(m.Store, ({
            "StoreId": sid, "StoreName": f"Loja {sid}",
            "StoreType": types[sid % 2] if sid < 5 else "warehouse",
            "Address": f"Rua {self.words(1)} {sid}", "PostalCode": f"{4000 + sid}-001",
            "OpeningDate": self.day(2010, 3000), "Active": sid != 3,
            "Latitude": None if sid == 5 else Decimal("41.150000") + sid,
            "Longitude": None if sid == 5 else Decimal("-8.610000") - sid,
        } for sid in [*self.stores, 5]))  # fmt: skip
        self.put(m.Family, ({
            "FamilyId": fid, "FamilyDescription": self.words(2),
            "ParentFamilyId_id": None if fid <= 4 else (fid - 1) % 4 + 1,
        } for fid in range(1, 13)))  # fmt: skip
        self.put(m.Tax, ({
            "TaxId": tid, "TaxDescription": f"IVA {rate}%",
            "TaxPercentage": Decimal(rate), "TaxRegion": region,
        } for tid, rate, region in [(1, 6, "PT"), (2, 13, "PT"), (3, 23, "PT-MA")]))  # fmt: skip
        self.put(m.Unit, ({
            "UnitId": uid, "UnitDescription": desc, "Symbol": sym,
            "Factor": Decimal(factor), "Decimals": dec,
        } for uid, desc, sym, factor, dec in [
            (1, "Unit", "un", 1, 0), (2, "Kilogram", "kg", 1, 3),
            (3, "Box of 6", "cx6", 6, 0), (4, "Box of 12", "cx12", 12, 0),
        ]))  # fmt: skip
        palette = ["#FF0000", "#00AA00", "#0000FF", "#FFFFFF", "#000000", "#FFAA00",
                   "#888888", "#AA00AA"]  # fmt: skip
        self.put(
            m.Color,
            (
                {
                    "ColorId": i + 1,
                    "ColorDescription": self.words(1),
                    "HexCode": hexcode,
                }
                for i, hexcode in enumerate(palette)
            ),
        )
        self.put(
            m.Size,
            (
                {"SizeId": i + 1, "SizeDescription": label, "SortOrder": i}
                for i, label in enumerate(["XS", "S", "M", "L", "XL", "XXL"])
            ),
        )
        self.put(m.PriceList, ({
            "PriceListId": pid, "PriceListDescription": desc, "Currency": "EUR",
            "TaxIncluded": pid == 1, "ValidFrom": dt.date(2024, 1, 1),
            "ValidTo": None if pid == 1 else dt.date(2026, 12, 31),
        } for pid, desc in [(1, "Retail"), (2, "Wholesale")]))  # fmt: skip
        kinds = [value for value, _ in s.PAYMENT_KINDS]
        self.put(m.PaymentType, ({
            "PaymentTypeId": i + 1, "PaymentTypeDescription": kind.title(),
            "Kind": kind, "OpensDrawer": kind == "cash",
        } for i, kind in enumerate(kinds)))  # fmt: skip
        self.payment_types = list(range(1, len(kinds) + 1))
        suppliers = max(5, self.items // 50)
        terms = [value for value, _ in s.PAYMENT_TERMS]
        self.put(m.Supplier, ({
            "SupplierId": sid, "SupplierName": f"{self.words(2)} Lda",
            "FederalTaxId": f"5{self.rng.randrange(10**7, 10**8)}",
            "EmailAddress": f"orders{sid}@supplier.example",
            "Telephone": f"22{self.rng.randrange(10**6, 10**7)}",
            "Fax": "" if sid % 3 else f"22{self.rng.randrange(10**6, 10**7)}",
            "Website": f"https://supplier{sid}.example/",
            "PaymentTerms": self.rng.choice(terms),
        } for sid in range(1, suppliers + 1)))  # fmt: skip
        self.suppliers = suppliers

    def catalogue(self) -> None:
        ids = [f"I{n:07d}" for n in range(1, self.items + 1)]
        self.item_ids = ids
        self.put(m.Item, ({
            "ItemId": item_id, "ItemDescription": self.words(3),
            "ShortDescription": self.words(1)[:30],
            "FamilyId_id": self.rng.randrange(1, 13),
            "DefaultUnits_id": self.rng.choice([1, 1, 1, 2, 3]),
            "BarcodeList": [f"560{self.rng.randrange(10**9, 10**10)}"
                            for _ in range(self.rng.randrange(0, 3))],
            "ReadQuantityFromScale": self.rng.random() < 0.1,
            "ItemTax_id": self.rng.choice([1, 2, 3]),
            "Attributes": None if self.rng.random() < 0.3 else {
                "origin": self.rng.choice(["PT", "ES", "FR"]),
                "organic": self.rng.random() < 0.2,
            },
            "CreatedAt": self.clock + dt.timedelta(minutes=n),
        } for n, item_id in enumerate(ids)))  # fmt: skip
        where = {item_id: self.rng.sample(self.stores, self.rng.randrange(1, 4))
                 for item_id in ids}  # fmt: skip
        self.put(m.ItemStore, ({
            "ItemId_id": item_id, "StoreId_id": store,
            "Active": self.rng.random() < 0.9,
        } for item_id in ids for store in where[item_id]))  # fmt: skip
        self.put(m.SalesPrice, ({
            "ItemId_id": item_id, "StoreId_id": store, "PriceListId_id": 1,
            "UnitPrice": Decimal(self.rng.randrange(50, 5000)) / 100,
            "ValidFrom": self.day(2024, 300),
        } for item_id in ids for store in where[item_id]))  # fmt: skip
        links = m.Item.ItemSupplierList.through
        self.put(links, ({"item_id": item_id,
                          "supplier_id": self.rng.randrange(1, self.suppliers + 1)}
                         for item_id in ids))  # fmt: skip
        fashion = ids[::10]
        self.put(
            m.Item.ColorList.through,
            (
                {"item_id": item_id, "color_id": color}
                for item_id in fashion
                for color in self.rng.sample(range(1, 9), 2)
            ),
        )
        self.put(
            m.Item.SizeList.through,
            (
                {"item_id": item_id, "size_id": size}
                for item_id in fashion
                for size in self.rng.sample(range(1, 7), 3)
            ),
        )

    def people(self) -> None:
        customers = max(30, self.items // 5)
        self.customers = customers
        self.put(m.Customer, ({
            "CustomerId": cid, "FederalTaxId": f"2{self.rng.randrange(10**7, 10**8)}",
            "OrganizationName": self.person(),
            "EmailAddress": f"customer{cid}@mail.example",
            "Address": f"Avenida {self.words(1)} {cid}",
            "Telephone": "" if cid % 4 else f"22{self.rng.randrange(10**6, 10**7)}",
            "MobileTelephone": f"91{self.rng.randrange(10**6, 10**7)}",
            "CardId": None if cid % 3 == 0 else f"CARD{cid:08d}",
            "BirthDate": None if cid % 5 == 0 else self.day(1950, 20000),
            "TotalPoints": Decimal(self.rng.randrange(0, 500000)) / 100,
            "Discount": Decimal(self.rng.choice([0, 0, 0, 5, 10])),
            "Limits": {"credit": self.rng.choice([0, 500, 1000])},
            "CountryCode": self.rng.choice(["PT", "PT", "ES"]),
            "Notes": "" if cid % 6 else "Prefers e-mail",
        } for cid in range(1, customers + 1)))  # fmt: skip
        self.put(m.Salesman, ({
            "SalesmanId": store * 10 + n, "SalesmanName": self.person(),
            "StoreId_id": store, "CommissionRate": Decimal(self.rng.choice([1, 2, 5])),
            "Active": n == 1,
        } for store in self.stores for n in (1, 2)))  # fmt: skip
        self.put(m.Till, ({
            "TillId": store * 10 + n, "StoreId_id": store,
            "TillDescription": f"Till {n}", "SerialNumber": f"SN-{store}-{n:04d}",
            "AutoLogoutAfter": None if n == 2 else dt.timedelta(minutes=15 * store),
            "Active": True,
        } for store in self.stores for n in (1, 2)))  # fmt: skip

    def documents(self) -> None:
        self.sales()
        self.purchases()
        movements = max(20, self.items // 10)
        self.put(m.StockMovement, ({
            "StoreId_id": self.rng.choice(self.stores),
            "ItemId_id": self.rng.choice(self.item_ids),
            "MovementType": self.rng.choice(["in", "out", "adjust"]),
            "Quantity": Decimal(self.rng.randrange(1, 100)),
            "MovementDate": self.clock + dt.timedelta(hours=n),
            "Reference": f"GR {n}" if n % 2 else "",
        } for n in range(movements)))  # fmt: skip
        self.put(m.Promotion, ({
            "PromotionId": pid, "PromotionDescription": self.words(2),
            "StartDate": dt.date(2024, pid, 1), "EndDate": dt.date(2024, pid, 28),
            "DiscountPercentage": Decimal(5 * pid),
            "StoreId_id": None if pid % 2 else self.stores[pid % 4],
        } for pid in range(1, 6)))  # fmt: skip

    def sales(self) -> None:
        count = max(20, self.items // 10)
        nullable_customer = KNOBS.api_version >= 2
        sales, lines, tenders = [], [], []
        for sid in range(1, count + 1):
            store = self.rng.choice(self.stores)
            detail = []
            for line_no in range(1, self.rng.randrange(2, 6)):
                quantity = Decimal(self.rng.randrange(1, 5))
                price = self.money(1, 30)
                net = (quantity * price).quantize(Decimal("0.01"))
                detail.append({
                    "SaleId_id": sid, "LineNo": line_no,
                    "ItemId_id": self.rng.choice(self.item_ids), "Quantity": quantity,
                    "UnitPrice": price, "TotalNetAmount": net,
                    "TaxPercentage": Decimal(23),
                    "TotalTaxIncludedAmount": (net * Decimal("1.23")).quantize(
                        Decimal("0.01")),
                })  # fmt: skip
            net = sum((line["TotalNetAmount"] for line in detail), Decimal(0))
            gross = sum((line["TotalTaxIncludedAmount"] for line in detail), Decimal(0))
            lines += detail
            tenders.append(
                {
                    "SaleId_id": sid,
                    "Amount": gross,
                    "PaymentTypeId_id": self.rng.choice(self.payment_types),
                }
            )
            no_customer = nullable_customer and sid % 5 == 0
            sales.append({
                "SaleId": sid,
                "DocumentUuid": uuid.UUID(int=self.rng.getrandbits(128), version=4),
                "InvoiceNo": f"FS {store}/{sid}", "StoreId_id": store,
                "TillId_id": store * 10 + self.rng.choice([1, 2]),
                "CustomerId_id": None if no_customer
                else self.rng.randrange(1, self.customers + 1),
                "SalesmanId_id": None if sid % 4 == 0 else store * 10 + 1,
                "TransDocument": self.rng.choice(["FS", "FS", "FT", "FR"]),
                "InvoiceStatus": "A" if sid % 17 == 0 else "N",
                "InvoiceDate": self.day(2024, 365),
                "InvoiceTime": dt.time(self.rng.randrange(8, 22), self.rng.randrange(60)),
                "TotalNetAmount": net, "TotalGrossAmount": gross,
                "Notes": "" if sid % 7 else "Entrega ao domicilio",
            })  # fmt: skip
        self.put(m.Sale, iter(sales))
        self.put(m.SaleLine, iter(lines))
        self.put(m.TenderLine, iter(tenders))

    def purchases(self) -> None:
        count = max(10, self.items // 50)
        purchases, lines = [], []
        for pid in range(1, count + 1):
            detail = []
            for _ in range(self.rng.randrange(1, 4)):
                quantity = Decimal(self.rng.randrange(6, 120))
                price = self.money(1, 20)
                net = (quantity * price).quantize(Decimal("0.01"))
                detail.append({
                    "PurchaseId_id": pid, "ItemId_id": self.rng.choice(self.item_ids),
                    "Quantity": quantity, "UnitOfSaleId_id": self.rng.choice([1, 3, 4]),
                    "UnitPrice": price, "TotalNetAmount": net,
                    "TaxPercentage": Decimal(23),
                    "TotalTaxIncludedAmount": (net * Decimal("1.23")).quantize(
                        Decimal("0.01")),
                })  # fmt: skip
            lines += detail
            day = self.day(2024, 365)
            purchases.append({
                "PurchaseId": pid, "InvoiceNo": f"VFT {pid}",
                "StoreId_id": self.rng.choice(self.stores),
                "SupplierId_id": self.rng.randrange(1, self.suppliers + 1),
                "TransDocument": "VFT", "PaymentTerms": self.rng.choice(["0D", "30D"]),
                "InvoiceDate": day,
                "DueDate": None if pid % 3 == 0 else day + dt.timedelta(days=30),
                "TotalNetAmount": sum((x["TotalNetAmount"] for x in detail), Decimal(0)),
                "TotalGrossAmount": sum(
                    (x["TotalTaxIncludedAmount"] for x in detail), Decimal(0)),
            })  # fmt: skip
        self.put(m.Purchase, iter(purchases))
        self.put(m.PurchaseLine, iter(lines))

    def extra_records(self) -> None:
        for index in range(KNOBS.extra_endpoints):
            name = extra.name_of(index)
            shape = extra.SHAPES[index % len(extra.SHAPES)][0]
            self.put(
                m.ExtraRecord, (self.extra_record(name, shape, n) for n in range(1, 31))
            )

    def extra_record(self, endpoint: str, shape: str, n: int) -> dict[str, Any]:
        moment = (
            (self.clock + dt.timedelta(minutes=n)).isoformat().replace("+00:00", "Z")
        )
        data: dict[str, Any]
        if shape == "codes":
            data = {"Code": f"C{n:04d}", "Description": self.words(2),
                    "Active": n % 4 != 0}  # fmt: skip
        elif shape == "amounts":
            data = {"AmountId": n, "Amount": f"{self.money():.2f}",
                    "BookedOn": self.day(2024, 365).isoformat(),
                    "Kind": self.rng.choice(["a", "b"]),
                    "Note": None if n % 3 else self.words(2)}  # fmt: skip
        elif shape == "documents":
            data = {"DocumentId": n, "IssuedAt": moment,
                    "Lines": [{"Sku": f"S{k}", "Quantity": k} for k in range(1, 3)],
                    "Tags": [self.rng.choice(WORDS)]}  # fmt: skip
        else:
            data = {"EntryId": n, "Level": self.rng.choice(["info", "error"]),
                    "Message": self.words(4), "CreatedAt": moment}  # fmt: skip
        key = next(iter(data))
        return {"Endpoint": endpoint, "Key": str(data[key]), "Data": data}
