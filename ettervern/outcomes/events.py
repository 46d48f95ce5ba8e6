"""Audit event types of questionnaires. Data carries codes, versions and scores; never the
answer to a single item."""

from django.utils.translation import gettext as _

from ettervern.audit.events import declare, event
from ettervern.outcomes.models import Mode
from ettervern.participants.events import label


@event(
    "questionnaire_answered",
    keys={"instrument", "name", "version", "mode", "point", "complete", "total", "subscales"},
    says="A questionnaire was answered (scores if complete; never the items' answers)",
)
def questionnaire_answered(d: dict) -> str:
    name = d["name"] or d["instrument"] or "–"
    how = label(Mode.choices, d["mode"])
    if not d["complete"]:
        return _("%(name)s partly answered (%(how)s), not scored") % {"name": name, "how": how}
    return _("%(name)s answered (%(how)s): %(total)s points") % {
        "name": name,
        "how": how,
        "total": d["total"],
    }


OUTCOMES_VIEWED = declare(
    "outcomes_viewed",
    keys={"view"},
    says="Questionnaire scores of a participant were shown (page, panel or answer form)",
)

SCHEDULE_CHANGED = declare(
    "questionnaire_schedule_changed",
    keys={"instrument", "points"},
    says="A coordinator changed when a programme asks a questionnaire",
)
