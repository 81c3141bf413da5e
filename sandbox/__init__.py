"""A StoresAce environment you can run: a real Django REST framework server.

The sandbox is the demo's default target and the test suite's real server. It
serves several tenants, each at ``/<tenant>/api/`` with its own API user, its
own SQLite database and its own records. See ``sandbox/README.md``.
"""
