import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ettervern.audit.models import AuditEvent
from ettervern.employment import services
from ettervern.employment.models import (
    AgreementVersion,
    Confirmation,
    Meeting,
    Party,
    Placement,
)
from ettervern.employment.tests.factories import AGREEMENT, _company, _placement
from ettervern.participants.models import Consent
from ettervern.web.tests.home import home_page

TODAY = timezone.localdate()


def body(response) -> str:
    return response.content.decode()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- companies ---------------------------------------------------------------------------------


def test_company_list_shows_open_capacity_with_a_fixed_number_of_queries(client, personas, job):
    client.force_login(personas.coordinator)
    first = count_queries(client, "/arbeid/bedrifter/")
    for n in range(3):
        _company(personas.programme_a, f"Ekstra {n} AS", "other")
    assert count_queries(client, "/arbeid/bedrifter/") == first
    text = body(client.get("/arbeid/bedrifter/"))
    assert "Veisikring AS" in text and "Lager B AS" not in text
    assert "2 plasser" in text  # 3 places, 1 in work


def test_coordinator_adds_company_contact_and_intent(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        "/arbeid/bedrifter/ny/",
        {"name": "Salg AS", "industry": "warehouse_sales", "programme": personas.programme_a.pk},
    )
    assert response.status_code == 302
    company_url = response["Location"]
    company_id = int(company_url.rstrip("/").rsplit("/", 1)[1])
    response = client.post(
        f"/arbeid/bedrifter/{company_id}/intensjonsavtaler/ny/",
        {"valid_from": "2026-03-01", "valid_to": "2026-01-01", "places": 2},
    )
    assert response.status_code == 200
    assert "kan ikke slutte før den begynner" in body(response)
    response = client.post(
        f"/arbeid/bedrifter/{company_id}/intensjonsavtaler/ny/",
        {"valid_from": "2026-01-01", "places": 2, "kinds_of_work": "Lager"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/arbeid/bedrifter/{company_id}/kontaktpersoner/ny/",
        {"name": "Siri Salg", "email": "siri@salg.test"},
    )
    assert response.status_code == 302
    assert "Siri Salg" in body(client.get(company_url))


def test_peer_worker_may_not_add_companies(client, personas, job):
    client.force_login(personas.peer_user)
    assert client.get("/arbeid/bedrifter/ny/").status_code == 404
    assert client.get(f"/arbeid/bedrifter/{job.company.pk}/").status_code == 200
    url = f"/arbeid/bedrifter/{job.company.pk}/kontaktpersoner/ny/"
    assert client.post(url, {"name": "X"}).status_code == 404


def test_coordinator_gives_a_contact_person_a_login(client, personas, job):
    client.force_login(personas.coordinator)
    response = client.post(f"/arbeid/kontaktpersoner/{job.other_contact.pk}/innlogging/")
    assert response.status_code == 302
    job.other_contact.refresh_from_db()
    assert job.other_contact.user.email == job.other_contact.email
    assert (
        client.get(f"/arbeid/kontaktpersoner/{job.other_contact.pk}/innlogging/").status_code == 405
    )


def test_company_of_another_organisation_is_404(client, personas, job):
    client.force_login(personas.coordinator)
    assert client.get(f"/arbeid/bedrifter/{job.company_b.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        action="denied", object_type="employment.company", object_id=str(job.company_b.pk)
    ).exists()


# --- placements --------------------------------------------------------------------------------


def test_placement_list_has_a_fixed_number_of_queries(client, personas, job):
    client.force_login(personas.coordinator)
    first = count_queries(client, "/arbeid/")
    for _ in range(3):
        _placement(personas.waiting, job.other_company, job.other_contact, None)
    assert count_queries(client, "/arbeid/") == first
    text = body(client.get("/arbeid/"))
    assert "Tall for jobbtiltaket" in text and "Bendik Deltaker" not in text
    assert "<dt>Aktive plasseringer</dt><dd>5</dd>" in text


def test_peer_registers_a_placement_for_a_matched_participant(client, personas, job):
    Placement.objects.filter(participant=personas.participant).delete()
    client.force_login(personas.peer_user)
    url = f"/arbeid/deltaker/{personas.participant.pk}/ny/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "company": job.company.pk,
            "contact_person": job.contact.pk,
            "kind": "employment",
            "started_on": TODAY.isoformat(),
            "position_percent": 60,
            "intensified_days": 7,
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(participant=personas.participant)
    assert response["Location"] == f"/arbeid/{placement.pk}/avtale/"
    assert placement.advisor == personas.peer


def test_placement_without_consent_is_refused_with_a_clear_message(client, personas, job):
    Consent.objects.filter(participant=personas.waiting).update(withdrawn_at=timezone.now())
    client.force_login(personas.coordinator)
    response = client.post(
        f"/arbeid/deltaker/{personas.waiting.pk}/ny/",
        {
            "company": job.company.pk,
            "contact_person": job.contact.pk,
            "kind": "employment",
            "started_on": TODAY.isoformat(),
            "position_percent": 100,
            "intensified_days": 7,
        },
    )
    assert response.status_code == 400
    assert "ikke samtykket til oppfølging" in body(response)
    assert not Placement.objects.filter(participant=personas.waiting, company=job.company).exists()


def test_placement_create_refuses_wrong_method_roles_and_other_orgs(client, personas, job):
    client.force_login(personas.participant_user)
    assert client.get(f"/arbeid/deltaker/{personas.participant.pk}/ny/").status_code == 404
    client.force_login(personas.other_peer_user)
    assert client.get(f"/arbeid/deltaker/{personas.participant.pk}/ny/").status_code == 404
    client.force_login(personas.coordinator)
    assert client.put(f"/arbeid/deltaker/{personas.participant.pk}/ny/").status_code == 405
    assert client.get(f"/arbeid/deltaker/{personas.participant_b.pk}/ny/").status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "peer_user", "participant_user", "employer"])
def test_parties_open_the_placement(client, personas, job, persona):
    client.force_login(personas.user(persona))
    response = client.get(f"/arbeid/{job.placement.pk}/")
    assert response.status_code == 200
    assert "Trekantavtale" in body(response)


def test_employer_opening_another_companys_agreement_is_404_and_audited(client, personas, job):
    client.force_login(personas.employer)
    for url in (
        f"/arbeid/{job.other_placement.pk}/",
        f"/arbeid/{job.other_placement.pk}/avtale/utskrift/",
        f"/arbeid/{job.placement_b.pk}/",
    ):
        assert client.get(url).status_code == 404
    denied = AuditEvent.objects.filter(
        action="denied", actor=personas.employer, object_type="employment.placement"
    )
    assert denied.count() == 3


def test_employer_and_participant_may_not_change_the_agreement(client, personas, job):
    for persona in ("employer", "participant_user"):
        client.force_login(personas.user(persona))
        url = f"/arbeid/{job.placement.pk}/avtale/"
        assert client.get(url).status_code == 404
        assert client.post(url, AGREEMENT).status_code == 404
        assert client.post(f"/arbeid/{job.placement.pk}/avslutt/", {}).status_code == 404
    assert AgreementVersion.objects.filter(placement=job.placement).count() == 1


# --- agreement ---------------------------------------------------------------------------------


def test_change_resets_confirmations_and_outdated_confirm_is_refused(client, personas, job):
    client.force_login(personas.employer)
    url = f"/arbeid/{job.placement.pk}/avtale/bekreft/"
    assert client.get(url).status_code == 405
    client.post(url, {"number": 1})
    assert Confirmation.objects.filter(party="employer", version__number=1).exists()

    client.force_login(personas.peer_user)
    response = client.post(
        f"/arbeid/{job.placement.pk}/avtale/", {**AGREEMENT, "end_criteria": "Nytt kriterium"}
    )
    assert response.status_code == 302
    text = body(client.get(f"/arbeid/{job.placement.pk}/"))
    assert "Versjon 2" in text and "Ikke gjeldende" in text

    client.force_login(personas.employer)
    response = client.post(url, {"number": 1}, follow=True)
    assert "endret siden du åpnet den" in body(response)
    assert not Confirmation.objects.filter(version__number=2).exists()


def test_on_behalf_confirmation_needs_a_reason_and_shows_it(client, personas, job):
    client.force_login(personas.peer_user)
    url = f"/arbeid/{job.placement.pk}/avtale/bekreft-for/"
    response = client.post(url, {"number": 1, "party": "participant", "reason": ""}, follow=True)
    assert "ble ikke registrert" in body(response)
    assert not Confirmation.objects.exists()
    client.post(url, {"number": 1, "party": "participant", "reason": "Signerte på papir"})
    text = body(client.get(f"/arbeid/{job.placement.pk}/"))
    assert "Signerte på papir" in text and "Per Likeperson" in text


def test_print_view_shows_the_signed_version_with_names_and_times(client, personas, job):
    client.force_login(personas.participant_user)
    assert "Ingen versjon av avtalen" in body(
        client.get(f"/arbeid/{job.placement.pk}/avtale/utskrift/")
    )
    for actor, party in (
        (personas.participant_user, Party.PARTICIPANT),
        (personas.employer, Party.EMPLOYER),
        (personas.peer_user, Party.ADVISOR),
    ):
        services.agreement_confirm(actor=actor, placement=job.placement, number=1, party=party)
    text = body(client.get(f"/arbeid/{job.placement.pk}/avtale/utskrift/"))
    assert "print.css" in text
    for name in ("Dag Deltaker", "Employer A", "Per Likeperson"):
        assert name in text
    confirmations = Confirmation.objects.filter(version__placement=job.placement)
    assert confirmations.count() == 3
    for confirmation in confirmations:
        # The time it was confirmed, not the time the assertion runs (they differ at midnight).
        assert f"{timezone.localtime(confirmation.confirmed_at):%d.%m.%Y %H:%M}" in text


# --- meetings, relapse, end --------------------------------------------------------------------


def test_meeting_before_start_is_refused_and_recording_works(client, personas, job):
    client.force_login(personas.peer_user)
    before = (job.placement.started_on - dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"/arbeid/{job.placement.pk}/moter/ny/", {"scheduled_for": before}, follow=True
    )
    assert "kan ikke være før plasseringen starter" in body(response)
    assert Meeting.objects.filter(placement=job.placement).count() == 1
    url = f"/arbeid/moter/{job.meeting.pk}/referat/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "held", "held_on": TODAY.isoformat()})
    assert response.status_code == 400 and "Velg oppfylt" in body(response)
    response = client.post(
        url,
        {
            "status": "held",
            "held_on": TODAY.isoformat(),
            "participant_attended": "on",
            "criterion_0": "met",
            "criterion_1": "not_met",
            "employer_raised": "Bra innsats",
        },
    )
    assert response.status_code == 302
    text = body(client.get(f"/arbeid/moter/{job.meeting.pk}/"))
    assert "Bra innsats" in text and "Ikke oppfylt" in text


def test_employer_sees_meeting_and_marks_own_action_done(client, personas, job):
    client.force_login(personas.employer)
    assert client.get(f"/arbeid/moter/{job.meeting.pk}/").status_code == 200
    assert client.get(f"/arbeid/moter/{job.meeting.pk}/referat/").status_code == 404
    assert client.post(f"/arbeid/tiltak/{job.action.pk}/ferdig/").status_code == 302
    job.action.refresh_from_db()
    assert job.action.done_at is not None


def test_participant_may_not_mark_the_employers_action_done(client, personas, job):
    client.force_login(personas.participant_user)
    assert client.post(f"/arbeid/tiltak/{job.action.pk}/ferdig/").status_code == 404
    job.action.refresh_from_db()
    assert job.action.done_at is None


def test_relapse_shows_the_clause_and_the_employer_sees_only_what_was_shared(client, personas, job):
    client.force_login(personas.peer_user)
    url = f"/arbeid/{job.placement.pk}/tilbakefall/"
    assert AGREEMENT["relapse_plan"] in body(client.get(url))
    client.post(
        url, {"occurred_on": TODAY.isoformat(), "note": "MARKER-RELAPSE-1", "intensified_days": 7}
    )
    client.force_login(personas.employer)
    assert (
        "Tilbakefall"
        not in body(client.get(f"/arbeid/{job.placement.pk}/")).split("Trekantmøter")[1]
    )
    AgreementVersion.objects.filter(pk=job.version.pk).update(share_relapse_with_employer=True)
    client.force_login(personas.peer_user)
    # Not yet confirmed by all three: the employer is not told, and the form says so.
    assert "ikke bekreftet av alle tre" in body(client.get(url))
    for user, party in (
        (personas.participant_user, Party.PARTICIPANT),
        (personas.employer, Party.EMPLOYER),
        (personas.peer_user, Party.ADVISOR),
    ):
        services.agreement_confirm(actor=user, placement=job.placement, number=1, party=party)
    client.post(
        url, {"occurred_on": TODAY.isoformat(), "note": "MARKER-RELAPSE-2", "intensified_days": 7}
    )
    client.force_login(personas.employer)
    text = body(client.get(f"/arbeid/{job.placement.pk}/"))
    assert "tettere oppfølging til og med" in text
    assert "MARKER" not in text


def test_employer_is_not_told_a_placement_ended_by_relapse_unless_it_was_shared(
    client, personas, job
):
    services.placement_end(
        actor=personas.peer_user, placement=job.placement, ended_on=TODAY, reason="relapse"
    )
    urls = ("/arbeid/", f"/arbeid/{job.placement.pk}/")
    client.force_login(personas.employer)
    for url in urls:
        text = body(client.get(url))
        assert "Avsluttet</span>" in text and "Tilbakefall</span>" not in text, url
    client.force_login(personas.peer_user)
    for url in urls:
        assert "Tilbakefall</span>" in body(client.get(url)), url


def test_a_start_far_in_the_future_is_a_form_error_not_a_server_error(client, personas, job):
    client.force_login(personas.peer_user)
    response = client.post(
        f"/arbeid/deltaker/{personas.participant.pk}/ny/",
        {
            "company": job.company.pk,
            "contact_person": job.contact.pk,
            "kind": "employment",
            "started_on": "9999-12-30",
            "position_percent": 50,
            "intensified_days": 7,
        },
    )
    assert response.status_code == 400 and "ett år" in body(response)
    assert Placement.objects.filter(participant=personas.participant).count() == 1


def test_ending_the_placement_keeps_the_follow_up(client, personas, job):
    client.force_login(personas.peer_user)
    url = f"/arbeid/{job.placement.pk}/avslutt/"
    early = (job.placement.started_on - dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"ended_on": early, "reason": "completed"})
    assert response.status_code == 400 and "kan ikke slutte før den startet" in body(response)
    response = client.post(
        url, {"ended_on": TODAY.isoformat(), "reason": "by_employer"}, follow=True
    )
    assert "Oppfølgingen av deltakeren fortsetter" in body(response)
    personas.match.refresh_from_db()
    assert personas.match.status == "active"


# --- home and participant page -----------------------------------------------------------------


def test_home_pages_show_what_needs_attention(client, personas, job):
    personas.programme_a.kind = "job"
    personas.programme_a.save()
    start = TODAY - dt.timedelta(days=40)
    Placement.objects.filter(pk=job.placement.pk).update(started_on=start)
    Meeting.objects.filter(pk=job.meeting.pk).update(status="held", held_on=start)
    client.force_login(personas.employer)
    text = body(home_page(client))
    assert "Avtalen venter på din bekreftelse" in text
    assert "Trekantmøte forfalt" in text
    assert "Skaffe vernesko" in text  # the employer's own open action
    client.force_login(personas.coordinator)
    text = body(home_page(client))
    assert "Trekantmøte forfalt" in text
    assert "<dt>Aktive plasseringer</dt><dd>2</dd>" in text
    client.force_login(personas.peer_user)
    Placement.objects.filter(pk=job.placement.pk).update(
        started_on=TODAY - dt.timedelta(days=1), intensified_until=TODAY + dt.timedelta(days=5)
    )
    assert "uten registrert kontakt" in body(home_page(client))


def test_participant_page_lists_placements(client, personas, job):
    client.force_login(personas.peer_user)
    text = body(client.get(f"/deltakere/{personas.participant.pk}/"))
    assert "Veisikring AS" in text and "Ny plassering" in text
    client.force_login(personas.participant_user)
    text = body(client.get(f"/deltakere/{personas.participant.pk}/"))
    assert "Veisikring AS" in text and "Ny plassering" not in text


def test_participant_page_offers_a_placement_only_in_a_job_programme(client, personas):
    client.force_login(personas.coordinator)
    url = f"/deltakere/{personas.waiting.pk}/"
    assert "Ny plassering" not in body(client.get(url))
    personas.programme_a.kind = "job"
    personas.programme_a.save()
    assert "Ny plassering" in body(client.get(url))


def test_print_view_says_when_a_newer_version_waits(client, personas, job):
    from ettervern.employment.tests.test_services import confirm_all

    confirm_all(job, personas)
    services.agreement_save(
        actor=personas.peer_user, placement=job.placement, fields={**AGREEMENT, "follow_up": "Ny"}
    )
    client.force_login(personas.employer)
    text = body(client.get(f"/arbeid/{job.placement.pk}/avtale/utskrift/"))
    assert "Versjon 2 av avtalen venter på bekreftelser" in text
    assert AGREEMENT["follow_up"] in text


def test_advisor_changes_the_placement_and_the_audit_names_the_fields(client, personas, job):
    client.force_login(personas.peer_user)
    url = f"/arbeid/{job.placement.pk}/endre/"
    assert client.get(url).status_code == 200
    data = {"contact_person": job.contact.pk, "position_percent": 101, "tasks": "Nye oppgaver"}
    response = client.post(url, data)
    assert response.status_code == 400 and "mellom 1 og 100" in body(response)
    response = client.post(url, {**data, "position_percent": 50})
    assert response.status_code == 302
    job.placement.refresh_from_db()
    assert (job.placement.position_percent, job.placement.tasks) == (50, "Nye oppgaver")
    event = AuditEvent.objects.filter(data__event="placement_changed").get()
    assert event.data["fields"] == ["position_percent", "tasks"]
    client.force_login(personas.employer)
    assert client.post(url, {**data, "position_percent": 10}).status_code == 404


def test_a_deactivated_contact_person_sees_no_agreements(client, personas, job):
    client.force_login(personas.coordinator)
    url = f"/arbeid/kontaktpersoner/{job.contact.pk}/deaktiver/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    client.force_login(personas.employer)
    assert client.get(f"/arbeid/{job.placement.pk}/").status_code == 404


def test_a_login_is_never_given_to_a_user_of_another_organisation(client, personas, job):
    job.other_contact.email = personas.coordinator_b.email
    job.other_contact.save()
    client.force_login(personas.coordinator)
    response = client.post(
        f"/arbeid/kontaktpersoner/{job.other_contact.pk}/innlogging/", follow=True
    )
    assert "E-postadressen kan ikke brukes her" in body(response)
    assert "organisasjon" not in body(response).split('class="messages"')[1].split("</div>")[0]
    job.other_contact.refresh_from_db()
    assert job.other_contact.user_id is None


def test_employer_sees_only_placements_where_they_are_the_named_contact(client, personas, job):
    """Two contact persons at one company: each is a party only to their own placements."""
    from conftest import make_participant, make_user
    from ettervern.accounts.models import Membership, Role
    from ettervern.employment.models import ContactPerson
    from ettervern.employment.tests.factories import _placement

    colleague_user = make_user("kollega@veisikring.test", "Kari Kollega")
    Membership.objects.create(
        user=colleague_user,
        organisation=personas.org_a,
        programme=personas.programme_a,
        role=Role.EMPLOYER_CONTACT,
    )
    colleague = ContactPerson.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        company=job.company,
        name="Kari Kollega",
        email="kollega@veisikring.test",
        user=colleague_user,
    )
    someone = make_participant(personas.programme_a, "Sander Sidemann")
    theirs, *_ = _placement(someone, job.company, colleague, None)
    client.force_login(personas.employer)
    assert client.get(f"/arbeid/{theirs.pk}/").status_code == 404
    assert client.get(f"/arbeid/{job.placement.pk}/").status_code == 200
    client.force_login(colleague_user)
    assert client.get(f"/arbeid/{theirs.pk}/").status_code == 200
    assert client.get(f"/arbeid/{job.placement.pk}/").status_code == 404
