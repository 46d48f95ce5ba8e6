import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def warm() -> None:
    """Do once what each worker would otherwise do on its first requests: import every view
    (the URL conf), load the translations and compile every template. No database: a connection
    must not cross gunicorn's fork (``preload_app``)."""
    from pathlib import Path

    from django.apps import apps
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    translation.activate("nb")
    for config in apps.get_app_configs():
        if not config.name.startswith("ettervern."):
            continue  # third-party templates may load tags of apps not installed here
        root = Path(config.path) / "templates"
        for path in root.rglob("*.html"):
            get_template(str(path.relative_to(root)))  # a broken template stops the start
    translation.deactivate()
