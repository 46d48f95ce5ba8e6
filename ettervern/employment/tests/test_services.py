import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from ettervern.audit.models import AuditEvent
from ettervern.employment import selectors, services
from ettervern.employment.models import (
    AgreementVersion,
    Confirmation,
    Meeting,
    Party,
    Placement,
    RelapseEvent,
)
from ettervern.employment.tests.factories import AGREEMENT
from ettervern.participants.models import Consent

TODAY = timezone.localdate()


def confirm_all(job, personas, number=1):
    services.agreement_confirm(
        actor=personas.participant_user,
        placement=job.placement,
        number=number,
        party=Party.PARTICIPANT,
    )
    services.agreement_confirm(
        actor=personas.employer, placement=job.placement, number=number, party=Party.EMPLOYER
    )
    services.agreement_confirm(
        actor=personas.peer_user, placement=job.placement, number=number, party=Party.ADVISOR
    )


def test_agreement_is_in_force_only_with_all_three_confirmations(job, personas):
    services.agreement_confirm(
        actor=personas.participant_user,
        placement=job.placement,
        number=1,
        party=Party.PARTICIPANT,
    )
    services.agreement_confirm(
        actor=personas.employer, placement=job.placement, number=1, party=Party.EMPLOYER
    )
    assert not selectors.is_in_force(selectors.current_version(job.placement))
    services.agreement_confirm(
        actor=personas.peer_user, placement=job.placement, number=1, party=Party.ADVISOR
    )
    assert selectors.is_in_force(selectors.current_version(job.placement))
    assert selectors.signed_version(job.placement).number == 1


def test_changing_the_agreement_makes_a_new_version_that_needs_all_three_again(job, personas):
    confirm_all(job, personas)
    version = services.agreement_save(
        actor=personas.peer_user,
        placement=job.placement,
        fields={**AGREEMENT, "end_criteria": "Ny tekst"},
    )
    assert version.number == 2
    current = selectors.current_version(job.placement)
    assert current.pk == version.pk and not current.confirmations.exists()
    assert not selectors.is_in_force(current)
    # The signed version stays the old one until all three confirm the new one.
    assert selectors.signed_version(job.placement).number == 1
    event = AuditEvent.objects.filter(data__event="triangle_version").latest("id")
    assert event.data["fields"] == ["end_criteria"]
    assert "Ny tekst" not in str(event.data) + event.summary


def test_saving_an_unchanged_agreement_keeps_the_version_and_its_confirmations(job, personas):
    confirm_all(job, personas)
    same = services.agreement_save(
        actor=personas.peer_user, placement=job.placement, fields=AGREEMENT
    )
    assert same.number == 1
    assert selectors.is_in_force(selectors.current_version(job.placement))


def test_confirming_an_outdated_version_is_refused(job, personas):
    services.agreement_save(
        actor=personas.peer_user,
        placement=job.placement,
        fields={**AGREEMENT, "follow_up": "Annen oppfølging"},
    )
    with pytest.raises(ValidationError, match="endret siden"):
        services.agreement_confirm(
            actor=personas.employer, placement=job.placement, number=1, party=Party.EMPLOYER
        )
    assert not Confirmation.objects.exists()


def test_confirmation_on_someones_behalf_needs_a_reason(job, personas):
    with pytest.raises(ValidationError, match="hvorfor"):
        services.agreement_confirm(
            actor=personas.peer_user,
            placement=job.placement,
            number=1,
            party=Party.EMPLOYER,
            on_behalf=True,
            reason="  ",
        )
    confirmation = services.agreement_confirm(
        actor=personas.peer_user,
        placement=job.placement,
        number=1,
        party=Party.EMPLOYER,
        on_behalf=True,
        reason="Signerte på papir i møtet",
    )
    assert confirmation.on_behalf and confirmation.party_name == job.contact.name
    assert confirmation.on_behalf_reason == "Signerte på papir i møtet"


def test_a_party_confirms_a_version_only_once(job, personas):
    services.agreement_confirm(
        actor=personas.employer, placement=job.placement, number=1, party=Party.EMPLOYER
    )
    with pytest.raises(ValidationError, match="allerede"):
        services.agreement_confirm(
            actor=personas.employer, placement=job.placement, number=1, party=Party.EMPLOYER
        )


def test_placement_needs_consent_to_follow_up(job, personas):
    Consent.objects.filter(participant=personas.waiting).update(withdrawn_at=timezone.now())
    before = Placement.objects.count()
    with pytest.raises(ValidationError, match="samtykket"):
        services.placement_create(
            actor=personas.coordinator,
            participant=personas.waiting,
            company=job.company,
            contact_person=job.contact,
            kind="employment",
            started_on=TODAY,
        )
    assert Placement.objects.count() == before


def test_placement_starts_intensified_follow_up_and_names_the_advisor(job, personas):
    Placement.objects.filter(participant=personas.participant).delete()
    placement = services.placement_create(
        actor=personas.peer_user,
        participant=personas.participant,
        company=job.company,
        contact_person=job.contact,
        kind="work_training",
        started_on=TODAY,
        intensified_days=7,
        goals=[],
    )
    assert placement.advisor == personas.peer
    assert placement.intensified_until == TODAY + dt.timedelta(days=6)
    assert AuditEvent.objects.filter(
        data__event="placement_started", participant=personas.participant
    ).exists()


def test_placement_refuses_a_contact_person_of_another_company(job, personas):
    with pytest.raises(ValidationError, match="Kontaktpersonen"):
        services.placement_create(
            actor=personas.coordinator,
            participant=personas.participant,
            company=job.company,
            contact_person=job.other_contact,
            kind="employment",
            started_on=TODAY,
        )


def test_meeting_before_the_placement_starts_is_refused(job, personas):
    before = Meeting.objects.count()
    with pytest.raises(ValidationError, match="før"):
        services.meeting_schedule(
            actor=personas.peer_user,
            placement=job.placement,
            scheduled_for=job.placement.started_on - dt.timedelta(days=1),
        )
    assert Meeting.objects.count() == before


def test_recording_a_meeting_reviews_each_criterion(job, personas):
    meeting = services.meeting_record(
        actor=personas.peer_user,
        meeting=job.meeting,
        status="held",
        held_on=TODAY,
        attended={"participant": True, "employer": True, "advisor": True},
        criteria={"Møter opp til avtalt tid": "met", "Gir beskjed ved fravær": "at_risk"},
        raised={"participant": "Trives", "employer": "Bra", "advisor": "Ok"},
    )
    assert [r["status"] for r in meeting.criteria_review] == ["met", "at_risk"]
    event = AuditEvent.objects.filter(data__event="meeting_recorded").get()
    assert "Trives" not in str(event.data)


def test_end_before_start_is_refused(job, personas):
    with pytest.raises(ValidationError, match="før"):
        services.placement_end(
            actor=personas.peer_user,
            placement=job.placement,
            ended_on=job.placement.started_on - dt.timedelta(days=1),
            reason="completed",
        )
    job.placement.refresh_from_db()
    assert job.placement.ended_on is None


def test_end_in_the_future_is_refused(job, personas):
    with pytest.raises(ValidationError, match="Sluttdatoen kan ikke være fram i tid"):
        services.placement_end(
            actor=personas.peer_user,
            placement=job.placement,
            ended_on=TODAY + dt.timedelta(days=1),
            reason="completed",
        )
    job.placement.refresh_from_db()
    job.meeting.refresh_from_db()
    assert job.placement.ended_on is None and job.meeting.status == Meeting.Status.PLANNED


def test_start_more_than_a_year_ahead_is_refused(job, personas):
    with pytest.raises(ValidationError, match="ett år"):
        services.placement_create(
            actor=personas.peer_user,
            participant=personas.participant,
            company=job.company,
            contact_person=job.contact,
            kind="employment",
            started_on=dt.date(9999, 12, 30),
        )
    assert Placement.objects.filter(participant=personas.participant).count() == 1


def test_a_held_meeting_reviews_every_criterion_and_comes_before_the_end(job, personas):
    record = dict(
        actor=personas.peer_user,
        meeting=job.meeting,
        status="held",
        attended={},
        raised={},
    )
    with pytest.raises(ValidationError, match="kriterium"):
        services.meeting_record(
            **record, held_on=TODAY, criteria={"Møter opp til avtalt tid": "met"}
        )
    services.placement_end(
        actor=personas.peer_user,
        placement=job.placement,
        ended_on=TODAY - dt.timedelta(days=2),
        reason="completed",
    )
    full = {"Møter opp til avtalt tid": "met", "Gir beskjed ved fravær": "met"}
    with pytest.raises(ValidationError, match="etter at plasseringen"):
        services.meeting_record(**record, held_on=TODAY, criteria=full)
    job.meeting.refresh_from_db()
    assert job.meeting.status == Meeting.Status.CANCELLED
    meeting = services.meeting_record(**record, held_on=TODAY - dt.timedelta(days=3), criteria=full)
    assert meeting.status == Meeting.Status.HELD


def test_ending_a_placement_keeps_the_match_and_the_follow_up(job, personas):
    services.placement_end(
        actor=personas.peer_user, placement=job.placement, ended_on=TODAY, reason="relapse"
    )
    personas.match.refresh_from_db()
    personas.participant.refresh_from_db()
    assert personas.match.status == "active"
    assert personas.participant.status == "matched"
    job.placement.refresh_from_db()
    assert job.placement.end_reason == "relapse"
    job.meeting.refresh_from_db()
    assert job.meeting.status == Meeting.Status.CANCELLED


def test_relapse_steps_up_follow_up_and_follows_the_sharing_choice(job, personas):
    event = services.relapse_record(
        actor=personas.peer_user,
        placement=job.placement,
        occurred_on=TODAY,
        note="MARKER-RELAPSE",
        intensified_days=5,
    )
    assert not event.shared_with_employer
    job.placement.refresh_from_db()
    assert job.placement.intensified_until == TODAY + dt.timedelta(days=4)
    AgreementVersion.objects.filter(pk=job.version.pk).update(share_relapse_with_employer=True)
    confirm_all(job, personas)
    second = services.relapse_record(
        actor=personas.peer_user, placement=job.placement, occurred_on=TODAY
    )
    assert second.shared_with_employer
    assert "MARKER" not in str(
        list(AuditEvent.objects.filter(data__event="relapse_recorded").values("summary", "data"))
    )
    assert RelapseEvent.objects.count() == 2


def test_relapse_is_shared_only_by_an_agreement_the_participant_confirmed(job, personas):
    """A draft that only the advisor wrote never tells the employer of a relapse, and a newer
    draft that takes the sharing back is honoured at once."""
    sharing = {**AGREEMENT, "share_relapse_with_employer": True}
    services.agreement_save(actor=personas.peer_user, placement=job.placement, fields=sharing)
    draft = services.relapse_record(
        actor=personas.peer_user, placement=job.placement, occurred_on=TODAY
    )
    assert not draft.shared_with_employer
    confirm_all(job, personas, number=2)
    assert services.relapse_record(
        actor=personas.peer_user, placement=job.placement, occurred_on=TODAY
    ).shared_with_employer
    services.agreement_save(actor=personas.peer_user, placement=job.placement, fields=AGREEMENT)
    withdrawn = services.relapse_record(
        actor=personas.peer_user, placement=job.placement, occurred_on=TODAY
    )
    assert not withdrawn.shared_with_employer


def test_job_start_without_contacts_needs_attention_until_contacts_are_logged(job, personas):
    from ettervern.followup.models import Contact

    Placement.objects.filter(pk=job.placement.pk).update(
        started_on=TODAY - dt.timedelta(days=1), intensified_until=TODAY + dt.timedelta(days=5)
    )
    items = selectors.job_starts_without_contact(personas.peer_user)
    assert [i.placement.pk for i in items] == [job.placement.pk]
    assert len(items[0].days) == 2
    for days_ago in (0, 1):
        Contact.objects.create(
            organisation=personas.org_a,
            programme=personas.programme_a,
            match=personas.match,
            participant=personas.participant,
            peer=personas.peer,
            kind="phone",
            occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        )
    assert selectors.job_starts_without_contact(personas.peer_user) == []
    assert selectors.job_starts_without_contact(personas.employer) == []


def test_meetings_due_by_the_rhythm(job, personas):
    Meeting.objects.all().delete()
    Placement.objects.filter(pk=job.placement.pk).update(started_on=TODAY - dt.timedelta(days=40))
    due = selectors.meetings_needing_attention(personas.employer)
    assert [d.placement.pk for d in due] == [job.placement.pk]
    assert due[0].overdue and due[0].due_on == TODAY - dt.timedelta(days=10)
    assert selectors.meetings_needing_attention(personas.other_peer_user) == []


def test_programme_figures(job, personas):
    confirm_all(job, personas)
    services.meeting_record(
        actor=personas.peer_user,
        meeting=job.meeting,
        status="held",
        held_on=TODAY,
        attended={},
        criteria={"Møter opp til avtalt tid": "met", "Gir beskjed ved fravær": "met"},
        raised={},
    )
    services.placement_end(
        actor=personas.coordinator,
        placement=job.other_placement,
        ended_on=TODAY,
        reason="hired",
    )
    figures = selectors.programme_figures([personas.programme_a.pk])
    assert figures.active == 1
    assert figures.agreements == 2 and figures.agreements_in_force == 1
    assert figures.in_force_share == 50
    assert figures.meetings_held == 1 and figures.on_rhythm_share == 100
    assert figures.by_outcome == [("Fast ansatt", 1)]
    assert figures.days_in_work == 22


def test_meetings_on_rhythm_count_from_the_start_then_from_the_meeting_before(job, personas):
    """Monthly rhythm with a week's slack: 30 days after the start is on rhythm, 50 days after
    the meeting before is not, and a second meeting the same day is."""
    Meeting.objects.all().delete()
    start = TODAY - dt.timedelta(days=100)
    Placement.objects.filter(pk=job.placement.pk).update(started_on=start)
    for days, status in [(30, "held"), (80, "held"), (80, "held"), (90, "planned")]:
        Meeting.objects.create(
            organisation=personas.org_a,
            programme=personas.programme_a,
            placement=job.placement,
            scheduled_for=start + dt.timedelta(days=days),
            status=status,
            held_on=start + dt.timedelta(days=days) if status == "held" else None,
        )
    figures = selectors.programme_figures([personas.programme_a.pk])
    assert (figures.meetings_held, figures.meetings_on_rhythm) == (3, 2)


def test_contact_person_gets_an_employer_login(job, personas):
    from ettervern.accounts.models import Membership, Role

    user = services.contact_person_grant_login(actor=personas.coordinator, person=job.other_contact)
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.EMPLOYER_CONTACT
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "som kontaktperson i bedrift" in message.body
    with pytest.raises(ValidationError):
        services.contact_person_grant_login(actor=personas.coordinator, person=job.other_contact)


def test_a_new_contact_person_makes_a_new_version_that_needs_all_three_again(job, personas):
    from ettervern.employment.models import ContactPerson

    confirm_all(job, personas)
    assert selectors.is_in_force(selectors.current_version(job.placement))
    colleague = ContactPerson.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        company=job.company,
        name="Kari Kollega",
        email="kollega@veisikring.test",
    )
    services.placement_update(
        actor=personas.coordinator, placement=job.placement, changes={"contact_person": colleague}
    )
    current = selectors.current_version(job.placement)
    assert current.number == 2
    assert not selectors.is_in_force(current)
    assert current.follow_up == AGREEMENT["follow_up"]
    assert selectors.signed_version(job.placement).number == 1
    # Changing something else does not.
    services.placement_update(
        actor=personas.coordinator, placement=job.placement, changes={"position_percent": 60}
    )
    assert selectors.current_version(job.placement).number == 2


def test_follow_up_stepped_up_by_a_relapse_goes_on_when_the_job_ends(job, personas):
    """The job ends (often because of the relapse); the person still needs the daily contact."""
    started = TODAY - dt.timedelta(days=20)
    Placement.objects.filter(pk=job.placement.pk).update(
        started_on=started, intensified_until=started + dt.timedelta(days=6)
    )
    job.placement.refresh_from_db()
    services.relapse_record(
        actor=personas.peer_user,
        placement=job.placement,
        occurred_on=TODAY - dt.timedelta(days=1),
        intensified_days=7,
    )
    services.placement_end(
        actor=personas.peer_user, placement=job.placement, ended_on=TODAY, reason="relapse"
    )
    items = selectors.job_starts_without_contact(personas.peer_user)
    assert [i.placement.pk for i in items] == [job.placement.pk]
    assert items[0].days == [TODAY - dt.timedelta(days=1), TODAY]
    assert selectors.job_starts_without_contact(personas.coordinator) != []


def test_the_job_start_period_ends_with_the_job(job, personas):
    """Without a relapse, the stepped-up start of a job is over when the job is."""
    Placement.objects.filter(pk=job.placement.pk).update(
        started_on=TODAY - dt.timedelta(days=2), intensified_until=TODAY + dt.timedelta(days=4)
    )
    job.placement.refresh_from_db()
    services.placement_end(
        actor=personas.peer_user, placement=job.placement, ended_on=TODAY, reason="other"
    )
    assert selectors.job_starts_without_contact(personas.peer_user) == []
