"""``Match.last_held_at`` (the time of the match's last held contact) through every write path:
each must leave it equal to what the contacts say."""

import datetime as dt
import importlib

import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db.models import Max, Q
from django.utils import timezone

from ettervern.followup.models import Contact
from ettervern.followup.services import contact_close, contact_log, last_held_refresh
from ettervern.matching.models import Match


def clock(personas, days=20):
    """A fixed moment some days into the personas' match (which began before the fixture's
    clock), at noon."""
    day = personas.match.started_on + dt.timedelta(days=days)
    return time_machine.travel(
        timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12)), tick=False
    )


def derived(match_ids=None):
    """{match id: last held contact} computed from the contacts, and as stored."""
    matches = Match.objects.all() if match_ids is None else Match.objects.filter(pk__in=match_ids)
    stored = dict(matches.values_list("pk", "last_held_at"))
    held = Match.objects.filter(pk__in=stored).annotate(
        last=Max("contacts__occurred_at", filter=Q(contacts__outcome="held"))
    )
    return dict(held.values_list("pk", "last")), stored


def log(personas, *, days_ago, outcome="held"):
    contact, _ = contact_log(
        actor=personas.peer_user,
        match=personas.match,
        kind="phone",
        outcome=outcome,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    return contact


def last_held(personas):
    personas.match.refresh_from_db()
    return personas.match.last_held_at


def test_logging_a_held_contact_sets_the_last_held_time(personas):
    with clock(personas):
        assert last_held(personas) is None
        recent = log(personas, days_ago=2)
        assert last_held(personas) == recent.occurred_at
        # An earlier contact logged afterwards does not move it back.
        log(personas, days_ago=9)
        assert last_held(personas) == recent.occurred_at


def test_logging_a_planned_or_cancelled_contact_leaves_it(personas):
    with clock(personas):
        held = log(personas, days_ago=5)
        log(personas, days_ago=1, outcome="cancelled")
        log(personas, days_ago=-2, outcome="planned")
        assert last_held(personas) == held.occurred_at


def test_closing_a_planned_contact_as_held_sets_it(personas):
    with clock(personas):
        log(personas, days_ago=6)
        planned = log(personas, days_ago=-1, outcome="planned")
    with clock(personas, 22):
        contact_close(actor=personas.peer_user, contact=planned, outcome="held")
        assert last_held(personas) == planned.occurred_at


def test_closing_a_planned_contact_as_no_show_leaves_it(personas):
    with clock(personas):
        held = log(personas, days_ago=6)
        planned = log(personas, days_ago=-1, outcome="planned")
    with clock(personas, 22):
        contact_close(actor=personas.peer_user, contact=planned, outcome="no_show")
        assert last_held(personas) == held.occurred_at


def test_refresh_derives_it_for_rows_written_in_bulk(personas):
    with clock(personas):
        at = timezone.now() - dt.timedelta(days=3)
        Contact.objects.bulk_create(
            [
                Contact(
                    organisation=personas.org_a,
                    programme=personas.programme_a,
                    match=personas.match,
                    participant=personas.participant,
                    peer=personas.peer,
                    occurred_at=at - dt.timedelta(days=days),
                    outcome=outcome,
                )
                for days, outcome in ((0, "held"), (-1, "planned"), (4, "held"))
            ]
        )
        assert last_held(personas) is None
        last_held_refresh(Match.objects.filter(pk=personas.match.pk))
        assert last_held(personas) == at


def test_the_seeded_demo_and_scale_data_carry_it(db):
    call_command("seed_demo", "--quiet-logins", "--scale", "300")
    truth, stored = derived()
    assert any(truth.values())
    assert stored == truth


def test_the_migration_backfills_it(personas):
    with clock(personas):
        log(personas, days_ago=4)
        log(personas, days_ago=2, outcome="cancelled")
    Match.objects.update(last_held_at=None)
    migration = importlib.import_module("ettervern.matching.migrations.0005_attention_indexes")
    migration.backfill_last_held(apps, None)
    truth, stored = derived()
    assert stored == truth
    assert stored[personas.match.pk] is not None


def test_a_held_contact_logged_minutes_ahead_counts_from_its_time(personas):
    """The attention list reads the last held contact up to now: one logged a few minutes
    ahead of the clock (allowed) does not end "no contact" before its time."""
    from ettervern.followup.selectors import attention_items

    def quiet():
        items = attention_items(personas.coordinator)
        return [i.participant_id for i in items if i.kind == "no_contact"]

    with clock(personas, 25):
        log(personas, days_ago=20)
        contact_log(
            actor=personas.peer_user,
            match=personas.match,
            kind="phone",
            occurred_at=timezone.now() + dt.timedelta(minutes=3),
        )
        assert personas.participant.pk in quiet()
    with clock(personas, 25) as traveller:
        traveller.shift(dt.timedelta(minutes=4))
        assert personas.participant.pk not in quiet()
