"""A create form sent twice (a double tap, a resend after a timeout) stores one object.

Every create form carries a hidden ``submission_key`` (``ettervern.lib.forms.SubmissionKeyMixin``)
and every create service is wrapped by ``ettervern.audit.submissions.once_per_submission``.
"""

import uuid

import pytest
from django.utils import timezone

from ettervern.audit.models import Submission
from ettervern.employment.models import (
    Company,
    ContactPerson,
    IntentAgreement,
    Meeting,
    MeetingAction,
    Placement,
    RelapseEvent,
)
from ettervern.employment.tests.factories import jobs
from ettervern.peers.models import (
    Candidate,
    CheckIn,
    Course,
    CourseSession,
    GroupSupervision,
    Supervision,
)


def _forms(personas, job) -> list[tuple[str, str, str, dict, type]]:
    """(name, persona, url, data, model) for every create form."""
    today = timezone.localdate().isoformat()
    programme = personas.programme_a.pk
    peer, participant = personas.peer, personas.participant
    course = Course.objects.create(
        organisation=personas.org_a, programme=personas.programme_a, name="Kurs", starts_on=today
    )
    return [
        (
            "check-in",
            "peer_user",
            f"/likepersoner/{peer.pk}/innsjekk/",
            {"workload": "right", "boundaries": "3", "own_recovery": "2"},
            CheckIn,
        ),
        (
            "supervision",
            "coordinator",
            f"/likepersoner/{peer.pk}/veiledning/",
            {"held_on": today, "topics": []},
            Supervision,
        ),
        (
            "group supervision",
            "coordinator",
            "/likepersoner/fellesveiledning/",
            {"programme": programme, "held_on": today, "theme": "Grenser"},
            GroupSupervision,
        ),
        (
            "candidate",
            "coordinator",
            "/likepersoner/kandidater/",
            {"programme": programme, "name": "Kari Kandidat", "heard_via": "nav"},
            Candidate,
        ),
        (
            "course",
            "coordinator",
            "/likepersoner/kurs/ny/",
            {"course-programme": programme, "course-name": "Vårkurs", "course-starts_on": today},
            Course,
        ),
        (
            "course session",
            "coordinator",
            f"/likepersoner/kurs/{course.pk}/samling/",
            {"held_on": today, "starts_at": "10:00", "ends_at": "12:00", "topic": "Roller"},
            CourseSession,
        ),
        (
            "meeting",
            "peer_user",
            f"/arbeid/{job.placement.pk}/moter/ny/",
            {"scheduled_for": today},
            Meeting,
        ),
        (
            "relapse",
            "peer_user",
            f"/arbeid/{job.placement.pk}/tilbakefall/",
            {"occurred_on": today, "intensified_days": "7"},
            RelapseEvent,
        ),
        (
            "meeting action",
            "peer_user",
            f"/arbeid/moter/{job.meeting.pk}/tiltak/",
            {"description": "Ringe NAV", "owner": "advisor"},
            MeetingAction,
        ),
        (
            "placement",
            "peer_user",
            f"/arbeid/deltaker/{participant.pk}/ny/",
            {
                "company": job.company.pk,
                "contact_person": job.contact.pk,
                "kind": "employment",
                "started_on": today,
                "position_percent": "50",
                "intensified_days": "7",
            },
            Placement,
        ),
        (
            "company",
            "coordinator",
            "/arbeid/bedrifter/ny/",
            {"programme": programme, "name": "Fisk AS", "industry": "construction"},
            Company,
        ),
        (
            "contact person",
            "coordinator",
            f"/arbeid/bedrifter/{job.company.pk}/kontaktpersoner/ny/",
            {"name": "Per Kontakt"},
            ContactPerson,
        ),
        (
            "intent agreement",
            "coordinator",
            f"/arbeid/bedrifter/{job.company.pk}/intensjonsavtaler/ny/",
            {"valid_from": today, "places": "2"},
            IntentAgreement,
        ),
    ]


FORM_NAMES = [
    "check-in",
    "supervision",
    "group supervision",
    "candidate",
    "course",
    "course session",
    "meeting",
    "relapse",
    "meeting action",
    "placement",
    "company",
    "contact person",
    "intent agreement",
]


@pytest.mark.parametrize("name", FORM_NAMES)
def test_a_create_form_sent_twice_stores_one_object(client, personas, name):
    job = jobs(personas)
    forms = {f[0]: f for f in _forms(personas, job)}
    assert sorted(forms) == sorted(FORM_NAMES)
    _name, persona, url, data, model = forms[name]
    client.force_login(personas.user(persona))
    key = str(uuid.uuid4())
    prefix = "course-" if name == "course" else ""
    before = model.objects.count()
    for _ in range(2):
        response = client.post(url, {**data, f"{prefix}submission_key": key})
        assert response.status_code == 302, response.content.decode()[-3000:]
    assert model.objects.count() == before + 1
    assert Submission.objects.filter(key=key).count() == 1


def test_a_key_used_by_someone_else_is_refused_not_reused(client, personas):
    job = jobs(personas)
    *_, url, data, _model = next(f for f in _forms(personas, job) if f[0] == "company")
    key = str(uuid.uuid4())
    client.force_login(personas.coordinator)
    assert client.post(url, {**data, "submission_key": key}).status_code == 302
    client.force_login(personas.coordinator_b)
    data_b = {**data, "programme": personas.programme_b.pk}
    response = client.post(url, {**data_b, "submission_key": key})
    assert response.status_code == 400
    assert "allerede brukt" in response.content.decode()
    assert Company.objects.filter(name="Fisk AS").count() == 1


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("peer_user", "/likepersoner/{peer}/innsjekk/"),
        ("coordinator", "/likepersoner/{peer}/veiledning/"),
        ("coordinator", "/likepersoner/fellesveiledning/"),
        ("coordinator", "/likepersoner/kandidater/"),
        ("peer_user", "/arbeid/{placement}/"),
        ("peer_user", "/arbeid/{placement}/tilbakefall/"),
        ("peer_user", "/arbeid/moter/{meeting}/"),
        ("peer_user", "/arbeid/deltaker/{participant}/ny/"),
        ("coordinator", "/arbeid/bedrifter/ny/"),
        ("coordinator", "/arbeid/bedrifter/{company}/kontaktpersoner/ny/"),
        ("coordinator", "/arbeid/bedrifter/{company}/intensjonsavtaler/ny/"),
    ],
)
def test_create_forms_carry_the_hidden_key(client, personas, persona, url):
    job = jobs(personas)
    ids = {
        "peer": personas.peer.pk,
        "placement": job.placement.pk,
        "meeting": job.meeting.pk,
        "participant": personas.participant.pk,
        "company": job.company.pk,
    }
    client.force_login(personas.user(persona))
    response = client.get(url.format(**ids))
    assert response.status_code == 200
    assert 'type="hidden" name="submission_key"' in response.content.decode()
