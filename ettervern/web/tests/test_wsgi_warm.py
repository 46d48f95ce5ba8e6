"""gunicorn loads the app in its master and warms it there (``preload_app``): that must not
open a database connection, which the forked workers would then share."""

from django.template import engines

from config.wsgi import warm


def test_warming_compiles_the_templates_without_touching_the_database():
    loader = engines["django"].engine.template_loaders[0]  # the cached loader
    loader.reset()  # other tests may have compiled the home already
    # No django_db mark: any query here fails the test.
    warm()
    assert "web/home.html" in {key.split("-")[0] for key in loader.get_template_cache}
