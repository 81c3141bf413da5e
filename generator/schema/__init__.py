"""The schema tree: the files a crawl writes and everything after it reads."""
