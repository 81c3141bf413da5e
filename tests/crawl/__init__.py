"""Tests of the crawl: the fetcher, the crawler and what it infers."""
