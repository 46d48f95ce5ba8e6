"""Audit event types of the offers directory, and the suggestions' lines on the timeline."""

from django.utils.translation import gettext as _

from ettervern.audit.events import declare, event
from ettervern.lib import labels
from ettervern.offers.models import Category, Offer, Suggestion
from ettervern.participants.events import label


def _offer_name(offer_id) -> str:
    # The directory's own name of the offer (not case data); the id if it is gone.
    if not offer_id:
        return "–"
    name = Offer.objects.filter(pk=offer_id).values_list("name", flat=True).first()
    return name or str(offer_id or "–")


@event(
    "offer_suggested",
    keys={"offer_id", "category", "goal_id", "life_area"},
    says="An offer from the directory was suggested to the participant (possibly for a goal)",
)
def offer_suggested(d: dict) -> str:
    text = _("Offer suggested: %(offer)s (%(category)s)") % {
        "offer": _offer_name(d["offer_id"]),
        "category": label(Category.choices, d["category"]),
    }
    if d["life_area"]:
        text += "; " + _("for the goal in %(area)s") % {
            "area": labels.LIFE_AREA_LABELS.get(d["life_area"], d["life_area"])
        }
    return text


@event(
    "offer_suggestion_outcome",
    keys={"offer_id", "outcome"},
    says="What came of a suggested offer (taken up, not relevant)",
)
def offer_suggestion_outcome(d: dict) -> str:
    return _("Suggested offer %(offer)s: %(outcome)s") % {
        "offer": _offer_name(d["offer_id"]),
        "outcome": label(Suggestion.Outcome.choices, d["outcome"]).lower(),
    }


OFFER_CREATED = declare(
    "offer_created", keys={"category", "area", "imported"}, says="An offer was added"
)
OFFER_CHANGED = declare(
    "offer_changed", keys={"fields", "imported"}, says="An offer changed (field names)"
)
OFFER_CONFIRMED = declare(
    "offer_confirmed", keys={"checked_on"}, says="Someone checked that an offer is still right"
)
OFFERS_IMPORTED = declare(
    "offers_imported",
    keys={"created", "updated", "rows"},
    says="The directory was imported from a spreadsheet (counts)",
)
OFFERS_EXPORTED = declare(
    "offers_exported", keys={"rows"}, says="The directory was exported as a spreadsheet"
)
SHARING_ADDED = declare(
    "offers_sharing_added",
    keys={"partner_id"},
    says="The directory was shared read-only with a partner organisation",
)
SHARING_REMOVED = declare(
    "offers_sharing_removed",
    keys={"partner_id"},
    says="A partner organisation no longer sees the directory",
)
OFFER_SUGGESTED = offer_suggested
OFFER_SUGGESTION_OUTCOME = offer_suggestion_outcome
