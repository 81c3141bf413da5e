"""Serializers: :class:`KindSerializer` holds one field of every DRF kind."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tests.crawl.drfapps.shop import models as m

TAGS = [("new", "New"), ("sale", "On sale"), ("old", "Old")]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Target
        fields = ["id", "code", "name"]


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Line
        fields = ["position", "amount"]


class KindSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="kind-detail")
    name = serializers.CharField(min_length=2, max_length=20)
    ref = serializers.RegexField(r"^[A-Z]{2}\d+$", max_length=10)
    ip = serializers.IPAddressField()
    count = serializers.IntegerField(min_value=0, max_value=100)
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=3, coerce_to_string=False
    )
    tags = serializers.MultipleChoiceField(choices=TAGS)
    numbers = serializers.ListField(child=serializers.IntegerField())
    labels = serializers.DictField(child=serializers.CharField())
    extra = serializers.JSONField()
    target_slug = serializers.SlugRelatedField(
        source="target", slug_field="code", queryset=m.Target.objects.all()
    )
    target_link = serializers.HyperlinkedRelatedField(
        source="target", view_name="target-detail", read_only=True
    )
    owner = TargetSerializer(source="target", read_only=True)
    lines = LineSerializer(many=True)
    score = serializers.SerializerMethodField()
    shout = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    echo = serializers.ReadOnlyField(source="name")

    class Meta:
        model = m.Kind
        fields = [
            "id", "url", "flag", "name", "email", "site", "ref", "slug", "token",
            "ip", "count", "size", "ratio", "price", "weight", "day", "moment",
            "at", "span", "pause", "level", "colour", "tags", "attachment",
            "numbers", "labels", "extra", "note", "target", "targets", "target_slug",
            "target_link", "owner", "lines", "score", "shout", "summary",
            "history", "echo",
        ]  # fmt: skip

    def get_score(self, kind: m.Kind) -> int:
        return kind.count * 2

    def get_shout(self, kind: m.Kind) -> str:
        return kind.name.upper()

    def get_summary(self, kind: m.Kind) -> dict[str, Any]:
        return {"count": kind.count, "flag": kind.flag}

    def get_history(self, kind: m.Kind) -> list[str]:
        return [kind.slug, kind.name]


class LegacyKindSerializer(KindSerializer):
    """The same fields, linked to the legacy root's own detail URLs."""

    url = serializers.HyperlinkedIdentityField(view_name="legacy-kind-detail")


class ThingSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Thing
        fields = ["id", "name", "number", "group"]


class NothingSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Nothing
        fields = ["id", "name", "when", "target"]
