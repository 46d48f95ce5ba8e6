"""Audit event types of matches and the matching engine, and their lines on the timeline."""

from django.utils.translation import gettext as _

from ettervern.audit.events import declare, event
from ettervern.participants.events import day, label
from ettervern.participants.models import PauseReason, StatusChange


@event(
    "match_started",
    keys={"peer_id", "started_on"},
    says="A coordinator matched the participant with a peer worker (``started_on``: the day the "
    "follow-up began, which may be earlier than the row)",
)
def match_started(d: dict) -> str:
    if d["started_on"]:
        return _("Matched with a peer worker from %(date)s") % {"date": day(d["started_on"])}
    return _("Matched with a peer worker")


@event("match_paused", keys={"reason"}, says="The follow-up was paused (a reason code)")
def match_paused(d: dict) -> str:
    return _("Follow-up paused (%(reason)s)") % {"reason": label(PauseReason.choices, d["reason"])}


@event("match_resumed", says="A paused follow-up was resumed with the same peer worker")
def match_resumed(d: dict) -> str:
    return _("Follow-up resumed with the same peer worker")


@event(
    "match_ended",
    keys={"end_reason", "back_to_waiting"},
    says="The match ended: with the follow-up, or the participant back on the waiting list",
)
def match_ended(d: dict) -> str:
    if d["back_to_waiting"]:
        return _("Match ended; back on the waiting list for a new peer worker")
    if d["end_reason"]:
        return _("Match ended (%(reason)s)") % {
            "reason": label(StatusChange.EndReason.choices, d["end_reason"])
        }
    return _("Match ended")


@event("match_proposed", keys={"peer_id"}, says="A coordinator proposed a peer worker")
def match_proposed(d: dict) -> str:
    return _("A peer worker was proposed")


PROPOSAL_ACCEPTED = declare("proposal_accepted", says="The proposed peer worker accepted")
PROPOSAL_WITHDRAWN = declare(
    "proposal_withdrawn", keys={"peer_id"}, says="An open proposal was withdrawn"
)
EXCLUSION_CREATED = declare(
    "exclusion_created", keys={"peer_id", "kind"}, says="A pair was excluded from matching"
)
EXCLUSION_DELETED = declare("exclusion_deleted", keys={"peer_id"}, says="An exclusion was lifted")
MATCHING_SETTINGS_CHANGED = declare(
    "matching_settings_changed", says="A programme's matching weights or settings changed"
)
PLAN_CONSTRAINT = declare(
    "plan_constraint", keys={"peer_id", "kind"}, says="A pair was locked or banned in the plan"
)

INTERESTS_MERGED = declare(
    "interests_merged",
    keys={"into", "merged", "participants", "peers"},
    says="An administrator merged interest tags into one spelling across the organisation",
)

MATCH_STARTED = match_started
MATCH_PAUSED = match_paused
MATCH_RESUMED = match_resumed
MATCH_ENDED = match_ended
MATCH_PROPOSED = match_proposed


# --- a peer worker's pause and the covers meanwhile ------------------------------------------

PAUSE_REQUESTED = declare(
    "pause_requested",
    keys={"peer_id", "starts_on", "expected_return_on"},
    says="A peer worker asked for a pause (the reason code stays with the pause)",
)
PAUSE_STARTED = declare(
    "pause_started",
    keys={"peer_id", "starts_on", "expected_return_on", "requested"},
    says="A coordinator started or approved a peer worker's pause",
)
PAUSE_DECLINED = declare(
    "pause_declined",
    keys={"peer_id"},
    says="A coordinator declined a peer worker's request for a pause",
)
PAUSE_ENDED = declare(
    "pause_ended",
    keys={"peer_id", "ended_on"},
    says="A peer worker's pause ended (the covers end with it)",
)


@event(
    "pause_cover_set",
    keys={"cover_peer_id", "pause_id", "expected_return_on"},
    says="A cover peer follows the participant while her peer worker is on pause",
)
def pause_cover_set(d: dict) -> str:
    return _("Another peer worker covers while the peer worker is on pause (until %(date)s)") % {
        "date": day(d["expected_return_on"])
    }


PAUSE_COVER_SET = pause_cover_set
