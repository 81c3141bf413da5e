"""Crawl a StoresAce environment's browsable API, one origin and one pool."""
