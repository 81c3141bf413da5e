"""Iterate every item of a sandbox through the generated client; print JSON.

Run with the generated ``storesace_demo`` package on the path; arguments: the
API root, the page size, the user and the password. tracemalloc traces from
just before the first page to the last record (the peak is the most Python
memory held at once while iterating); ``VmHWM`` is the whole process's peak
resident set (``ru_maxrss`` would report the parent's, from before ``exec``).
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import tracemalloc


def main() -> None:
    root, page_size, username, password = sys.argv[1:5]
    count = 0
    client_class = importlib.import_module("storesace_demo").Client
    with client_class(root, username=username, password=password) as client:
        tracemalloc.start()
        start = time.perf_counter()
        for _item in client.items.iterate(page_size=int(page_size)):
            count += 1
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(json.dumps({"items": count, "seconds": seconds, "peak": peak, "rss": rss()}))


def rss() -> int:
    """Peak resident set size of this process, in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    main()
