"""The UI shell has no models."""
