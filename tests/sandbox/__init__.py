"""Behaviour of the bundled StoresAce sandbox, over real HTTP and in-process."""
