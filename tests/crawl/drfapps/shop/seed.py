"""Deterministic records: the same rows on every start."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model

from tests.crawl.drfapps import KINDS, PASSWORD, THINGS, USERNAME
from tests.crawl.drfapps.shop import models as m


def seed() -> None:
    user = get_user_model()(username=USERNAME)
    user.set_password(PASSWORD)
    user.save()
    targets = [
        m.Target.objects.create(code=f"t-{n}", name=f"Target {n}") for n in range(3)
    ]
    for n in range(KINDS):
        kind = m.Kind.objects.create(
            flag=n % 2 == 0,
            name=f"kind {n}",
            email=f"k{n}@example.com",
            site=f"https://example.com/k/{n}",
            ref=f"AB{n}",
            slug=f"kind-{n}",
            token=uuid.UUID(int=n + 1),
            ip=f"10.0.0.{n + 1}",
            count=n * 10,
            size=1000 + n,
            ratio=0.5 + n,
            price=Decimal(f"{n}.50"),
            weight=Decimal("1.250") + n,
            day=dt.date(2024, 1, 1 + n),
            moment=dt.datetime(2024, 1, 1 + n, 10, n, tzinfo=dt.UTC),
            at=dt.time(9, n, 30),
            span=dt.timedelta(days=n, hours=1, minutes=30),
            pause=dt.timedelta(minutes=5 + n),
            level=1 + n % 2,
            colour="rg"[n % 2],
            tags=["new", "sale"][: 1 + n % 2],
            numbers=[n, n + 1],
            labels={"en": f"Kind {n}"},
            extra={"depth": n} if n % 2 else {"name": "x", "deep": {"n": n}},
            note=f"note {n}" if n % 2 else None,
            target=targets[n % 3],
        )
        kind.targets.set(targets[: 1 + n % 3])
        for position in (1, 2):
            kind.lines.create(position=position, amount=Decimal(f"{position}.25"))
    for n in range(THINGS):
        m.Thing.objects.create(
            name=f"thing {n:02d}", number=n, group="odd" if n % 2 else "even"
        )
