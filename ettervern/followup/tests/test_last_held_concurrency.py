"""``Match.last_held_at`` under two writes to one match at once, on two real connections."""

import threading

import pytest
from django.db import connection, connections, transaction

from ettervern.followup.services import contact_close
from ettervern.followup.tests.test_last_held import clock, last_held, log

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks and two concurrent connections (PostgreSQL); SQLite lets only "
        "one writer in at a time, so the race cannot happen there",
    ),
]


def test_a_close_waiting_for_a_log_keeps_the_later_contact(personas):
    """The peer logs a contact held an hour ago while the coordinator closes an older planned one
    as held: both go through, and the match keeps the later time (a refresh that waited for
    the other write must read its contact)."""
    with clock(personas):
        planned = log(personas, days_ago=2, outcome="planned")
        logging_holds_lock = threading.Event()
        logged = {}

        def peer_logs():
            try:
                with transaction.atomic():
                    logged["contact"] = log(personas, days_ago=0.04)
                    logging_holds_lock.set()
                    threading.Event().wait(0.5)  # the close arrives while this is open
            finally:
                logging_holds_lock.set()
                connections.close_all()

        def coordinator_closes():
            try:
                logging_holds_lock.wait(5)
                contact_close(actor=personas.coordinator, contact=planned, outcome="held")
                logged["closed"] = True
            finally:
                connections.close_all()

        threads = [threading.Thread(target=peer_logs), threading.Thread(target=coordinator_closes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(15)
        # Both writes went through (no deadlock between the close's locks and the log's).
        assert logged.get("closed") is True
        assert last_held(personas) == logged["contact"].occurred_at
