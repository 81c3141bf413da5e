"""Models behind the test endpoints; every queryset is ordered for stable pages."""

from __future__ import annotations

from django.db import models


class Target(models.Model):
    """What the relation fields of :class:`Kind` point at."""

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["id"]


class Kind(models.Model):
    """One column per DRF field kind the serializer shows."""

    flag = models.BooleanField()
    name = models.CharField(max_length=20)
    email = models.EmailField()
    site = models.URLField()
    ref = models.CharField(max_length=10)
    slug = models.SlugField()
    token = models.UUIDField()
    ip = models.GenericIPAddressField()
    count = models.IntegerField()
    size = models.IntegerField()
    ratio = models.FloatField()
    price = models.DecimalField(max_digits=8, decimal_places=2)
    weight = models.DecimalField(max_digits=6, decimal_places=3)
    day = models.DateField()
    moment = models.DateTimeField()
    at = models.TimeField()
    span = models.DurationField()
    pause = models.DurationField()
    level = models.IntegerField(choices=[(1, "Low"), (2, "High")])
    colour = models.CharField(max_length=1, choices=[("r", "Red"), ("g", "Green")])
    tags = models.JSONField(default=list)
    attachment = models.FileField(null=True, blank=True)
    numbers = models.JSONField(default=list)
    labels = models.JSONField(default=dict)
    extra = models.JSONField(default=dict)
    note = models.CharField(max_length=30, null=True, blank=True)
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="+")
    targets = models.ManyToManyField(Target, related_name="+")

    class Meta:
        ordering = ["id"]


class Line(models.Model):
    """A line of a :class:`Kind`: the nested ``many=True`` list."""

    kind = models.ForeignKey(Kind, on_delete=models.CASCADE, related_name="lines")
    position = models.IntegerField()
    amount = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["kind", "position"]


class Thing(models.Model):
    """A plain record for the pagination, permission and root endpoints."""

    name = models.CharField(max_length=20)
    number = models.IntegerField()
    group = models.CharField(max_length=10)

    class Meta:
        ordering = ["id"]


class Nothing(models.Model):
    """A table no record is ever written to."""

    name = models.CharField(max_length=20)
    when = models.DateField()
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
