"""Named personas across two organisations, and the browser fixtures.

Organisation A (Bergen): a coordinator; two peer workers, only ``peer`` matched with
``participant``; the participant's own login; an employer contact; a referrer; a researcher; an
org admin; and a second participant ``waiting`` on the waiting list, matched with nobody.
Organisation B (Oslo): a coordinator, a peer worker and a participant matched with each other.
"""

import datetime as dt
import os
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TEST_PASSWORD = "a-long-test-password-2026"


def _serve_one_request_at_a_time():
    """The browser tests' live server answers one request at a time.

    Django's threaded live server shares the test database's one connection (an in-memory
    SQLite) among its request threads; a page whose panels the browser fetches in parallel had
    two threads in that connection at once, and they hung. Without threads, the server also
    sends ``Connection: close``, so a kept-alive browser connection cannot hold it."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.connections_override = connections_override  # set for its thread by run()

        def close_request(self, request):
            connections.close_all()  # as the threaded server does after each request
            super().close_request(request)

    LiveServerThread.server_class = SerialWSGIServer


def pytest_configure(config):
    from django.conf import settings

    _serve_one_request_at_a_time()

    # Fast hashing in tests; production's Argon2 setting is checked in accounts' tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ETTERVERN_REQUIRE_2FA = False
    # Links in mail (invitations) point to the test client's host; browser tests set their own.
    settings.ETTERVERN_SITE_URL = "http://testserver"
    # The browser tests log in with the demo data, as `make run` (ETTERVERN_DEMO=1) allows.
    settings.ETTERVERN_ALLOW_DEMO_LOGINS = True
    # Production settings (DEBUG off), but the test client and live server speak plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class Personas:
    org_a: object
    programme_a: object
    coordinator: object
    peer_user: object
    peer: object
    other_peer_user: object
    other_peer: object
    participant: object
    participant_user: object
    waiting: object
    match: object
    employer: object
    referrer: object
    researcher: object
    admin: object
    org_b: object
    programme_b: object
    coordinator_b: object
    peer_b_user: object
    peer_b: object
    participant_b: object
    match_b: object

    def user(self, name: str):
        return getattr(self, name)


def make_user(email: str, name: str):
    from ettervern.accounts.models import User

    return User.objects.create_user(email, TEST_PASSWORD, name=name)


def make_org(slug: str, name: str, programme_name: str):
    from ettervern.accounts.models import Organisation, Programme

    org = Organisation.objects.create(name=name, slug=slug)
    programme = Programme.objects.create(organisation=org, name=programme_name, slug=slug)
    return org, programme


def member(user, programme, role):
    from ettervern.accounts.models import Membership

    return Membership.objects.create(
        user=user, organisation=programme.organisation, programme=programme, role=role
    )


def make_peer(user, programme, **fields):
    from ettervern.peers.models import PeerWorker

    defaults = {
        "gender": "female",
        "birth_year": 1980,
        "max_participants": 2,
        "resource_status": PeerWorker.ResourceStatus.ACTIVE,
        "course_completed_on": dt.date(2025, 1, 15),
        "interests": ["fiske"],
    }
    defaults.update(fields)
    return PeerWorker.objects.create(
        organisation=programme.organisation, programme=programme, user=user, **defaults
    )


def make_participant(programme, name: str, status: str = "waiting", *, consent=True, **fields):
    """A participant brought to ``status`` through the services, as the UI would."""
    from ettervern.participants import services
    from ettervern.participants.models import Consent, Participant, StatusChange

    fields.setdefault("birth_year", 1985)
    participant = services.participant_create(actor=None, programme=programme, name=name, **fields)
    if consent:
        services.consent_give(
            actor=None,
            participant=participant,
            purpose=Consent.Purpose.FOLLOW_UP,
            method=Consent.Method.WRITTEN,
            text_version="2026-1",
        )
    steps = {
        Participant.Status.REFERRED: [],
        Participant.Status.INTAKE: [Participant.Status.INTAKE],
        Participant.Status.WAITING: [Participant.Status.INTAKE, Participant.Status.WAITING],
    }
    if status == Participant.Status.ENDED:
        services.participant_end(
            actor=None, participant=participant, end_reason=StatusChange.EndReason.OTHER
        )
        return participant
    for step in steps[status]:
        services.participant_set_status(actor=None, participant=participant, to=step)
    participant.refresh_from_db()
    return participant


def make_match(participant, peer, *, started_on=None):
    """A match decided by a coordinator, through the service (every hard constraint checked)."""
    from ettervern.matching.services import match_create

    return match_create(actor=None, participant=participant, peer=peer, started_on=started_on)


@pytest.fixture(autouse=True)
def _status_follows_the_match(request):
    """After every test that used the database: no participant's status has drifted from the
    state of their match, and no peer's slots held from her matches (states are made through
    services, never by hand)."""
    yield
    if request.node.get_closest_marker("browser"):
        return
    from django.db.models import F

    from ettervern.matching.access import status_drift
    from ettervern.matching.loading import held_slots_counted
    from ettervern.peers.models import PeerWorker

    try:
        drifted = list(status_drift().values_list("name", "status"))
    except RuntimeError:  # a test without the database
        return
    assert not drifted, f"participant status drifted from the match: {drifted}"
    # Nor has any peer's count of slots held drifted from her matches.
    slots = (
        PeerWorker.objects.annotate(counted=held_slots_counted())
        .exclude(held_slots=F("counted"))
        .values_list("pk", "held_slots", "counted")
    )
    assert not list(slots), f"held slots drifted from the matches: {list(slots)}"


@pytest.fixture
def personas(db) -> Personas:
    from ettervern.accounts.models import Role

    org_a, prog_a = make_org("org-a", "Organisasjon A", "Likepersontjenesten Bergen")
    org_b, prog_b = make_org("org-b", "Organisasjon B", "Ut i jobb")
    from ettervern.accounts.areas import seed_city

    seed_city(org_a, "bergen")
    seed_city(org_b, "oslo")
    coordinator = make_user("koordinator@a.test", "Kari Koordinator")
    member(coordinator, prog_a, Role.COORDINATOR)
    peer_user = make_user("likeperson@a.test", "Per Likeperson")
    member(peer_user, prog_a, Role.PEER_WORKER)
    other_peer_user = make_user("likeperson2@a.test", "Olga Likeperson")
    member(other_peer_user, prog_a, Role.PEER_WORKER)
    participant_user = make_user("deltaker@a.test", "Dag Deltaker")
    member(participant_user, prog_a, Role.PARTICIPANT)
    roles = {}
    for key, role in (
        ("employer", Role.EMPLOYER_CONTACT),
        ("referrer", Role.REFERRER),
        ("researcher", Role.RESEARCHER),
        ("admin", Role.ORG_ADMIN),
    ):
        roles[key] = make_user(f"{key}@a.test", f"{key.title()} A")
        member(roles[key], prog_a, role)
    peer = make_peer(peer_user, prog_a)
    other_peer = make_peer(other_peer_user, prog_a, gender="male")
    # Dag was referred and matched a month ago; Vera was referred today and waits.
    with time_machine.travel(timezone.now() - dt.timedelta(days=30)):
        participant = make_participant(
            prog_a, "Dag Deltaker", user=participant_user, phone="91234567", gender="male"
        )
        match = make_match(participant, peer)
    waiting = make_participant(prog_a, "Vera Venter", gender="female")

    coordinator_b = make_user("koordinator@b.test", "Bjørn Koordinator")
    member(coordinator_b, prog_b, Role.COORDINATOR)
    peer_b_user = make_user("likeperson@b.test", "Berit Likeperson")
    member(peer_b_user, prog_b, Role.PEER_WORKER)
    peer_b = make_peer(peer_b_user, prog_b)
    with time_machine.travel(timezone.now() - dt.timedelta(days=30)):
        participant_b = make_participant(prog_b, "Bendik Deltaker")
        match_b = make_match(participant_b, peer_b)
    return Personas(
        org_a=org_a,
        programme_a=prog_a,
        coordinator=coordinator,
        peer_user=peer_user,
        peer=peer,
        other_peer_user=other_peer_user,
        other_peer=other_peer,
        participant=participant,
        participant_user=participant_user,
        waiting=waiting,
        match=match,
        employer=roles["employer"],
        referrer=roles["referrer"],
        researcher=roles["researcher"],
        admin=roles["admin"],
        org_b=org_b,
        programme_b=prog_b,
        coordinator_b=coordinator_b,
        peer_b_user=peer_b_user,
        peer_b=peer_b,
        participant_b=participant_b,
        match_b=match_b,
    )


# --- browser tests ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nb-NO", "timezone_id": "Europe/Oslo"}


@pytest.fixture
def login(live_server):
    """Log a user in through the real login form in the browser."""

    def do_login(page, user, password: str = TEST_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-post").fill(user.email)
        page.get_by_label("Passord").fill(password)
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_load_state()

    return do_login
