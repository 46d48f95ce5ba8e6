"""Audit event types of the organisation's administration. Only a participant's own login being
tied to her record is on her timeline."""

from django.utils.translation import gettext as _

from ettervern.audit.events import declare, event

INVITATION_SENT = declare(
    "invitation_sent",
    keys={"role", "programme_id"},
    says="An invitation to log in was sent by e-mail",
)
INVITATION_RESENT = declare(
    "invitation_resent",
    keys={"role", "programme_id", "replaces_id"},
    says="An invitation was sent again with a new link; the old link stopped working",
)
INVITATION_REVOKED = declare(
    "invitation_revoked",
    keys={"role", "programme_id"},
    says="A pending invitation was revoked",
)
INVITATION_ACCEPTED = declare(
    "invitation_accepted",
    keys={"role", "programme_id", "user_id", "new_login"},
    says="An invitation was accepted: the login got the role in the programme",
)
INVITATION_REFUSED = declare(
    "invitation_refused",
    keys={"reason"},
    says="An invitation link was used after it expired, was used or was revoked",
)
MEMBERSHIP_ROLE_CHANGED = declare(
    "membership_role_changed",
    keys={"user_id", "programme_id", "old_role", "new_role"},
    says="An administrator changed a user's role in a programme",
)
USER_DEACTIVATED = declare(
    "user_deactivated",
    keys={"user_id", "memberships", "login_closed", "sessions_ended"},
    says="An administrator deactivated a user's memberships in the organisation",
)
USER_REACTIVATED = declare(
    "user_reactivated",
    keys={"user_id", "memberships"},
    says="An administrator reactivated a user's memberships in the organisation",
)
SECOND_FACTOR_RESET = declare(
    "second_factor_reset",
    keys={"user_id", "reason", "authenticators"},
    says="An administrator removed a user's second factor; the user must enrol again",
)
PROGRAMME_CREATED = declare(
    "programme_created",
    keys={"kind"},
    says="A programme was created",
)
PROGRAMME_UPDATED = declare(
    "programme_updated",
    keys={"fields"},
    says="A programme's name or settings were changed",
)
PROGRAMME_ARCHIVED = declare(
    "programme_archived",
    says="A programme was archived",
)
PROGRAMME_RESTORED = declare(
    "programme_restored",
    says="An archived programme was taken back into use",
)
ORGANISATION_CREATED = declare(
    "organisation_created",
    keys={"programme_id"},
    says="A hosting operator created an organisation and its first programme",
)


@event(
    "participant_login_linked",
    keys={"invitation_id", "user_id", "new_login"},
    says="A participant accepted her invitation: the login is tied to her participant record",
)
def participant_login_linked(d: dict) -> str:
    return _("Own login taken into use")


AREA_ADDED = declare(
    "area_added",
    keys={"code"},
    says="An administrator added an area the organisation serves",
)
AREA_UPDATED = declare(
    "area_updated",
    keys={"code", "fields"},
    says="An administrator renamed an area or moved its map point",
)
AREA_DEACTIVATED = declare(
    "area_deactivated",
    keys={"code"},
    says="An area is no longer offered (records that have it keep it)",
)
AREA_REACTIVATED = declare(
    "area_reactivated",
    keys={"code"},
    says="An area is offered again",
)
