"""Audit event types of moving in from spreadsheets. Data: ids, row numbers and counts only."""

from django.utils.translation import gettext as _

from ettervern.audit.events import declare, event

IMPORT_UPLOADED = declare(
    "import_uploaded",
    keys={"upload_id", "participants", "peers"},
    says="A spreadsheet passed the checks and was kept for the dry run (rows per kind)",
)


@event(
    "import_participant",
    keys={"upload_id", "row"},
    says="A participant was created from a row of an imported spreadsheet",
)
def import_participant(d: dict) -> str:
    return _("Moved in from a spreadsheet")


IMPORT_PARTICIPANT = import_participant

IMPORT_PEER = declare(
    "import_peer",
    keys={"upload_id", "row", "user_id"},
    says="A peer worker (with a login without a password) was created from an imported row",
)
IMPORT_MATCH = declare(
    "import_match",
    keys={"upload_id", "row", "peer_id"},
    says="A current match was created from an imported row",
)
IMPORT_FINISHED = declare(
    "import_finished",
    keys={"upload_id", "participants", "peers", "matches", "skipped"},
    says="A spreadsheet was imported: how many records of each kind, and rows already imported",
)
