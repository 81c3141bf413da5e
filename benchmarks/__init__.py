"""``make bench``: acebind's crawl, generation and client speed against peers.

Run ``python -m benchmarks`` (``--quick`` for a smoke run); see
``benchmarks/runner.py`` for the phases and ``benchmarks/RESULTS.md`` for the
latest figures.
"""
