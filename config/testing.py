"""Loaded by pytest before Django's settings (``-p config.testing`` in pyproject.toml).

Without ``DEBUG`` or the demo mode the settings refuse to start without a ``SECRET_KEY``, as in
production. Tests run with both off, like production, and get a throwaway key here.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-secret-key-0123456789-abcdefghijklmnop")
