"""Django settings of the sandbox. Every knob comes from :mod:`sandbox.config`."""

from __future__ import annotations

import importlib.util
import os

from sandbox.config import KNOBS, TENANTS

DEBUG = False
SECRET_KEY = "acebind-sandbox-not-a-secret"  # noqa: S105 - loopback test server
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
USE_I18N = True

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "sandbox.store",
]

MIDDLEWARE = [
    "sandbox.middleware.FaultMiddleware",
    "sandbox.middleware.TenantMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["django.template.context_processors.request"]
        },
    }
]

DATABASES = {
    tenant.database: {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(KNOBS.data_dir, f"{tenant.name}.sqlite3"),
        "OPTIONS": {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"},
        # Like a deployed environment: each server thread keeps its connection
        # instead of opening the database for every request.
        "CONN_MAX_AGE": None,
    }
    for tenant in TENANTS
}
DATABASE_ROUTERS = ["sandbox.middleware.TenantRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Each request authenticates with Basic; PBKDF2 would cost a few hundred
# milliseconds per request, so the sandbox trades hash strength for speed.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_URL = "/static/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.BrowsableAPIRenderer",
        "rest_framework.renderers.JSONRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_METADATA_CLASS": "rest_framework.metadata.SimpleMetadata",
}

# drf-spectacular (a dev dependency) gives the tests the server's own truth.
if importlib.util.find_spec("drf_spectacular") is not None:
    INSTALLED_APPS.append("drf_spectacular")
    REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "drf_spectacular.openapi.AutoSchema"
    SPECTACULAR_SETTINGS = {"COMPONENT_SPLIT_REQUEST": True, "OAS_VERSION": "3.1.0"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {"django": {"handlers": ["null"], "propagate": False}},
}
