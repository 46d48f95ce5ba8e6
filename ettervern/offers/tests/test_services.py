import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from ettervern.audit.events import event_type
from ettervern.audit.models import AuditEvent
from ettervern.matching.services import match_end
from ettervern.offers import selectors, services
from ettervern.offers.models import Category, Offer, Sharing, Suggestion
from ettervern.offers.tests.factories import make_offer
from ettervern.participants.selectors import timeline

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Gatejuristen",
    "provider": "Kirkens Bymisjon",
    "category": Category.LEGAL_DEBT,
    "area": "bergenhus",
    "opening_hours": "Tirsdager 12–15",
}


def test_coordinator_adds_an_offer_checked_today(personas):
    with time_machine.travel(dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC), tick=False):
        offer = services.offer_create(
            actor=personas.coordinator, organisation=personas.org_a, **FIELDS
        )
    assert offer.checked_on == dt.date(2026, 11, 3)
    assert offer.checked_by == personas.coordinator
    row = AuditEvent.objects.get(data__event="offer_created")
    assert row.data == {
        "event": "offer_created",
        "category": "legal_debt",
        "area": "bergenhus",
        "imported": False,
    }


def test_an_offer_without_a_provider_is_refused_and_nothing_is_written(personas):
    with pytest.raises(ValidationError) as caught:
        services.offer_create(
            actor=personas.coordinator,
            organisation=personas.org_a,
            **{**FIELDS, "provider": "   "},
        )
    assert "provider" in caught.value.message_dict
    assert not Offer.objects.exists()
    assert not AuditEvent.objects.filter(data__event="offer_created").exists()


def test_an_area_the_organisation_does_not_serve_is_refused(personas):
    with pytest.raises(ValidationError):
        services.offer_create(
            actor=personas.coordinator, organisation=personas.org_a, **{**FIELDS, "area": "grorud"}
        )


@pytest.mark.parametrize("who", ["peer_user", "participant_user", "coordinator_b"])
def test_only_the_organisations_coordinators_and_admins_edit(personas, who):
    with pytest.raises(PermissionDenied):
        services.offer_create(actor=personas.user(who), organisation=personas.org_a, **FIELDS)


def test_admin_may_edit_the_directory(personas):
    offer = services.offer_create(actor=personas.admin, organisation=personas.org_a, **FIELDS)
    services.offer_update(actor=personas.admin, offer=offer, **{**FIELDS, "price": "Gratis"})
    offer.refresh_from_db()
    assert offer.price == "Gratis"
    assert AuditEvent.objects.get(data__event="offer_changed").data["fields"] == ["price"]


def test_the_same_form_sent_twice_adds_one_offer(personas):
    key = uuid.uuid4()
    first = services.offer_create(
        actor=personas.coordinator, organisation=personas.org_a, submission_key=key, **FIELDS
    )
    again = services.offer_create(
        actor=personas.coordinator, organisation=personas.org_a, submission_key=key, **FIELDS
    )
    assert first == again
    assert Offer.objects.count() == 1


# --- six months without a check -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "checked_on", "flagged"),
    [
        (dt.date(2026, 12, 4), dt.date(2026, 6, 4), False),
        (dt.date(2026, 12, 4), dt.date(2026, 6, 3), True),
        # Spring: not checked since April, flagged in December.
        (dt.date(2026, 12, 4), dt.date(2026, 4, 15), True),
        # 31 August: six months back is the last day of February.
        (dt.date(2027, 8, 31), dt.date(2027, 2, 28), False),
        (dt.date(2027, 8, 31), dt.date(2027, 2, 27), True),
        # Across a new year.
        (dt.date(2027, 3, 10), dt.date(2026, 9, 10), False),
        (dt.date(2027, 3, 10), dt.date(2026, 9, 9), True),
    ],
)
def test_offers_not_checked_for_six_months_are_flagged(personas, today, checked_on, flagged):
    offer = make_offer(personas.org_a, checked_on=checked_on)
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), dt.UTC), tick=False):
        assert selectors.is_stale(offer) is flagged
        assert list(selectors.stale_offers(personas.coordinator)) == ([offer] if flagged else [])


def test_confirming_an_offer_clears_the_flag(personas):
    offer = make_offer(personas.org_a, checked_on=dt.date(2026, 3, 20))
    with time_machine.travel(dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC), tick=False):
        assert selectors.is_stale(offer)
        services.offer_confirm(actor=personas.coordinator, offer=offer)
        offer.refresh_from_db()
        assert not selectors.is_stale(offer)
    assert offer.checked_on == dt.date(2026, 12, 4)
    assert offer.checked_by == personas.coordinator


# --- sharing with partners ----------------------------------------------------------------------


def test_a_shared_directory_is_read_only_to_the_partner(personas):
    offer = make_offer(personas.org_a)
    assert offer not in selectors.offers_visible_to(personas.coordinator_b)
    services.sharing_add(
        actor=personas.admin, organisation=personas.org_a, partner_code=personas.org_b.slug
    )
    assert offer in selectors.offers_visible_to(personas.coordinator_b)
    assert offer in selectors.offers_visible_to(personas.peer_b_user)
    assert not selectors.can_edit(personas.coordinator_b, offer)
    with pytest.raises(PermissionDenied):
        services.offer_update(actor=personas.coordinator_b, offer=offer, **FIELDS)
    with pytest.raises(PermissionDenied):
        services.offer_confirm(actor=personas.coordinator_b, offer=offer)
    # Sharing is one way: A does not see B's directory.
    offer_b = make_offer(personas.org_b)
    assert offer_b not in selectors.offers_visible_to(personas.coordinator)


def test_only_the_org_admin_shares_and_an_unknown_code_is_refused(personas):
    with pytest.raises(PermissionDenied):
        services.sharing_add(
            actor=personas.coordinator, organisation=personas.org_a, partner_code="org-b"
        )
    for code in ("nobody", personas.org_a.slug):
        with pytest.raises(ValidationError):
            services.sharing_add(
                actor=personas.admin, organisation=personas.org_a, partner_code=code
            )
    assert not Sharing.objects.exists()


def test_sharing_twice_keeps_one_and_removing_ends_it(personas):
    for _ in range(2):
        sharing = services.sharing_add(
            actor=personas.admin, organisation=personas.org_a, partner_code="ORG-B "
        )
    assert Sharing.objects.count() == 1
    services.sharing_remove(actor=personas.admin, sharing=sharing)
    assert (
        not selectors.offers_visible_to(personas.coordinator_b)
        .filter(organisation=personas.org_a)
        .exists()
    )


# --- suggestions ---------------------------------------------------------------------------------


def test_the_peer_suggests_an_offer_and_it_is_on_her_timeline(personas, directory):
    key = uuid.uuid4()
    kwargs = {
        "actor": personas.peer_user,
        "participant": personas.participant,
        "offer": directory.offer,
        "goal": directory.goal,
        "submission_key": key,
    }
    first = services.suggestion_create(**kwargs)
    again = services.suggestion_create(**kwargs)
    assert first == again
    assert Suggestion.objects.filter(participant=personas.participant).count() == 2  # + fixture
    row = AuditEvent.objects.get(data__event="offer_suggested")
    assert row.participant_id == personas.participant.pk
    assert row.data["goal_id"] == directory.goal.pk
    assert row.data["life_area"] == "economy_debt"
    text = event_type("offer_suggested").text(row.data)
    assert "Gatejuristen" in text
    assert any("Gatejuristen" in entry["text"] for entry in timeline(personas.participant))


@pytest.mark.parametrize("who", ["other_peer_user", "participant_user", "coordinator_b"])
def test_only_the_coordinator_or_current_peer_suggests(personas, directory, who):
    with pytest.raises(PermissionDenied):
        services.suggestion_create(
            actor=personas.user(who), participant=personas.participant, offer=directory.offer
        )


def test_a_peer_whose_match_ended_no_longer_suggests(personas, directory):
    match_end(actor=personas.coordinator, match=personas.match, end_reason="moved")
    with pytest.raises(PermissionDenied):
        services.suggestion_create(
            actor=personas.peer_user, participant=personas.participant, offer=directory.offer
        )


def test_another_participants_goal_or_an_unseen_offer_is_refused(personas, directory):
    with pytest.raises(ValidationError):
        services.suggestion_create(
            actor=personas.coordinator,
            participant=personas.waiting,
            offer=directory.offer,
            goal=directory.goal,
        )
    with pytest.raises(ValidationError):
        services.suggestion_create(
            actor=personas.coordinator, participant=personas.participant, offer=directory.offer_b
        )


def test_the_outcome_is_recorded_once(personas, directory):
    suggestion = directory.suggestion
    for _ in range(2):
        services.suggestion_set_outcome(
            actor=personas.peer_user, suggestion=suggestion, outcome="taken_up"
        )
    suggestion.refresh_from_db()
    assert suggestion.outcome == "taken_up"
    assert AuditEvent.objects.filter(data__event="offer_suggestion_outcome").count() == 1
    with pytest.raises(ValidationError):
        services.suggestion_set_outcome(
            actor=personas.peer_user, suggestion=suggestion, outcome="maybe"
        )


def test_offers_that_fit_her_goals_and_area(personas, directory):
    participant = personas.participant
    participant.area = "bergenhus"
    participant.save(update_fields=["area"])
    near = make_offer(personas.org_a, "Gjeldsrådgivning", area="bergenhus")
    far = make_offer(personas.org_a, "Gjeld Fana", area="fana")
    other_kind = make_offer(personas.org_a, "Fotball", category=Category.LEISURE)
    fitting = selectors.offers_for_participant(personas.peer_user, participant)
    assert directory.offer in fitting and near in fitting
    assert far not in fitting and other_kind not in fitting
