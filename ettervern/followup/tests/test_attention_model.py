"""The attention queries against a plain computation over every row, on random data.

The selectors read a few rows through indexes and stop early; here each kind is computed the
long way (every participant, match, contact, agreement and consent in Python) and the first
items and the capped totals must be the same, for a coordinator, a peer worker and a user who
is both (and has a participant record of her own).
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone, translation

from conftest import make_org, make_peer, make_user, member
from ettervern.accounts.models import Programme, Role
from ettervern.followup import selectors
from ettervern.followup.models import Agreement, Contact
from ettervern.followup.services import last_held_refresh
from ettervern.matching.access import Need, matches_of_followed, participants_for
from ettervern.matching.models import Match
from ettervern.participants.models import Consent, Participant

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=ZoneInfo("Europe/Oslo"))
SHOWN = 8
KINDS = (
    "no_contact",
    "review_due",
    "waiting_long",
    "consent_withdrawn",
    "release_soon",
    "after_transition",
)


def _at(rng, today, lo, hi):
    day = today + dt.timedelta(days=rng.randint(lo, hi))
    moment = dt.datetime.combine(day, dt.time(rng.choice([0, 7, 12, 23]), rng.choice([0, 59])))
    return timezone.make_aware(moment)


def _build(rng):
    today = timezone.localdate()
    now = timezone.now()
    org, p1 = make_org("modell", "Modell", "Én")
    p2 = Programme.objects.create(organisation=org, name="To", slug="modell-2")
    p3 = Programme.objects.create(organisation=org, name="Tre", slug="modell-3")
    Programme.objects.filter(pk=p1.pk).update(no_contact_alert_days=7, waiting_alert_days=10)
    Programme.objects.filter(pk=p2.pk).update(no_contact_alert_days=14, waiting_alert_days=20)
    Programme.objects.filter(pk=p3.pk).update(no_contact_alert_days=3, waiting_alert_days=1)
    coordinator = make_user("k@modell.test", "Koordinator")
    member(coordinator, p1, Role.COORDINATOR)
    member(coordinator, p2, Role.COORDINATOR)
    peer_user = make_user("l@modell.test", "Likeperson")
    member(peer_user, p1, Role.PEER_WORKER)
    both = make_user("b@modell.test", "Begge")
    member(both, p2, Role.COORDINATOR)
    member(both, p3, Role.PEER_WORKER)
    peers = {
        p1.pk: [make_peer(peer_user, p1), make_peer(make_user("x@modell.test", "X"), p1)],
        p2.pk: [make_peer(make_user("y@modell.test", "Y"), p2)],
        p3.pk: [make_peer(both, p3), make_peer(make_user("z@modell.test", "Z"), p3)],
    }
    programmes = [p1, p2, p3]
    statuses = ["intake", "waiting", "matched", "paused", "ended"]
    participants = []
    for n in range(90):
        programme = rng.choice(programmes)
        transition = rng.choice(["", "release", "discharge", "release"])
        participants.append(
            Participant(
                organisation=org,
                programme=programme,
                name=rng.choice(["Anne", "Bo", "Cato", "Dina"]) + f" {n % 7}",
                status=rng.choice(statuses),
                status_since=now - dt.timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23)),
                transition=transition,
                transition_date=(
                    today + dt.timedelta(days=rng.randint(-10, 18)) if transition else None
                ),
                user=both if n == 0 else None,
            )
        )
    participants[0].programme, participants[0].status = p2, "waiting"
    Participant.objects.bulk_create(participants)
    matches, contacts, agreements, consents = [], [], [], []
    for p in participants:
        started = today - dt.timedelta(days=rng.randint(0, 50))
        peer = rng.choice(peers[p.programme_id])
        if p.status in ("matched", "paused"):
            status = "active" if p.status == "matched" else "paused"
            matches.append(
                Match(
                    organisation=org,
                    programme=p.programme,
                    participant=p,
                    peer=peer,
                    status=status,
                    started_on=started,
                )
            )
        if rng.random() < 0.3:
            matches.append(
                Match(
                    organisation=org,
                    programme=p.programme,
                    participant=p,
                    peer=peer,
                    status="ended",
                    started_on=started - dt.timedelta(days=60),
                    ended_on=started - dt.timedelta(days=1),
                )
            )
        for _ in range(rng.choice([0, 1, 1, 2])):
            given = now - dt.timedelta(days=rng.randint(20, 60))
            withdrawn = now - dt.timedelta(days=rng.randint(1, 19))
            consents.append(
                Consent(
                    organisation=org,
                    programme=p.programme,
                    participant=p,
                    purpose=rng.choice(["follow_up", "follow_up", "research"]),
                    given_at=given,
                    method="written",
                    text_version="1",
                    withdrawn_at=withdrawn,
                )
            )
        if rng.random() < 0.5:
            consents.append(
                Consent(
                    organisation=org,
                    programme=p.programme,
                    participant=p,
                    purpose="follow_up",
                    given_at=now - dt.timedelta(days=1),
                    method="written",
                    text_version="1",
                )
            )
    Match.objects.bulk_create(matches)
    Consent.objects.bulk_create(consents)
    for m in matches:
        start = m.started_on
        for _ in range(rng.choice([0, 1, 2, 3, 5])):
            outcome = rng.choice(["held", "held", "planned", "cancelled", "no_show"])
            at = _at(rng, today, (start - today).days, 12 if outcome == "planned" else 0)
            contacts.append(
                Contact(
                    organisation=org,
                    programme=m.programme,
                    match=m,
                    participant=m.participant,
                    peer=m.peer,
                    occurred_at=min(at, now + dt.timedelta(minutes=3))
                    if outcome != "planned"
                    else at,
                    outcome=outcome,
                )
            )
        if m.status != "ended":
            for version in range(1, rng.choice([1, 2, 2, 3])):
                agreements.append(
                    Agreement(
                        organisation=org,
                        programme=m.programme,
                        match=m,
                        participant=m.participant,
                        version=version,
                        rhythm="Hver uke",
                        review_on=today + dt.timedelta(days=rng.randint(-20, 15)),
                    )
                )
    Contact.objects.bulk_create(contacts)
    # Rows written in bulk, as the seed does: the match's last held contact derived after.
    last_held_refresh(Match.objects.all())
    Agreement.objects.bulk_create(agreements)
    return {"coordinator": coordinator, "peer": peer_user, "both": both}


def _days(n):
    return "day" if n == 1 else "days"


def _local(at):
    return timezone.localdate(at)


def _expected(user, roles):
    """Every kind computed from all rows, by the rules the home page states."""
    now, today = timezone.now(), timezone.localdate()
    coordinated = {pid for pid, role in roles if role == Role.COORDINATOR}
    peer_in = {pid for pid, role in roles if role == Role.PEER_WORKER}
    current = {m.participant_id: m for m in Match.objects.filter(status__in=["active", "paused"])}
    matches = list(Match.objects.select_related("peer", "programme"))
    contacts = list(Contact.objects.all())
    people = {p.pk: p for p in Participant.objects.select_related("programme")}

    def follows(p):
        if p.user_id == user.pk:
            return False
        if p.programme_id in coordinated:
            return True
        m = current.get(p.pk)
        return m is not None and m.peer.user_id == user.pk and m.peer.programme_id in peer_in

    for m in current.values():
        m.peer = next(x.peer for x in matches if x.pk == m.pk)
    scope = {pk: p for pk, p in people.items() if follows(p)}
    out = {}

    rows = []
    for m in matches:
        if m.status != "active" or m.participant_id not in scope:
            continue
        held = [c.occurred_at for c in contacts if c.match_id == m.pk and c.outcome == "held"]
        held = [at for at in held if at <= now]
        last = max(held) if held else None
        since = _local(last) if last else m.started_on
        if (today - since).days >= m.programme.no_contact_alert_days:
            days = (today - since).days
            rows.append(((last is not None, last, m.started_on, m.pk), m.participant_id, days))
    out["no_contact"] = [(pid, f"No contact for {d} {_days(d)}") for _, pid, d in sorted(rows)]

    rows = []
    for a in Agreement.objects.all():
        latest = not Agreement.objects.filter(match=a.match_id, version__gt=a.version).exists()
        m = current.get(a.participant_id)
        held_now = m is not None and m.pk == a.match_id
        if latest and held_now and a.participant_id in scope and a.review_on <= today:
            rows.append(((a.review_on, a.pk), a.participant_id, a.review_on))
    out["review_due"] = [
        (pid, f"Follow-up agreement due for review ({d:%d.%m.%Y})") for _, pid, d in sorted(rows)
    ]

    if coordinated:
        rows = []
        for p in scope.values():
            limit = now - dt.timedelta(days=p.programme.waiting_alert_days + 1)
            if p.status == "waiting" and p.status_since <= limit:
                rows.append(((p.status_since, p.pk), p.pk, (now - p.status_since).days))
        out["waiting_long"] = [(pid, f"Waiting for {d} {_days(d)}") for _, pid, d in sorted(rows)]
        rows = []
        for p in scope.values():
            follow_up = list(p.consents.filter(purpose="follow_up"))
            withdrawn = any(c.withdrawn_at for c in follow_up)
            given = any(c.withdrawn_at is None for c in follow_up)
            if p.status != "ended" and withdrawn and not given:
                rows.append(((p.name, p.pk), p.pk))
        text = "The participant has withdrawn consent to follow-up"
        out["consent_withdrawn"] = [(pid, text) for _, pid in sorted(rows)]

    rows = []
    for p in scope.values():
        if p.status == "ended" or p.transition != "release" or p.transition_date is None:
            continue
        if not today <= p.transition_date <= today + dt.timedelta(days=14):
            continue
        before = [
            c
            for c in contacts
            if c.participant_id == p.pk
            and c.outcome in ("planned", "held")
            and _local(c.occurred_at) >= today
            and _local(c.occurred_at) <= p.transition_date
        ]
        if not before:
            rows.append(((p.transition_date, p.pk), p.pk, p.transition_date))
    out["release_soon"] = [
        (pid, f"Released {d:%d.%m.%Y}: no contact planned before release")
        for _, pid, d in sorted(rows)
    ]

    rows = []
    for p in scope.values():
        if p.status == "ended" or p.transition not in ("release", "discharge"):
            continue
        if not today - dt.timedelta(days=7) <= p.transition_date < today:
            continue
        seen = [
            c
            for c in contacts
            if c.participant_id == p.pk
            and c.outcome == "held"
            and _local(c.occurred_at) >= p.transition_date
        ]
        if not seen:
            rows.append(((p.transition_date, p.pk), p.pk, p))
    out["after_transition"] = [
        (pid, f"{p.get_transition_display()} on {p.transition_date:%d.%m.%Y}: no contact since")
        for _, pid, p in sorted(rows, key=lambda r: r[0])
    ]
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("cap", [4, 500])
def test_attention_equals_a_plain_computation_over_every_row(db, seed, cap, monkeypatch):
    monkeypatch.setattr(selectors, "ATTENTION_COUNT_CAP", cap)
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        users = _build(random.Random(seed))
        nonempty = set()
        for user in users.values():
            roles = [(m.programme_id, m.role) for m in user.memberships.filter(is_active=True)]
            expected = _expected(user, roles)
            groups = {
                g.kind: g
                for g in selectors.attention_groups(user, per_kind=SHOWN)
                if g.kind in KINDS
            }
            for kind in KINDS:
                want = expected.get(kind, [])
                group = groups.get(kind)
                got = [(i.participant_id, i.text) for i in group.items] if group else []
                assert got == want[:SHOWN], (user, kind)
                assert (group.total if group else 0) == min(len(want), cap), (user, kind)
                if want:
                    nonempty.add(kind)
        # The random data reaches every kind (else the comparison would prove little).
        assert nonempty == set(KINDS)


@pytest.mark.parametrize("seed", [1, 2])
def test_matches_of_followed_are_the_matches_of_the_followed_participants(db, seed):
    """The match-level filter the questionnaire windows start from gives the same rows as a
    filter on the participants the access module lets the user follow, for every role."""
    with time_machine.travel(NOW, tick=False):
        users = _build(random.Random(seed))
        for user in users.values():
            followed = participants_for(user, Need.FOLLOW)
            expected = set(
                Match.objects.filter(participant__in=followed).values_list("pk", flat=True)
            )
            got = set(matches_of_followed(user).values_list("pk", flat=True))
            assert got == expected, user
            assert expected or not followed.exists(), user
