"""Audit event types of work: companies, placements, triangle agreements, meetings, relapses."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ettervern.audit.events import declare, event
from ettervern.employment.models import Meeting, Party, Placement
from ettervern.participants.events import day, label

PARTY_NAMES = {
    Party.PARTICIPANT: gettext_lazy("the participant"),
    Party.EMPLOYER: gettext_lazy("the employer"),
    Party.ADVISOR: gettext_lazy("the advisor"),
}


@event(
    "placement_started",
    keys={"company_id", "kind", "started_on"},
    says="A job or work training started",
)
def placement_started(d: dict) -> str:
    kind = label(Placement.Kind.choices, d["kind"])
    if d["started_on"]:
        return _("%(kind)s started %(date)s") % {"kind": kind, "date": day(d["started_on"])}
    return _("%(kind)s started") % {"kind": kind}


@event("placement_changed", keys={"fields"}, says="A placement's details changed (field names)")
def placement_changed(d: dict) -> str:
    return _("Placement details changed")


@event("placement_ended", keys={"reason", "ended_on"}, says="A placement ended, with the reason")
def placement_ended(d: dict) -> str:
    reason = label(Placement.EndReason.choices, d["reason"])
    if d["ended_on"]:
        return _("Placement ended %(date)s (%(reason)s)") % {
            "date": day(d["ended_on"]),
            "reason": reason,
        }
    return _("Placement ended (%(reason)s)") % {"reason": reason}


@event(
    "triangle_version",
    keys={"number", "fields", "reason"},
    says="A new version of a triangle agreement (participant, employer contact, advisor)",
)
def triangle_version(d: dict) -> str:
    return _("Triangle agreement, version %(v)s") % {"v": d["number"]}


@event(
    "triangle_confirmed",
    keys={"number", "party", "on_behalf"},
    says="A party confirmed a version of a triangle agreement (possibly on someone's behalf)",
)
def triangle_confirmed(d: dict) -> str:
    who = str(PARTY_NAMES.get(d["party"], d["party"] or "–"))
    if d["on_behalf"]:
        return _("Triangle agreement version %(v)s confirmed on behalf of %(who)s") % {
            "v": d["number"],
            "who": who,
        }
    return _("Triangle agreement version %(v)s confirmed by %(who)s") % {
        "v": d["number"],
        "who": who,
    }


@event("meeting_planned", keys={"scheduled_for"}, says="A follow-up meeting at work was planned")
def meeting_planned(d: dict) -> str:
    if d["scheduled_for"]:
        return _("Meeting at work planned for %(date)s") % {"date": day(d["scheduled_for"])}
    return _("Meeting at work planned")


@event(
    "meeting_recorded",
    keys={"status", "criteria", "held_on"},
    says="A meeting at work was held (criteria reviewed: the statuses found) or cancelled",
)
def meeting_recorded(d: dict) -> str:
    if d["status"] != Meeting.Status.HELD:
        return _("Meeting at work cancelled")
    when = day(d["held_on"]) if d["held_on"] else ""
    if d["criteria"]:
        return _("Meeting at work held %(date)s, criteria reviewed") % {"date": when}
    return _("Meeting at work held %(date)s") % {"date": when}


@event(
    "relapse_recorded",
    keys={"shared_with_employer", "occurred_on", "intensified_until"},
    says="A relapse was recorded and the follow-up stepped up (never the note)",
)
def relapse_recorded(d: dict) -> str:
    text = _("Relapse %(date)s") % {"date": day(d["occurred_on"])} if d["occurred_on"] else ""
    text = text or _("Relapse")
    if d["intensified_until"]:
        text += "; " + _("closer follow-up until %(date)s") % {"date": day(d["intensified_until"])}
    return text


@event("action_added", keys={"owner"}, says="An action was agreed at a meeting at work")
def action_added(d: dict) -> str:
    return _("Action agreed at a meeting at work")


@event("action_done", says="An agreed action was done")
def action_done(d: dict) -> str:
    return _("Agreed action done")


COMPANY_CREATED = declare("company_created", says="A partner company was registered")
CONTACT_PERSON_ADDED = declare("contact_person_added", says="A contact person was added")
CONTACT_PERSON_DEACTIVATED = declare(
    "contact_person_deactivated", says="A contact person no longer works with the programme"
)
EMPLOYER_LOGIN_GRANTED = declare(
    "employer_login_granted", says="A contact person was given a login"
)
INTENT_AGREEMENT_ADDED = declare(
    "intent_agreement_added", keys={"places"}, says="An intent agreement with a company"
)
PLACEMENT_STARTED = placement_started
PLACEMENT_CHANGED = placement_changed
PLACEMENT_ENDED = placement_ended
TRIANGLE_VERSION = triangle_version
TRIANGLE_CONFIRMED = triangle_confirmed
MEETING_PLANNED = meeting_planned
MEETING_RECORDED = meeting_recorded
RELAPSE_RECORDED = relapse_recorded
ACTION_ADDED = action_added
ACTION_DONE = action_done
