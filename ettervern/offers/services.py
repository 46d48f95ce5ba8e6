"""Writes of the offers directory and of suggestions, each with its audit row in the same
transaction. Only coordinators and org admins of the owning organisation change offers; a
partner that sees a shared directory reads it. Suggesting is follow-up work: the access module
decides who may (the coordinator, or the participant's current peer worker)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.areas import check_area
from ettervern.accounts.models import Organisation, User
from ettervern.accounts.selectors import is_admin_of
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.matching.access import Need, require
from ettervern.offers import events
from ettervern.offers.models import Category, Offer, Sharing, Suggestion
from ettervern.offers.selectors import EDITOR_ROLES, offers_visible_to, organisation_ids_for
from ettervern.participants.models import Goal, Participant

# The fields a coordinator writes (and a spreadsheet row carries).
OFFER_FIELDS = (
    "name",
    "provider",
    "category",
    "target_group",
    "area",
    "address",
    "opening_hours",
    "price",
    "contact",
)
LIMITS = {f: Offer._meta.get_field(f).max_length for f in OFFER_FIELDS}


def check_editor(actor: User, organisation_id: int) -> None:
    if organisation_id not in organisation_ids_for(actor, EDITOR_ROLES):
        raise PermissionDenied


def clean_offer(organisation_id: int, fields: dict, *, current_area: str = "") -> dict:
    """The offer's fields tidied, or ValidationError (field -> Norwegian message)."""
    values = {f: " ".join(str(fields.get(f) or "").split()) for f in OFFER_FIELDS}
    errors = {}
    if not values["name"]:
        errors["name"] = _("Give the offer a name.")
    if not values["provider"]:
        errors["provider"] = _("Say who provides the offer (an organisation, NAV, a group…).")
    if values["category"] not in Category.values:
        errors["category"] = _("Choose one of the categories.")
    for field, limit in LIMITS.items():
        if field not in errors and len(values[field]) > limit:
            errors[field] = _("At most %(n)s characters.") % {"n": limit}
    try:
        values["area"] = check_area(organisation_id, values["area"], current=current_area)
    except ValidationError as exc:
        errors["area"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return values


def _create(*, actor: User, organisation: Organisation, values: dict, checked_on, imported: bool):
    offer = Offer.objects.create(
        organisation=organisation,
        checked_on=checked_on or timezone.localdate(),
        checked_by=actor,
        **values,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=offer,
        event=events.OFFER_CREATED,
        data={"category": offer.category, "area": offer.area, "imported": imported},
    )
    return offer


def _update(*, actor: User, offer: Offer, values: dict, checked_on=None, imported: bool) -> list:
    changed = [f for f, v in values.items() if getattr(offer, f) != v]
    for field in changed:
        setattr(offer, field, values[field])
    if checked_on is not None and checked_on != offer.checked_on:
        offer.checked_on, offer.checked_by = checked_on, actor
        changed.append("checked_on")
    if changed:
        offer.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=offer,
            event=events.OFFER_CHANGED,
            data={"fields": sorted(changed), "imported": imported},
        )
    return changed


@once_per_submission(Offer)
@transaction.atomic
def offer_create(*, actor: User, organisation: Organisation, **fields) -> Offer:
    """A new offer in the organisation's directory, checked today by ``actor``."""
    check_editor(actor, organisation.pk)
    values = clean_offer(organisation.pk, fields)
    return _create(
        actor=actor, organisation=organisation, values=values, checked_on=None, imported=False
    )


@transaction.atomic
def offer_update(*, actor: User, offer: Offer, is_active: bool | None = None, **fields) -> Offer:
    check_editor(actor, offer.organisation_id)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    values = clean_offer(offer.organisation_id, fields, current_area=offer.area)
    if is_active is not None:
        values["is_active"] = is_active
    _update(actor=actor, offer=offer, values=values, imported=False)
    return offer


@transaction.atomic
def offer_confirm(*, actor: User, offer: Offer) -> Offer:
    """Someone checked that the offer is still right: today, by ``actor``."""
    check_editor(actor, offer.organisation_id)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    offer.checked_on, offer.checked_by = timezone.localdate(), actor
    offer.save(update_fields=["checked_on", "checked_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=offer,
        event=events.OFFER_CONFIRMED,
        data={"checked_on": offer.checked_on.isoformat()},
    )
    return offer


# --- sharing with partner organisations -----------------------------------------------------------


@transaction.atomic
def sharing_add(*, actor: User, organisation: Organisation, partner_code: str) -> Sharing:
    """Share the directory read-only with the organisation whose code (slug) is given. Sharing
    with the same partner twice keeps one sharing."""
    if not is_admin_of(actor, organisation.pk):
        raise PermissionDenied
    code = (partner_code or "").strip().lower()
    partner = Organisation.objects.filter(slug=code).exclude(pk=organisation.pk).first()
    if partner is None:
        raise ValidationError(
            _("No other organisation has the code “%(code)s”. Ask the partner for their code.")
            % {"code": code[:60]},
            code="unknown_partner",
        )
    sharing, created = Sharing.objects.get_or_create(
        organisation=organisation, partner=partner, defaults={"created_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=sharing,
            organisation_id=organisation.pk,
            event=events.SHARING_ADDED,
            data={"partner_id": partner.pk},
        )
    return sharing


@transaction.atomic
def sharing_remove(*, actor: User, sharing: Sharing) -> None:
    if not is_admin_of(actor, sharing.organisation_id):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=sharing,
        organisation_id=sharing.organisation_id,
        event=events.SHARING_REMOVED,
        data={"partner_id": sharing.partner_id},
    )
    sharing.delete()


# --- suggestions to a participant -----------------------------------------------------------------


@once_per_submission(Suggestion)
@transaction.atomic
def suggestion_create(
    *, actor: User, participant: Participant, offer: Offer, goal: Goal | None = None
) -> Suggestion:
    """Suggest an offer to a participant, perhaps for one of her goals: a line on her timeline."""
    require(user=actor, participant=participant, need=Need.FOLLOW)
    if not offers_visible_to(actor).filter(pk=offer.pk).exists():
        raise ValidationError(_("The offer is not in the directory."), code="unknown_offer")
    if goal is not None and goal.participant_id != participant.pk:
        raise ValidationError(_("Choose one of the participant's own goals."), code="goal")
    suggestion = Suggestion.objects.create(
        organisation_id=participant.organisation_id,
        programme_id=participant.programme_id,
        offer=offer,
        participant=participant,
        goal=goal,
        suggested_by=actor,
        suggested_on=timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=suggestion,
        event=events.OFFER_SUGGESTED,
        data={
            "offer_id": offer.pk,
            "category": offer.category,
            "goal_id": goal.pk if goal else None,
            "life_area": goal.life_area if goal else "",
        },
    )
    return suggestion


@transaction.atomic
def suggestion_set_outcome(*, actor: User, suggestion: Suggestion, outcome: str) -> Suggestion:
    """What came of a suggestion: taken up, or not relevant (or back to no answer)."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    require(user=actor, participant=suggestion.participant, need=Need.FOLLOW)
    if outcome not in Suggestion.Outcome.values:
        raise ValidationError(_("Choose what came of the suggestion."), code="outcome")
    if outcome == suggestion.outcome:
        return suggestion
    suggestion.outcome = outcome
    suggestion.outcome_on = timezone.localdate() if outcome else None
    suggestion.save(update_fields=["outcome", "outcome_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=suggestion,
        event=events.OFFER_SUGGESTION_OUTCOME,
        data={"offer_id": suggestion.offer_id, "outcome": outcome},
    )
    return suggestion
