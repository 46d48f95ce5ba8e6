"""Audit event types of reminders: the digest choice, digests sent, the calendar feed's secret
address and its reads. None is about one participant, so none is on a timeline."""

from ettervern.audit.events import declare

SETTINGS_CHANGED = declare(
    "reminder_settings_changed",
    keys={"digest_enabled", "digest_hour"},
    says="A user turned the daily digest on or off or chose its hour",
)
DIGEST_SENT = declare(
    "digest_sent",
    keys={"day", "lines"},
    says="A daily digest was mailed to a user (initials and links only)",
)
CALENDAR_LINK_CREATED = declare(
    "calendar_link_created",
    keys={"token_id", "replaced"},
    says="A user made (or remade) the secret address of their calendar feed",
)
CALENDAR_LINK_REVOKED = declare(
    "calendar_link_revoked",
    keys={"token_id"},
    says="A user revoked the secret address of their calendar feed",
)
CALENDAR_FEED_READ = declare(
    "calendar_feed_read",
    keys={"token_id", "events"},
    says="A calendar client fetched a user's feed (the number of events, no content)",
)
