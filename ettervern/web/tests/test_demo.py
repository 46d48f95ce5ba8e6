from django.core.management import call_command
from django.db.models import F

from ettervern.accounts.models import Membership, Organisation, Role, User
from ettervern.matching.models import Match
from ettervern.participants.models import Participant
from ettervern.peers.models import PeerWorker
from ettervern.web.demo import ORGS


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, User, Membership, Participant, PeerWorker, Match)
    }


def test_seed_demo_creates_both_organisations_with_every_status_and_role(db):
    call_command("seed_demo", "--quiet-logins")
    for spec in ORGS:
        org = Organisation.objects.get(slug=spec.slug)
        statuses = set(
            Participant.objects.filter(organisation=org).values_list("status", flat=True)
        )
        assert statuses == set(Participant.Status.values), spec.slug
        roles = set(Membership.objects.filter(organisation=org).values_list("role", flat=True))
        assert roles == set(Role.values)
        assert Participant.objects.filter(organisation=org, user__isnull=False).count() == 1
    assert User.objects.filter(is_demo=False).count() == 0


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", "--quiet-logins")
    first = counts()
    call_command("seed_demo", "--quiet-logins")
    assert counts() == first


def test_demo_matches_respect_capacity_and_programme(db):
    call_command("seed_demo", "--quiet-logins")
    for peer in PeerWorker.objects.all():
        holding = peer.matches.filter(status__in=["active", "paused"]).count()
        assert holding <= peer.max_participants
    assert not Match.objects.exclude(programme_id=F("participant__programme_id")).exists()
    assert not Match.objects.exclude(peer__programme_id=F("programme_id")).exists()


def test_demo_participant_login_is_matched_with_demo_peer_login(db):
    call_command("seed_demo", "--quiet-logins")
    for spec in ORGS:
        participant = Participant.objects.get(user__email=f"deltaker@{spec.email_domain}")
        match = participant.matches.get(status="active")
        assert match.peer.user.email == f"likeperson@{spec.email_domain}"


def test_scale_seed_creates_the_requested_number_of_participants(db):
    call_command("seed_demo", "--scale", "300", "--quiet-logins")
    org = Organisation.objects.get(slug="skala-300")
    assert Participant.objects.filter(organisation=org).count() == 300
    assert PeerWorker.objects.filter(organisation=org).count() == 30
    call_command("seed_demo", "--scale", "300", "--quiet-logins")
    assert Participant.objects.filter(organisation=org).count() == 300
