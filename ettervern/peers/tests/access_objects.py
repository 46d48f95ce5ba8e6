import datetime as dt

from ettervern.web.tests.access import AccessObject


def _course(programme):
    from ettervern.peers.models import Course

    return Course.objects.get_or_create(
        organisation=programme.organisation,
        programme=programme,
        name="Tilgangskurs",
        defaults={"starts_on": dt.date(2026, 1, 5)},
    )[0]


def _candidate(programme):
    from ettervern.peers.models import Candidate

    return Candidate.objects.get_or_create(
        organisation=programme.organisation,
        programme=programme,
        name="Tilgang Kandidat",
        defaults={"heard_via": "nav", "course": _course(programme), "status": "in_course"},
    )[0]


def _group_supervision(programme):
    from ettervern.peers.models import GroupSupervision

    return GroupSupervision.objects.get_or_create(
        organisation=programme.organisation,
        programme=programme,
        theme="Grenser",
        defaults={"held_on": dt.date(2026, 1, 10)},
    )[0]


COORDINATOR_ONLY = frozenset({"coordinator"})

OBJECTS = {
    "peer_id": AccessObject(
        foreign=lambda p: p.peer_b.pk,
        local=lambda p: p.peer.pk,
        entitled=frozenset({"coordinator", "peer_user"}),
    ),
    "candidate_id": AccessObject(
        foreign=lambda p: _candidate(p.programme_b).pk,
        local=lambda p: _candidate(p.programme_a).pk,
        entitled=COORDINATOR_ONLY,
    ),
    "course_id": AccessObject(
        foreign=lambda p: _course(p.programme_b).pk,
        local=lambda p: _course(p.programme_a).pk,
        entitled=COORDINATOR_ONLY,
    ),
    "group_supervision_id": AccessObject(
        foreign=lambda p: _group_supervision(p.programme_b).pk,
        local=lambda p: _group_supervision(p.programme_a).pk,
        entitled=COORDINATOR_ONLY,
    ),
}
