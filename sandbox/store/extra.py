"""``--extra-endpoints N``: N more endpoints of four shapes, like a large environment.

Each is a real DRF viewset and serializer; their records share one table,
:class:`~sandbox.store.models.ExtraRecord`, as one JSON document per record.
"""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets

from sandbox.store import models as m
from sandbox.store.filters import filterset
from sandbox.store.pagination import pages
from sandbox.store.views import UpsertMixin


class ExtraSerializer(serializers.Serializer):  # type: ignore[type-arg]
    endpoint = ""
    key = ""
    SyncCounter = serializers.IntegerField(read_only=True)

    def to_representation(self, record: m.ExtraRecord) -> dict[str, Any]:
        return {**record.Data, "SyncCounter": record.SyncCounter}

    def primitive(self, validated: dict[str, Any]) -> dict[str, Any]:
        # As DRF's own to_representation: a null stays null, never "None".
        return {
            name: None if value is None else self.fields[name].to_representation(value)
            for name, value in validated.items()
        }

    def create(self, validated: dict[str, Any]) -> m.ExtraRecord:
        data = self.primitive(validated)
        return m.ExtraRecord.objects.create(
            Endpoint=self.endpoint, Key=str(data[self.key]), Data=data
        )

    def update(self, record: m.ExtraRecord, validated: dict[str, Any]) -> Any:
        record.Data = {**record.Data, **self.primitive(validated)}
        record.save()
        return record


class LineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    Sku = serializers.CharField(max_length=20)
    Quantity = serializers.IntegerField(min_value=1)


def _codes() -> dict[str, Any]:
    return {
        "Code": serializers.CharField(max_length=20, help_text="Unique code."),
        "Description": serializers.CharField(max_length=60),
        "Active": serializers.BooleanField(default=True),
    }


def _amounts() -> dict[str, Any]:
    return {
        "AmountId": serializers.IntegerField(min_value=1),
        "Amount": serializers.DecimalField(max_digits=12, decimal_places=2),
        "BookedOn": serializers.DateField(),
        "Kind": serializers.ChoiceField(choices=[("a", "Debit"), ("b", "Credit")]),
        "Note": serializers.CharField(max_length=80, allow_null=True, required=False),
    }


def _documents() -> dict[str, Any]:
    return {
        "DocumentId": serializers.IntegerField(min_value=1),
        "IssuedAt": serializers.DateTimeField(),
        "Lines": LineSerializer(many=True),
        "Tags": serializers.ListField(
            child=serializers.CharField(max_length=12), required=False
        ),
    }


def _logs() -> dict[str, Any]:
    return {
        "EntryId": serializers.IntegerField(min_value=1),
        "Level": serializers.ChoiceField(
            choices=[("info", "Info"), ("error", "Error")]
        ),
        "Message": serializers.CharField(max_length=200),
        "CreatedAt": serializers.DateTimeField(),
    }


SHAPES = (("codes", _codes), ("amounts", _amounts), ("documents", _documents),
          ("logs", _logs))  # fmt: skip


def name_of(index: int) -> str:
    return f"extra{index:03d}{SHAPES[index % len(SHAPES)][0]}"


class ExtraViewSet(
    UpsertMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    def existing(self, record: Any) -> tuple[Any, Any]:
        key = self.serializer_class.key  # type: ignore[union-attr]
        if not isinstance(record, dict) or record.get(key) is None:
            return None, None
        field = self.get_serializer().fields[key]
        try:  # the stored form of the key, as ExtraSerializer.create writes it
            identity = str(
                field.to_representation(field.to_internal_value(record[key]))
            )
        except (serializers.ValidationError, ValueError, TypeError):
            return None, None
        found = self.get_queryset().filter(Key=identity).first()
        return found, (identity,)


class ExtraReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    pass


def endpoints(count: int) -> list[tuple[str, Any]]:
    found = []
    for index in range(count):
        shape, fields = SHAPES[index % len(SHAPES)]
        name = name_of(index)
        declared = fields()
        key = next(iter(declared))
        serializer = type(
            f"Extra{index:03d}Serializer",
            (ExtraSerializer,),
            {**declared, "endpoint": name, "key": key},
        )
        base = ExtraReadOnlyViewSet if shape == "logs" else ExtraViewSet
        viewset = type(
            f"Extra{index:03d}ViewSet",
            (base,),
            {
                "__doc__": f"Generated endpoint of shape {shape}.",
                "queryset": m.ExtraRecord.objects.filter(Endpoint=name).order_by("id"),
                "serializer_class": serializer,
                "pagination_class": pages(
                    20 + index % 3 * 15, 1, 100 + index % 5 * 100
                ),
                "filterset_class": filterset(m.ExtraRecord, store=None, search=()),
                "lookup_field": "Key",
                "lookup_url_kwarg": key,
            },
        )
        found.append((name, viewset))
    return found
