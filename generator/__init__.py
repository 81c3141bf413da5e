"""acebind: typed Python bindings for StoresAce environments."""

__version__ = "0.1.0"
