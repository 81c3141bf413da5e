"""The one app of the test project: models, serializers, views, seed."""
