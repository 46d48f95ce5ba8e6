"""Two people take the last place at the same moment, on two real database connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from ettervern.arenas import services
from ettervern.arenas.models import SignUp
from ettervern.arenas.tests.factories import film_night

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks and two concurrent connections (PostgreSQL); on SQLite the write "
        "lock is taken when the transaction begins, so the race cannot happen there",
    ),
]


def _in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_people_cannot_both_take_the_last_place(personas):
    event = film_night(personas.coordinator, personas.programme_a, capacity=2)
    services.signup_create(actor=personas.coordinator, event=event)
    first_holds_lock = threading.Event()
    outcome: dict[str, object] = {}

    def peer_one():
        with transaction.atomic():
            services.signup_create(actor=personas.peer_user, event=event)
            first_holds_lock.set()
            # Still inside the transaction: the second sign-up arrives now and must wait.
            threading.Event().wait(0.5)
        outcome["first"] = "signed up"

    def peer_two():
        first_holds_lock.wait(5)
        try:
            services.signup_create(actor=personas.other_peer_user, event=event)
            outcome["second"] = "signed up"
        except ValidationError as exc:
            outcome["second"] = exc.messages

    threads = [_in_thread(peer_one), _in_thread(peer_two)]
    for thread in threads:
        thread.join(15)
    assert outcome == {
        "first": "signed up",
        "second": ["Arrangementet er fullt: alle 2 plassene er tatt."],
    }
    assert SignUp.objects.filter(event=event).count() == 2


def test_the_same_person_signing_up_twice_at_once_gets_one_place(personas):
    event = film_night(personas.coordinator, personas.programme_a)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def sign_up():
        barrier.wait(5)
        try:
            services.signup_create(actor=personas.peer_user, event=event)
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.messages[0])

    threads = [_in_thread(sign_up) for _ in range(2)]
    for thread in threads:
        thread.join(15)
    assert sorted(results) == ["Per Likeperson er allerede påmeldt dette arrangementet.", "ok"]
    assert SignUp.objects.filter(event=event, user=personas.peer_user).count() == 1
