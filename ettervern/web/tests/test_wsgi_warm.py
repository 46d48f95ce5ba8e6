"""gunicorn loads the app in its master and warms it there (``preload_app``): that must not
open a database connection, which the forked workers would then share."""

import gc
import importlib.util
from pathlib import Path

from django.template import engines

from config.wsgi import warm


def test_warming_compiles_the_templates_without_touching_the_database():
    loader = engines["django"].engine.template_loaders[0]  # the cached loader
    loader.reset()  # other tests may have compiled the home already
    # No django_db mark: any query here fails the test.
    warm()
    assert "web/home.html" in {key.split("-")[0] for key in loader.get_template_cache}


def test_the_gunicorn_master_freezes_what_it_loaded():
    """After the warm-up the master freezes its objects out of the collector's way, so a full
    collection in a worker does not scan Django and every template again."""
    path = Path(__file__).resolve().parents[3] / "config" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    gc.unfreeze()
    try:
        conf.on_starting(server=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
