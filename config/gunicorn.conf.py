"""gunicorn settings for production: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Workers default to 2 x CPU cores + 1 (``WEB_CONCURRENCY`` overrides); the address to
``GUNICORN_BIND`` (loopback: a TLS proxy in front forwards to it)."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# Pages are short; a slow request is a bug to see in the log, not to wait minutes for.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 10
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load Django once in the master and compile its templates there (``config.wsgi.warm``), so new
# workers serve their first requests as fast as their later ones.
preload_app = True


def on_starting(server):
    from config.wsgi import warm

    warm()
    # What the master has loaded lives as long as the workers: frozen out of the collector's
    # way, a full collection in a worker scans only what its requests made (about 70 ms of
    # pause otherwise, in the middle of a request), and the shared pages stay shared.
    gc.collect()
    gc.freeze()
