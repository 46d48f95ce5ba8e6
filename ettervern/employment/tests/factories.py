"""Job-programme objects for the personas: built once per test and cached on ``personas``.

The URL walker only has ``personas``, so the access table builds these lazily through ``jobs``.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ettervern.employment.models import (
    AgreementVersion,
    Company,
    ContactPerson,
    IntentAgreement,
    Meeting,
    MeetingAction,
    Placement,
)

AGREEMENT = {
    "participant_expectations": "Å lære faget og møte presis",
    "employer_expectations": "Oppmøte kl. 07 og beskjed ved fravær",
    "advisor_expectations": "Åpenhet om hvordan det går",
    "follow_up": "Telefon hver morgen første uke, skyss til jobb, så ukentlig",
    "meeting_interval_days": 30,
    "continue_criteria": "Møter opp til avtalt tid\nGir beskjed ved fravær",
    "end_criteria": "Gjentatt fravær uten beskjed",
    "relapse_plan": "Veileder tar kontakt samme dag; tettere oppfølging",
    "who_to_call": "Veileder på dagtid, vakttelefon kveld og helg",
    "share_relapse_with_employer": False,
}


@dataclass
class Jobs:
    company: Company
    contact: ContactPerson
    other_company: Company
    other_contact: ContactPerson
    placement: Placement
    other_placement: Placement
    version: AgreementVersion
    meeting: Meeting
    action: MeetingAction
    company_b: Company
    contact_b: ContactPerson
    placement_b: Placement
    meeting_b: Meeting
    action_b: MeetingAction


def _company(programme, name: str, industry: str, contact_user=None):
    scope = {"organisation": programme.organisation, "programme": programme}
    company = Company.objects.create(name=name, industry=industry, **scope)
    contact = ContactPerson.objects.create(
        company=company,
        name=f"Kontakt {name}",
        email=f"kontakt@{industry}.test",
        user=contact_user,
        **scope,
    )
    IntentAgreement.objects.create(
        company=company, valid_from=dt.date(2026, 1, 1), places=3, **scope
    )
    return company, contact


def _placement(participant, company, contact, advisor, version=True):
    scope = {"organisation": participant.organisation, "programme": participant.programme}
    start = timezone.localdate() - dt.timedelta(days=10)
    placement = Placement.objects.create(
        participant=participant,
        company=company,
        contact_person=contact,
        advisor=advisor,
        kind=Placement.Kind.EMPLOYMENT,
        started_on=start,
        position_percent=80,
        tasks="Skilting og sikring",
        intensified_until=start + dt.timedelta(days=6),
        **scope,
    )
    v = AgreementVersion.objects.create(placement=placement, number=1, **AGREEMENT, **scope)
    meeting = Meeting.objects.create(placement=placement, version=v, scheduled_for=start, **scope)
    action = MeetingAction.objects.create(
        meeting=meeting,
        placement=placement,
        description="Skaffe vernesko",
        owner="employer",
        **scope,
    )
    return placement, v, meeting, action


def jobs(p) -> Jobs:
    cached = getattr(p, "_jobs", None)
    if cached is not None:
        return cached
    company, contact = _company(p.programme_a, "Veisikring AS", "road_safety", p.employer)
    other_company, other_contact = _company(p.programme_a, "Bygg AS", "construction")
    placement, version, meeting, action = _placement(p.participant, company, contact, p.peer)
    other_placement, *_ = _placement(p.waiting, other_company, other_contact, None)
    company_b, contact_b = _company(p.programme_b, "Lager B AS", "warehouse_sales")
    placement_b, _v, meeting_b, action_b = _placement(
        p.participant_b, company_b, contact_b, p.peer_b
    )
    p._jobs = Jobs(
        company=company,
        contact=contact,
        other_company=other_company,
        other_contact=other_contact,
        placement=placement,
        other_placement=other_placement,
        version=version,
        meeting=meeting,
        action=action,
        company_b=company_b,
        contact_b=contact_b,
        placement_b=placement_b,
        meeting_b=meeting_b,
        action_b=action_b,
    )
    return p._jobs
