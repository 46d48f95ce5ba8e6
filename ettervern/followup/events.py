"""Audit event types of the follow-up agreement and contacts, and their timeline lines."""

from django.utils.translation import gettext as _

from ettervern.audit.events import declare, event
from ettervern.followup.models import Contact
from ettervern.participants.events import label


def _when(at: str | None) -> str:
    at = at or ""
    return f"{at[8:10]}.{at[5:7]}.{at[0:4]} {at[11:16]}" if len(at) >= 16 else at


@event("agreement_version", keys={"version"}, says="A new version of the follow-up agreement")
def agreement_version(d: dict) -> str:
    return _("Follow-up agreement, version %(v)s") % {"v": d["version"]}


@event(
    "agreement_confirmed",
    keys={"version", "party"},
    says="The participant or the peer worker confirmed a version of the follow-up agreement",
)
def agreement_confirmed(d: dict) -> str:
    who = _("the participant") if d["party"] == "participant" else _("the peer worker")
    return _("Agreement version %(v)s confirmed by %(who)s") % {"v": d["version"], "who": who}


@event(
    "contact_logged",
    keys={"kind", "outcome", "occurred_at", "minutes", "out_of_hours"},
    says="A contact was logged (held or planned); never its note",
)
def contact_logged(d: dict) -> str:
    return _("Contact %(when)s: %(kind)s, %(outcome)s") % {
        "when": _when(d["occurred_at"]),
        "kind": label(Contact.Kind.choices, d["kind"]),
        "outcome": label(Contact.Outcome.choices, d["outcome"]).lower(),
    }


@event(
    "contact_closed",
    keys={"kind", "outcome", "occurred_at", "minutes", "note_added"},
    says="A planned contact was closed as held, cancelled or no-show",
)
def contact_closed(d: dict) -> str:
    return _("Planned contact %(when)s: %(kind)s, now %(outcome)s") % {
        "when": _when(d["occurred_at"]),
        "kind": label(Contact.Kind.choices, d["kind"]),
        "outcome": label(Contact.Outcome.choices, d["outcome"]).lower(),
    }


AGREEMENT_VERSION = agreement_version
AGREEMENT_CONFIRMED = agreement_confirmed
CONTACT_LOGGED = contact_logged
CONTACT_CLOSED = contact_closed

SIGNAL_HANDLED = declare(
    "signal_handled",
    keys={"peer_id", "kind"},
    says="A coordinator marked a signal about a peer worker handled (kind code)",
)
