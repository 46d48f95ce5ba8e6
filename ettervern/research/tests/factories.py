"""Research objects for the personas, built once per test and cached on ``personas`` (the URL
walker only has ``personas``)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from conftest import make_participant, make_user, member
from ettervern.accounts.models import Role
from ettervern.participants import services as participant_services
from ettervern.participants.models import Consent
from ettervern.research import services
from ettervern.research.models import ResearchProject


@dataclass
class Research:
    project: ResearchProject
    project_b: ResearchProject


def make_project(admin, programme, researcher_membership, *, approve=True, **fields):
    today = timezone.localdate()
    project = services.project_create(
        actor=admin,
        organisation=programme.organisation,
        title=fields.get("title", "Likepersoner og tilbakefall"),
        purpose="Hvordan oppfølging av likepersoner henger sammen med tilbakefall.",
        approval_reference=fields.get("approval_reference", "REK 123456"),
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=365),
        programmes=[programme],
        researchers=[researcher_membership],
    )
    if approve:
        project = services.project_approve(actor=admin, project=project)
    return project


def research_consent(participant, *, given_at=None):
    return participant_services.consent_give(
        actor=None,
        participant=participant,
        purpose=Consent.Purpose.RESEARCH,
        method=Consent.Method.WRITTEN,
        text_version="forskning-1",
        given_at=given_at,
    )


def consenting(programme, n: int, *, prefix="Forsk", **fields):
    people = []
    for i in range(n):
        person = make_participant(programme, f"{prefix} Deltaker{i}", **fields)
        research_consent(person)
        people.append(person)
    return people


def research(p) -> Research:
    if getattr(p, "_research", None) is None:
        membership = p.researcher.memberships.get(programme=p.programme_a)
        admin_b = make_user("admin@b.test", "Admin B")
        member(admin_b, p.programme_b, Role.ORG_ADMIN)
        researcher_b = make_user("researcher@b.test", "Researcher B")
        membership_b = member(researcher_b, p.programme_b, Role.RESEARCHER)
        p._research = Research(
            project=make_project(p.admin, p.programme_a, membership),
            project_b=make_project(admin_b, p.programme_b, membership_b),
        )
    return p._research
