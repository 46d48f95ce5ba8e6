"""The participant's timeline tells a real story in the right words, each app its own rows.

Released from prison, housed step by step, hired with a triangle agreement, a relapse, the job
lost, and a home of their own: every step made through the services, on fixed dates.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.utils import translation

from ettervern.employment import services as work
from ettervern.employment.tests.factories import AGREEMENT
from ettervern.matching.services import match_create
from ettervern.participants import services
from ettervern.participants.models import Consent
from ettervern.participants.selectors import timeline

OSLO = ZoneInfo("Europe/Oslo")


def on(day: str):
    """Travel to 10:00 Oslo time on ``day`` (the clock keeps ticking from there)."""
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=OSLO))


def test_the_timeline_tells_release_housing_job_relapse_and_job_loss(personas):
    coordinator, advisor = personas.coordinator, personas.other_peer_user
    programme = personas.programme_a
    with on("2027-01-04"):
        participant = services.referral_create(
            actor=coordinator,
            programme=programme,
            name="Stian Historie",
            source="prison",
            wants_help_with="Bolig og jobb",
            transition="release",
            transition_date=dt.date(2027, 1, 15),
            housing_stage="prison",
        ).participant
        services.consent_give(
            actor=coordinator,
            participant=participant,
            purpose=Consent.Purpose.FOLLOW_UP,
            method=Consent.Method.WRITTEN,
            text_version="2026-1",
        )
        for step in ("intake", "waiting"):
            services.participant_set_status(actor=coordinator, participant=participant, to=step)
        match_create(actor=coordinator, participant=participant, peer=personas.other_peer)
    for day, stage in (("2027-01-15", "training_housing"), ("2027-03-01", "pilot_flat")):
        with on(day):
            services.participant_update_details(
                actor=coordinator, participant=participant, changes={"housing_stage": stage}
            )
    with on("2027-03-15"):
        company = work.company_create(
            actor=coordinator, programme=programme, name="Veisikring AS", industry="road_safety"
        )
        contact = work.contact_person_add(
            actor=coordinator, company=company, name="Eva Arbeidsgiver", user=personas.employer
        )
        placement = work.placement_create(
            actor=advisor,
            participant=participant,
            company=company,
            contact_person=contact,
            kind="employment",
            started_on=dt.date(2027, 3, 15),
        )
        work.agreement_save(actor=advisor, placement=placement, fields=AGREEMENT)
        work.agreement_confirm(actor=advisor, placement=placement, number=1, party="advisor")
        work.agreement_confirm(
            actor=personas.employer, placement=placement, number=1, party="employer"
        )
    with on("2027-04-10"):
        work.relapse_record(actor=advisor, placement=placement, occurred_on=dt.date(2027, 4, 10))
    with on("2027-04-20"):
        work.placement_end(
            actor=coordinator,
            placement=placement,
            ended_on=dt.date(2027, 4, 20),
            reason="by_employer",
        )
    with on("2027-05-01"):
        services.participant_update_details(
            actor=coordinator, participant=participant, changes={"housing_stage": "own_home"}
        )

    with translation.override("nb"):
        told = [row["text"] for row in reversed(timeline(participant))]
    story = [
        "Registrert",
        "Henvisning mottatt (løslatelse 15.01.2027)",
        "Samtykke gitt: Oppfølging fra tjenesten",
        "Status: Henvist → Inntak",
        "Status: Inntak → Venter",
        "Status: Venter → Koblet",
        "Koblet med en likeperson fra 04.01.2027",
        "Bolig: Soning → Treningsbolig",
        "Bolig: Treningsbolig → Pilotleilighet",
        "Ansettelse startet 15.03.2027",
        "Trekantavtale, versjon 1",
        "Trekantavtale versjon 1 bekreftet av veilederen",
        "Trekantavtale versjon 1 bekreftet av arbeidsgiveren",
        "Tilbakefall 10.04.2027; tettere oppfølging til 16.04.2027",
        "Jobben avsluttet 20.04.2027 (Avsluttet av arbeidsgiver)",
        "Bolig: Pilotleilighet → Egen bolig",
    ]
    assert told == story
    # The relapse's note and the agreement's texts never reach the audit log.
    assert not any("Åpenhet" in line or "presis" in line for line in told)


def test_each_app_renders_its_own_rows(personas):
    rows = timeline(personas.participant)
    assert {row["app"] for row in rows} >= {"participants", "matching"}
