"""Every error acebind raises on purpose derives from :class:`AcebindError`.

::

    AcebindError
    ├── ConfigError                 acebind.toml, options, credentials
    ├── CrawlError                  the crawl could not finish
    │   ├── UnreachableError        connection refused, DNS, TLS, timeouts
    │   ├── AuthenticationError     401/403 from the environment
    │   │   └── CredentialsRefused  a 401 to the Basic credentials: the crawl stops
    │   ├── UnexpectedResponse      HTML where JSON was expected, bad JSON,
    │   │                           a body too large, a status we cannot use
    │   ├── OriginError             a link, redirect or ``next`` to another origin
    │   └── DeadlineExceeded        the crawl's overall deadline passed
    ├── SchemaTreeError             a schema tree that cannot be read or written
    └── GenerateError               bindings that cannot be generated

Each error's message names what it is about (environment, URL, endpoint,
field) and never a credential: URLs are shown without user info or query
values that could hold secrets.
"""

from __future__ import annotations


class AcebindError(Exception):
    """Root of acebind's errors; the CLI turns each into one clear message."""


class ConfigError(AcebindError):
    """The configuration, an option or the credentials are unusable."""


class CrawlError(AcebindError):
    """The crawl of an environment could not finish."""


class UnreachableError(CrawlError):
    """The environment could not be reached."""


class AuthenticationError(CrawlError):
    """The environment refused the credentials (401) or the user (403)."""


class CredentialsRefused(AuthenticationError):
    """A 401 to Basic credentials: every later request would fail the same way,
    so the crawl stops at once and sends them no more."""


class UnexpectedResponse(CrawlError):
    """A response acebind cannot use: wrong content type, bad JSON, too large."""


class OriginError(CrawlError):
    """A URL that leaves the environment's origin, where credentials must not go."""


class DeadlineExceeded(CrawlError):
    """The crawl ran past its overall deadline."""


class SchemaTreeError(AcebindError):
    """A schema tree that cannot be read or written."""


class GenerateError(AcebindError):
    """Bindings that cannot be generated from a schema tree."""
