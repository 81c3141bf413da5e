"""A small Django REST framework project, served only to the crawler's tests.

Each endpoint shows one DRF behaviour the crawler must read from the outside:
every serializer field kind, the pagination styles, read-only and empty
endpoints, nested roots, extra actions and filters, and (under ``/v314/api/``)
the OPTIONS metadata of DRF before 3.15. It runs in a child process
(:mod:`tests.crawl.drfapps.process`) because the test process already has
Django configured for the sandbox.
"""

# What the seed writes; imported by the tests, so free of Django.
USERNAME, PASSWORD = "drf-api", "drf-pass"
KINDS = 4  # records of kinds/, every second one with a null note
THINGS = 12  # records behind each pagination endpoint
