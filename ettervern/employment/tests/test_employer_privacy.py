"""The employer contact sees the agreement, meetings and actions, and nothing else: every
sensitive field of the participant, their goals, contacts, history and relapse notes carries a
marker string, and no page the employer can open may show one."""

import re

from django.db import models
from django.urls import get_resolver
from django.utils import timezone

from ettervern.employment import services
from ettervern.employment.models import Party
from ettervern.followup.models import Contact
from ettervern.participants.models import Goal, Participant, PeerWish, StatusChange
from ettervern.peers.models import PeerWorker

KWARG = re.compile(r"<id:(\w+)>")


def _mark(obj, prefix: str, skip: tuple[str, ...] = ()) -> None:
    """Put a marker in every free-text and list field of ``obj``."""
    for field in obj._meta.concrete_fields:
        if field.name in skip or field.choices or field.primary_key:
            continue
        if isinstance(field, models.CharField | models.TextField):
            setattr(obj, field.attname, f"MARKER-{prefix}-{field.name}"[: field.max_length or 200])
        elif isinstance(field, models.JSONField):
            setattr(obj, field.attname, [f"MARKER-{prefix}-{field.name}"])
    obj.save()


def _mark_everything(personas, job):
    scope = {"organisation": personas.org_a, "programme": personas.programme_a}
    participant = personas.participant
    _mark(participant, "PARTICIPANT", skip=("name",))
    goal = Goal.objects.create(
        participant=participant, life_area="health", description="MARKER-HEALTH-GOAL", **scope
    )
    job.placement.goals.add(goal)
    PeerWish.objects.create(participant=participant, kind="gender", value="MARKER-WISH", **scope)
    StatusChange.objects.create(
        participant=participant,
        to_status="matched",
        at=timezone.now(),
        reason="MARKER-CRIME",
        **scope,
    )
    Contact.objects.create(
        match=personas.match,
        participant=participant,
        peer=personas.peer,
        kind="phone",
        note="MARKER-CONTACT-NOTE",
        **scope,
    )
    _mark(PeerWorker.objects.get(pk=personas.peer.pk), "PEER")
    job.version.share_relapse_with_employer = True
    job.version.save()
    services.relapse_record(
        actor=personas.peer_user,
        placement=job.placement,
        occurred_on=timezone.localdate(),
        note="MARKER-RELAPSE-NOTE",
    )
    for actor, party in (
        (personas.participant_user, Party.PARTICIPANT),
        (personas.employer, Party.EMPLOYER),
        (personas.peer_user, Party.ADVISOR),
    ):
        services.agreement_confirm(actor=actor, placement=job.placement, number=1, party=party)


def _employment_urls(personas, job) -> list[str]:
    ids = {
        "placement_id": job.placement.pk,
        "meeting_id": job.meeting.pk,
        "action_id": job.action.pk,
        "company_id": job.company.pk,
        "contact_person_id": job.contact.pk,
        "participant_id": personas.participant.pk,
    }
    urls = ["/", f"/deltakere/{personas.participant.pk}/", "/deltakere/", "/logg/"]
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if str(pattern.pattern) != "arbeid/":
            continue
        for sub in pattern.url_patterns:
            route = "/arbeid/" + str(sub.pattern)
            urls.append(KWARG.sub(lambda m: str(ids[m.group(1)]), route))
    return urls


def test_employer_sees_no_health_or_criminal_history_on_any_page(client, personas, job):
    _mark_everything(personas, job)
    assert Participant.objects.get(pk=personas.participant.pk).phone.startswith("MARKER")
    client.force_login(personas.employer)
    seen = 0
    for url in _employment_urls(personas, job):
        response = client.get(url, follow=True)
        if response.status_code == 200:
            seen += 1
            assert "MARKER" not in response.content.decode(), url
    assert seen >= 5  # home, list, placement, print, meeting

    # The same pages do show the markers to the advisor: the test can fail.
    client.force_login(personas.peer_user)
    text = client.get(f"/arbeid/{job.placement.pk}/").content.decode()
    assert "MARKER-HEALTH-GOAL" in text and "MARKER-RELAPSE-NOTE" in text
