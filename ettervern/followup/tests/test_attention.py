import datetime as dt

import time_machine
from django.utils import timezone

from conftest import make_match, make_participant
from ettervern.followup.models import Agreement
from ettervern.followup.selectors import attention_items, no_contact_since
from ettervern.followup.services import contact_log
from ettervern.participants.models import Participant
from ettervern.web.tests.home import home_page


def kinds(user):
    # Due questionnaires are tested with the outcomes app (its own schedule and clock).
    items = attention_items(user)
    return sorted((i.kind, i.participant_name) for i in items if not i.kind.startswith("quest"))


def setup_scenario(personas):
    today = timezone.localdate()
    old = make_participant(personas.programme_a, "Gammel Venter")
    Participant.objects.filter(pk=old.pk).update(
        status_since=timezone.now() - dt.timedelta(days=40)
    )
    # Release in 5 days with nothing planned, and one where a contact is planned.
    make_participant(
        personas.programme_a,
        "Rune Løslates",
        transition="release",
        transition_date=today + dt.timedelta(days=5),
    )
    # Petter was matched a month ago and has had no contact held since.
    with time_machine.travel(timezone.now() - dt.timedelta(days=30)):
        planned = make_participant(
            personas.programme_a,
            "Petter Planlagt",
            transition="release",
            transition_date=today + dt.timedelta(days=3),
        )
        planned_match = make_match(planned, personas.other_peer)
    contact_log(
        actor=personas.other_peer_user,
        match=planned_match,
        kind="phone",
        occurred_at=timezone.now() + dt.timedelta(days=1),
        outcome="planned",
    )
    # Discharged two days ago: one with no contact since, one already seen.
    make_participant(
        personas.programme_a,
        "Ulla Utskrevet",
        transition="discharge",
        transition_date=today - dt.timedelta(days=2),
    )
    # The matched participant's agreement is due for review today.
    Agreement.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        match=personas.match,
        participant=personas.participant,
        version=1,
        rhythm="Hver uke",
        review_on=today,
    )
    # Other organisation: never shown.
    make_participant(
        personas.programme_b,
        "Oslo Løslates",
        transition="release",
        transition_date=today + dt.timedelta(days=2),
    )
    return planned_match


def test_coordinator_attention_list_has_exactly_the_items_the_data_implies(personas):
    setup_scenario(personas)
    assert kinds(personas.coordinator) == [
        ("after_transition", "Ulla Utskrevet"),
        ("no_contact", "Dag Deltaker"),
        ("no_contact", "Petter Planlagt"),
        ("release_soon", "Rune Løslates"),
        ("review_due", "Dag Deltaker"),
        ("waiting_long", "Gammel Venter"),
    ]


def test_peer_attention_list_has_only_own_participants(personas):
    setup_scenario(personas)
    assert kinds(personas.peer_user) == [
        ("no_contact", "Dag Deltaker"),
        ("review_due", "Dag Deltaker"),
    ]
    # A contact is planned before Petter's release: no release item, but none held for 30 days.
    assert kinds(personas.other_peer_user) == [("no_contact", "Petter Planlagt")]


def test_a_held_contact_clears_the_no_contact_item(personas):
    contact_log(actor=personas.peer_user, match=personas.match, kind="conversation")
    assert ("no_contact", "Dag Deltaker") not in kinds(personas.peer_user)


def test_no_contact_threshold_follows_the_programme_setting(personas):
    personas.programme_a.no_contact_alert_days = 45
    personas.programme_a.save()
    assert ("no_contact", "Dag Deltaker") not in kinds(personas.coordinator)


def test_no_contact_since_is_usable_for_a_new_job(personas):
    start = timezone.localdate() - dt.timedelta(days=1)
    ids = {personas.participant.pk: start}
    assert no_contact_since(ids) == {personas.participant.pk}
    contact_log(actor=personas.peer_user, match=personas.match, kind="phone")
    assert no_contact_since(ids) == set()


def test_roles_without_case_access_get_no_items(personas):
    setup_scenario(personas)
    for name in ("referrer", "employer", "researcher", "participant_user", "admin"):
        assert attention_items(personas.user(name)) == []
    assert kinds(personas.coordinator_b) == [
        ("no_contact", "Bendik Deltaker"),
        ("release_soon", "Oslo Løslates"),
    ]


def test_home_shows_the_first_items_and_how_many_more(client, personas):
    import datetime as dt

    from django.utils import timezone

    from conftest import make_participant
    from ettervern.followup.panels import ATTENTION_SHOWN
    from ettervern.participants.models import Participant

    long_ago = timezone.now() - dt.timedelta(days=400)
    for i in range(ATTENTION_SHOWN + 5):
        make_participant(personas.programme_a, f"Lenge Venter {i}")
    Participant.objects.filter(name__startswith="Lenge Venter").update(status_since=long_ago)
    client.force_login(personas.coordinator)
    body = home_page(client).content.decode()
    # The first ones of the kind, and how many more of it (the total is counted in the database).
    assert body.count('data-kind="waiting_long"') == ATTENTION_SHOWN
    assert 'data-more="waiting_long"' in body and "Og 5 saker til av denne typen." in body
