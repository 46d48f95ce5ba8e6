"""Concurrent create requests against the embedded default (a SQLite file); prints a table.

Each round sends ``WRITERS`` different "new company" forms at the same moment through the whole
Django stack (one thread and one connection per request, as gunicorn workers have), then a
double submit: the same form twice at the same moment. Counted: server errors, redirects, rows.
Run once with the project's SQLite options and once with SQLite's defaults:

    python benchmarks/sqlite_concurrent_writes.py

Not part of the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 8
ROUNDS = 5


def child(db: Path, options: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["testserver"]
    if options == "defaults":
        settings.DATABASES["default"]["OPTIONS"] = {}
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ettervern.accounts.models import Membership, Organisation, Programme, Role, User
    from ettervern.employment.models import Company

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    org = Organisation.objects.create(name="Org", slug="org")
    programme = Programme.objects.create(organisation=org, name="P", slug="p")
    user = User.objects.create_user("k@example.org", None, name="Koordinator")
    Membership.objects.create(
        user=user, organisation=org, programme=programme, role=Role.COORDINATOR
    )
    connection.close()

    def post(key: str, results: list, start: threading.Barrier) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        data = {"programme": programme.pk, "name": f"AS {key[:8]}", "industry": "construction"}
        start.wait()
        response = client.post("/arbeid/bedrifter/ny/", {**data, "submission_key": key})
        results.append(response.status_code)
        connection.close()

    def burst(keys: list[str]) -> list[int]:
        results: list[int] = []
        start = threading.Barrier(len(keys))
        threads = [threading.Thread(target=post, args=(k, results, start)) for k in keys]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    different, double = [], []
    for _ in range(ROUNDS):
        different += burst([str(uuid.uuid4()) for _ in range(WRITERS)])
        key = str(uuid.uuid4())
        before = Company.objects.count()
        double += burst([key, key])
        double.append(("rows", Company.objects.count() - before))
        connection.close()
    sent, stored = len(different), sum(1 for s in different if s == 302)
    errors = sum(1 for s in different if s >= 500)
    rows = [r for _tag, r in (d for d in double if isinstance(d, tuple))]
    double_errors = sum(1 for s in double if isinstance(s, int) and s >= 500)
    print(
        f"{options:<9} | {sent} sent, {stored} stored, {errors} server errors "
        f"| {ROUNDS} double submits: {double_errors} server errors, rows stored {rows}"
    )


def main() -> None:
    if len(sys.argv) == 3:
        child(Path(sys.argv[1]), sys.argv[2])
        return
    print(f"{WRITERS} simultaneous create requests x {ROUNDS} rounds, SQLite file")
    for options in ("project", "defaults"):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(  # noqa: S603
                [sys.executable, __file__, str(Path(tmp) / "db.sqlite3"), options], check=True
            )


if __name__ == "__main__":
    main()
