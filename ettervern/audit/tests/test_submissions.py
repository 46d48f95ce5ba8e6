"""``once_per_submission``: one object per form key and actor, also when two requests race."""

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ettervern.audit.models import Submission
from ettervern.audit.submissions import create_once
from ettervern.employment.models import Company
from ettervern.employment.services import company_create, contact_person_add


def _company(personas, key, actor=None, name="Fisk AS"):
    return company_create(
        actor=actor or personas.coordinator,
        programme=personas.programme_a,
        name=name,
        industry="construction",
        submission_key=key,
    )


def test_the_same_key_returns_the_first_object(personas):
    key = uuid.uuid4()
    first = _company(personas, key)
    again = _company(personas, key, name="Another name")
    assert again == first
    assert Company.objects.filter(programme=personas.programme_a, name="Fisk AS").count() == 1
    assert not Company.objects.filter(name="Another name").exists()


def test_without_a_key_every_call_creates(personas):
    assert _company(personas, None) != _company(personas, None)


def test_a_key_of_another_user_or_another_kind_of_object_is_refused(personas):
    key = uuid.uuid4()
    company = _company(personas, key)
    with pytest.raises(ValidationError):
        _company(personas, key, actor=personas.peer_user)
    with pytest.raises(ValidationError):
        contact_person_add(
            actor=personas.coordinator, company=company, name="Per", submission_key=key
        )
    assert Submission.objects.filter(key=key).count() == 1


def test_a_refused_create_leaves_the_key_free(personas):
    key = uuid.uuid4()
    with pytest.raises(ValidationError):
        create_once(
            actor=personas.coordinator,
            key=key,
            model=Company,
            create=lambda: (_ for _ in ()).throw(ValidationError("no")),
        )
    assert not Submission.objects.filter(key=key).exists()
    assert _company(personas, key).name == "Fisk AS"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_store_one_object(personas):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (tests/test_sqlite_concurrency.py)")
    key, both_created = uuid.uuid4(), threading.Barrier(2, timeout=10)
    results = []

    def submit():
        try:

            def create():
                company = _company(personas, None)
                both_created.wait()  # both requests passed the "seen before?" check
                return company

            results.append(
                create_once(actor=personas.coordinator, key=key, model=Company, create=create)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(created for _obj, created in results) == [False, True]
    assert results[0][0] == results[1][0]
    assert Company.objects.filter(programme=personas.programme_a, name="Fisk AS").count() == 1
