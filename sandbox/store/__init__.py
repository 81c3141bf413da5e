"""The StoresAce resources of the sandbox: models, serializers, views, seed."""
