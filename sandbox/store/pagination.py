"""Page-number pagination with a per-endpoint default, minimum and maximum.

DRF caps a ``page_size`` above the maximum and falls back to the default for
one that is not a positive integer; the sandbox adds StoresAce's minimum: a
smaller ``page_size`` is raised to it.
"""

from __future__ import annotations

from functools import cache

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class BoundedPages(PageNumberPagination):
    page_size_query_param = "page_size"
    min_page_size = 1

    def get_page_size(self, request: Request) -> int | None:
        size = super().get_page_size(request)
        return None if size is None else max(size, self.min_page_size)


@cache
def pages(default: int, minimum: int, maximum: int) -> type[BoundedPages]:
    attributes = {
        "page_size": default,
        "min_page_size": minimum,
        "max_page_size": maximum,
    }
    return type(f"Pages{default}Min{minimum}Max{maximum}", (BoundedPages,), attributes)
