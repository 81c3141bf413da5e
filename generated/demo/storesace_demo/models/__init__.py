"""One models module per endpoint."""
