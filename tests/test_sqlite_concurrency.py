"""The embedded default (SQLite) survives two users writing at once.

Two threads, each with its own connection to one database file, run what a create service
does: a transaction that reads, thinks a moment, then writes. With SQLite's default (deferred)
transactions both take a read lock and one of them then fails with "database is locked" (a
500 for the user); with the project's ``SQLITE_OPTIONS`` the second waits for the first.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3.base import DatabaseWrapper

from config.settings import SQLITE_OPTIONS


def _write_after_read(path, options: dict, start: threading.Barrier, errors: list) -> None:
    conn = DatabaseWrapper({**_settings_dict(path), "OPTIONS": options}, alias=f"t{id(start)}")
    try:
        start.wait()
        # What ``transaction.atomic()`` does when it opens the outermost block.
        conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM goal")
            time.sleep(0.3)
            cursor.execute("INSERT INTO goal (description) VALUES ('x')")
        conn.commit()
    except OperationalError as exc:
        errors.append(str(exc))
    finally:
        conn.close()


def _settings_dict(path) -> dict:
    return {
        "NAME": str(path),
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "TEST": {},
    }


def _two_writers(tmp_path, options: dict) -> tuple[list[str], int]:
    path = tmp_path / "db.sqlite3"
    setup = DatabaseWrapper({**_settings_dict(path), "OPTIONS": options}, alias="setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE goal (id INTEGER PRIMARY KEY, description TEXT)")
    setup.close()
    start, errors = threading.Barrier(2), []
    threads = [
        threading.Thread(target=_write_after_read, args=(path, options, start, errors))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with setup.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM goal")
        (rows,) = cursor.fetchone()
    setup.close()
    return errors, rows


@pytest.mark.django_db
def test_two_simultaneous_writes_both_succeed_with_the_project_settings(tmp_path):
    errors, rows = _two_writers(tmp_path, SQLITE_OPTIONS)
    assert (errors, rows) == ([], 2)


@pytest.mark.django_db
def test_without_the_settings_one_of_two_simultaneous_writes_fails(tmp_path):
    """The scenario above is a real race: SQLite's defaults lose one of the two writes."""
    errors, rows = _two_writers(tmp_path, {})
    assert rows == 1
    assert errors == ["database is locked"]


def test_a_sqlite_database_url_gets_the_options():
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("runs on SQLite")
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert default["OPTIONS"]["timeout"] >= 5
