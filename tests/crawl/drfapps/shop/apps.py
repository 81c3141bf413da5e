from __future__ import annotations

from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "tests.crawl.drfapps.shop"
    label = "shop"
    default_auto_field = "django.db.models.AutoField"
