"""Audit event types of the participant's own record, and their lines on the timeline."""

import datetime as dt

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from ettervern.audit.events import event
from ettervern.lib import labels
from ettervern.participants.models import (
    Consent,
    Goal,
    HousingStage,
    OtherService,
    Participant,
    PeerWish,
    StatusChange,
    Transition,
)


def label(choices, code) -> str:
    """The display label of a code, or the code itself (a dash when empty)."""
    return str(dict(choices).get(code, code or "–"))


def day(value) -> str:
    """An ISO date (or date-time) from event data as dd.mm.yyyy."""
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return str(value or "")


@event("participant_registered", says="A participant was registered")
def participant_registered(d: dict) -> str:
    return _("Registered")


@event(
    "referral_received",
    keys={"source", "transition", "transition_date"},
    says="A referral was received (with the coming release or discharge and its date)",
)
def referral_received(d: dict) -> str:
    if d["transition"] and d["transition_date"]:
        return _("Referral received (%(transition)s %(date)s)") % {
            "transition": label(Transition.choices, d["transition"]).lower(),
            "date": day(d["transition_date"]),
        }
    return _("Referral received")


@event(
    "status_changed",
    keys={"from", "to", "end_reason"},
    says="The participant moved through the status machine",
)
def status_changed(d: dict) -> str:
    statuses = Participant.Status.choices
    text = _("Status: %(from)s → %(to)s") % {
        "from": label(statuses, d["from"]),
        "to": label(statuses, d["to"]),
    }
    if d["end_reason"]:
        text += f" ({label(StatusChange.EndReason.choices, d['end_reason'])})"
    return text


@event("consent_given", keys={"purpose", "version"}, says="A consent was given")
def consent_given(d: dict) -> str:
    return _("Consent given: %(purpose)s") % {
        "purpose": label(Consent.Purpose.choices, d["purpose"])
    }


@event("consent_withdrawn", keys={"purpose"}, says="A consent was withdrawn")
def consent_withdrawn(d: dict) -> str:
    return _("Consent withdrawn: %(purpose)s") % {
        "purpose": label(Consent.Purpose.choices, d["purpose"])
    }


@event("goal_added", keys={"life_area"}, says="A goal of the participant's own was added")
def goal_added(d: dict) -> str:
    return _("New goal: %(area)s") % {"area": label(labels.LIFE_AREA_LABELS, d["life_area"])}


@event(
    "goal_progress",
    keys={"life_area", "from", "to", "note"},
    says="A goal changed status or got a progress note (``note``: whether one was added)",
)
def goal_progress(d: dict) -> str:
    return _("Goal progress: %(area)s (%(status)s)") % {
        "area": label(labels.LIFE_AREA_LABELS, d["life_area"]),
        "status": label(Goal.Status.choices, d["to"]),
    }


@event("wish_added", keys={"kind", "must"}, says="A wish for a peer worker was added")
def wish_added(d: dict) -> str:
    return _("Wish for a peer added: %(kind)s") % {"kind": label(PeerWish.Kind.choices, d["kind"])}


@event("wish_removed", keys={"kind"}, says="A wish for a peer worker was removed")
def wish_removed(d: dict) -> str:
    return _("Wish for a peer removed: %(kind)s") % {
        "kind": label(PeerWish.Kind.choices, d["kind"])
    }


@event("service_added", keys={"kind"}, says="Another service involved was added")
def service_added(d: dict) -> str:
    return _("Other service added: %(kind)s") % {
        "kind": label(OtherService.Kind.choices, d["kind"])
    }


@event("service_removed", keys={"kind"}, says="Another service involved was removed")
def service_removed(d: dict) -> str:
    return _("Other service removed: %(kind)s") % {
        "kind": label(OtherService.Kind.choices, d["kind"])
    }


@event(
    "details_changed",
    keys={"fields", "housing_from", "housing_to", "transition", "transition_date"},
    says="Details changed: the names of the fields, and the housing stage and the date of the "
    "coming transition (release, discharge) with their values; never other values",
)
def details_changed(d: dict) -> str:
    parts = []
    fields = list(d["fields"] or [])
    if "housing_stage" in fields:
        fields.remove("housing_stage")
        if d["housing_from"]:
            parts.append(
                _("Housing: %(from)s → %(to)s")
                % {
                    "from": label(HousingStage.choices, d["housing_from"]),
                    "to": label(HousingStage.choices, d["housing_to"]),
                }
            )
        else:
            parts.append(
                _("Housing: %(to)s") % {"to": label(HousingStage.choices, d["housing_to"])}
            )
    if "transition_date" in fields or "transition" in fields:
        fields = [f for f in fields if f not in ("transition", "transition_date")]
        if d["transition_date"]:
            parts.append(
                _("%(transition)s: %(date)s")
                % {
                    "transition": label(Transition.choices, d["transition"]),
                    "date": day(d["transition_date"]),
                }
            )
        else:
            parts.append(_("Date of the transition removed"))
    if fields:
        names = []
        for name in fields:
            try:
                names.append(str(Participant._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:  # a field renamed since the row was written
                names.append(name)
        parts.append(_("Details changed: %(fields)s") % {"fields": ", ".join(names)})
    return "; ".join(parts) or _("Details changed")


@event(
    "matching_profile_changed",
    keys={"fields"},
    says="The matching profile (gender, birth year, experience, languages, availability, area) "
    "changed: the names of the fields only, never their values",
)
def matching_profile_changed(d: dict) -> str:
    names = []
    for name in d["fields"] or []:
        try:
            names.append(str(Participant._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # a field renamed since the row was written
            names.append(name)
    return _("Matching profile changed: %(fields)s") % {"fields": ", ".join(names) or "–"}


PARTICIPANT_REGISTERED = participant_registered
REFERRAL_RECEIVED = referral_received
STATUS_CHANGED = status_changed
CONSENT_GIVEN = consent_given
CONSENT_WITHDRAWN = consent_withdrawn
GOAL_ADDED = goal_added
GOAL_PROGRESS = goal_progress
WISH_ADDED = wish_added
WISH_REMOVED = wish_removed
SERVICE_ADDED = service_added
SERVICE_REMOVED = service_removed
DETAILS_CHANGED = details_changed
MATCHING_PROFILE_CHANGED = matching_profile_changed
