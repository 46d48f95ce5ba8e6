"""Reads of the offers directory, scoped to who asks.

- coordinators, org admins, peer workers and participants with their own login read their
  organisation's directory, and the directories partner organisations share with it;
- coordinators and org admins edit their own organisation's offers (a partner's: read-only);
- suggestions are case data: they are read through the participant, whom the access module
  (``ettervern.matching.access``) decides about.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Area, Organisation, Role, User
from ettervern.accounts.selectors import memberships_of
from ettervern.audit.services import audit_denied
from ettervern.offers.models import Offer, Sharing, Suggestion, categories_for_life_areas
from ettervern.participants.models import Goal, Participant

READER_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN, Role.PEER_WORKER, Role.PARTICIPANT})
EDITOR_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})
# An offer nobody has checked for this many months is flagged in the directory.
STALE_MONTHS = 6


def organisation_ids_for(user: User, roles=READER_ROLES) -> set[int]:
    return {m.organisation_id for m in memberships_of(user) if m.role in roles}


def stale_before(today: dt.date | None = None) -> dt.date:
    """Offers last checked before this day are flagged: six months before ``today``."""
    today = today or timezone.localdate()
    month = today.month - STALE_MONTHS
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return today.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_stale(offer: Offer, today: dt.date | None = None) -> bool:
    return offer.checked_on < stale_before(today)


def offers_visible_to(user: User) -> QuerySet[Offer]:
    """Offers in the directory of the user's organisation(s) and of those sharing with it."""
    own = organisation_ids_for(user)
    if not own:
        return Offer.objects.none()
    sharing = Sharing.objects.filter(partner_id__in=own).values("organisation_id")
    return Offer.objects.filter(
        Q(organisation_id__in=own) | Q(organisation_id__in=sharing), is_active=True
    )


def offers_editable_by(user: User) -> QuerySet[Offer]:
    """The user's own organisation's offers (also those taken out of the directory)."""
    return Offer.objects.filter(organisation_id__in=organisation_ids_for(user, EDITOR_ROLES))


def can_edit(user: User, offer: Offer) -> bool:
    return offer.organisation_id in organisation_ids_for(user, EDITOR_ROLES)


def get_offer_for_user(user: User, offer_id: int, *, for_write: bool = False) -> Offer:
    """The offer, or 404 (audited): for reading in the directory, or for editing."""
    offers = offers_editable_by(user)
    if not for_write:
        # Editors also open their own offers taken out of the directory (to put them back).
        offers = offers_visible_to(user) | offers
    offer = offers.select_related("organisation", "checked_by").filter(pk=offer_id).first()
    if offer is None:
        audit_denied(actor=user, object_type="offers.offer", object_id=offer_id)
        raise Http404
    return offer


def search(
    offers: QuerySet[Offer],
    *,
    text: str = "",
    category: str = "",
    area: str = "",
    stale_only: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Offer]:
    """Free text over name, provider, target group and address; an area also finds offers for
    the whole city (no area)."""
    for word in (text or "").split()[:8]:
        offers = offers.filter(
            Q(name__icontains=word)
            | Q(provider__icontains=word)
            | Q(target_group__icontains=word)
            | Q(address__icontains=word)
        )
    if category:
        offers = offers.filter(category=category)
    if area:
        offers = offers.filter(Q(area=area) | Q(area=""))
    if stale_only:
        offers = offers.filter(checked_on__lt=stale_before(today))
    return offers.order_by("name", "pk")


def stale_offers(user: User, today: dt.date | None = None) -> QuerySet[Offer]:
    """The user's own organisation's offers in the directory that nobody checked for long."""
    return (
        offers_editable_by(user)
        .filter(is_active=True, checked_on__lt=stale_before(today))
        .order_by("checked_on", "pk")
    )


def offers_for_participant(user: User, participant: Participant, limit: int = 6) -> list[Offer]:
    """Offers that fit the participant's active goals (by life area) and her area (or the whole
    city). The caller has checked that ``user`` may read the participant."""
    life_areas = participant.goals.filter(status=Goal.Status.ACTIVE).values_list(
        "life_area", flat=True
    )
    categories = categories_for_life_areas(life_areas)
    if not categories:
        return []
    offers = offers_visible_to(user).filter(category__in=categories)
    # Only offers of the participant's own organisation carry her organisation's area codes.
    # Without an area of her own, offers anywhere in the city may fit.
    if participant.area:
        offers = offers.filter(
            Q(area="") | Q(area=participant.area, organisation_id=participant.organisation_id)
        )
    return list(offers.order_by("category", "name", "pk")[:limit])


def suggestions_of(participant: Participant) -> QuerySet[Suggestion]:
    """The participant's suggestions; the caller has checked that the user may read her."""
    return participant.offer_suggestions.select_related("offer", "goal", "suggested_by")


def sharings_of(organisation_id: int) -> QuerySet[Sharing]:
    return Sharing.objects.filter(organisation_id=organisation_id).select_related("partner")


def shared_with(organisation_id: int) -> QuerySet[Organisation]:
    """Organisations whose directories this organisation sees."""
    return Organisation.objects.filter(
        pk__in=Sharing.objects.filter(partner_id=organisation_id).values("organisation_id")
    ).order_by("name")


def with_area_names(offers) -> None:
    """Set ``area_name`` on each offer: the name in its own organisation's areas."""
    offers = list(offers)
    keys = {(o.organisation_id, o.area) for o in offers if o.area}
    names = {}
    if keys:
        rows = Area.objects.filter(
            organisation_id__in={k[0] for k in keys}, code__in={k[1] for k in keys}
        ).values_list("organisation_id", "code", "name")
        names = {(org, code): name for org, code, name in rows}
    for offer in offers:
        offer.area_name = names.get((offer.organisation_id, offer.area), offer.area)
