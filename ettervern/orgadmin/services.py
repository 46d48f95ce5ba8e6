"""Writes of the organisation's administration: invitations, roles, users, programmes.

Every login is made through an invitation: an e-mail with a one-time link (only a hash of its
secret is stored) where the person sets a password. A person who already has a login gets the
new role when they accept and logs in as before; nothing tells the inviter, or the invited
person, about any other organisation. Each write is one transaction with its audit row.
"""

import datetime as dt
import secrets

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ettervern.accounts.models import (
    Area,
    Invitation,
    Membership,
    Organisation,
    Programme,
    Role,
    User,
    token_hash,
)
from ettervern.accounts.selectors import is_admin_of, programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.orgadmin import events
from ettervern.orgadmin.selectors import (
    EXPIRED,
    REVOKED,
    USED,
    active_admins,
    existing_login,
    pending_for_participant,
)

Action = AuditEvent.Action

# Roles a coordinator may invite people to in their own programme; the rest only an admin.
COORDINATOR_INVITES = frozenset(
    {Role.PEER_WORKER, Role.PARTICIPANT, Role.EMPLOYER_CONTACT, Role.REFERRER, Role.VOLUNTEER}
)
# Why an administrator removed someone's second factor (codes: the audit never holds free text).
RESET_REASONS = ("lost_device", "new_device", "locked_out", "other")
# Programme fields an administrator may change: its name, kind and every setting, in the model's
# order (found, not listed: each setting is explained by its model field's help text).
PROGRAMME_FIELDS = tuple(
    f.name
    for f in Programme._meta.concrete_fields
    if f.editable and f.name not in {"id", "organisation", "slug", "archived_at", "created_at"}
)


def _require_admin(actor: User, organisation_id: int) -> None:
    if not is_admin_of(actor, organisation_id):
        raise PermissionDenied


def _require_may_invite(actor: User, programme: Programme, role: str) -> None:
    if is_admin_of(actor, programme.organisation_id):
        return
    if role in COORDINATOR_INVITES and programme.pk in programme_ids_for_role(
        actor, Role.COORDINATOR
    ):
        return
    raise PermissionDenied


# --- invitations ----------------------------------------------------------------------------


def _site_url(site_url: str) -> str:
    base = (site_url or settings.ETTERVERN_SITE_URL).rstrip("/")
    if not base:
        raise ValidationError(_("The site's address is not set (ETTERVERN_SITE_URL)."))
    return base


def _new_secret(invitation: Invitation) -> str:
    """Give the invitation a new secret and a new expiry; returns the secret (never stored)."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = timezone.now() + dt.timedelta(days=settings.ETTERVERN_INVITATION_DAYS)
    return token


def _mail_invitation(invitation: Invitation, token: str, *, site_url: str) -> None:
    link = _site_url(site_url) + reverse("invitation_accept", kwargs={"token": token})
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": invitation.name,
            "organisation": invitation.organisation.name,
            "programme": invitation.programme.name,
            "role": invitation.get_role_display(),
            "link": link,
            "expires_at": invitation.expires_at,
            "site_name": settings.ETTERVERN_SITE_NAME,
            "has_login": existing_login(invitation.email) is not None,
        }
        subject = " ".join(
            render_to_string("orgadmin/email/invitation_subject.txt", context).split()
        )
        text = render_to_string("orgadmin/email/invitation_message.txt", context)
        html = render_to_string("orgadmin/email/invitation_message.html", context)
    message = EmailMultiAlternatives(subject, text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    # Inside the transaction: if the mail cannot be handed over, no invitation is stored.
    message.send()


def _invite(
    *,
    actor: User | None,
    programme: Programme,
    role: str,
    email: str,
    name: str,
    site_url: str,
    participant=None,
) -> Invitation:
    invitation = Invitation(
        organisation_id=programme.organisation_id,
        programme=programme,
        role=role,
        email=email,
        name=name,
        invited_by=actor,
        participant=participant,
    )
    token = _new_secret(invitation)
    invitation.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=invitation,
        participant_id=invitation.participant_id,
        event=events.INVITATION_SENT,
        data={"role": role, "programme_id": programme.pk},
    )
    _mail_invitation(invitation, token, site_url=site_url)
    return invitation


@once_per_submission(Invitation)
@transaction.atomic
def invitation_create(
    *,
    actor: User,
    programme: Programme,
    role: str,
    email: str,
    name: str,
    site_url: str = "",
) -> Invitation:
    """Invite a person by e-mail to a role in a programme.

    A participant's own login is tied to her participant record: it is sent from the
    participant's page (``participant_invitation_create``), never as a bare role."""
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    if role == Role.PARTICIPANT:
        raise ValidationError(
            _(
                "A participant's own login belongs to the participant record: open the "
                "participant's page and choose “Invite to own login” there."
            )
        )
    _require_may_invite(actor, programme, role)
    if programme.archived_at is not None:
        raise ValidationError(_("The programme is archived: nobody can be invited to it."))
    email = User.objects.normalize_email(email.strip()).lower()
    name = name.strip()
    _refuse_if_pending_or_member(programme, email)
    return _invite(
        actor=actor, programme=programme, role=role, email=email, name=name, site_url=site_url
    )


def _refuse_if_pending_or_member(programme: Programme, email: str) -> None:
    if Membership.objects.filter(programme=programme, user__email=email, is_active=True).exists():
        raise ValidationError(_("This person already has a login in the programme."))
    pending = Invitation.objects.select_for_update().filter(
        programme=programme,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ValidationError(
            _("This person already has an invitation to the programme. Send it again instead.")
        )


@once_per_submission(Invitation)
@transaction.atomic
def participant_invitation_create(
    *, actor: User, participant, email: str = "", site_url: str = ""
) -> Invitation:
    """Invite a participant to an own login, tied to the participant record (``participant``:
    a ``participants.Participant``; the caller checked that ``actor`` coordinates her).

    ``email`` defaults to the address on the record. Accepting sets the record's login."""
    programme = participant.programme
    _require_may_invite(actor, programme, Role.PARTICIPANT)
    if participant.organisation_id != programme.organisation_id:
        raise PermissionDenied
    if programme.archived_at is not None:
        raise ValidationError(_("The programme is archived: nobody can be invited to it."))
    # Lock the record: two coordinators inviting at once send one invitation.
    participant = type(participant).objects.select_for_update().get(pk=participant.pk)
    if participant.user_id is not None:
        raise ValidationError(_("The participant already has a login."))
    email = User.objects.normalize_email((email or participant.email or "").strip()).lower()
    if not email:
        raise ValidationError(_("Enter the participant's email address."))
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter a valid email address.")) from None
    if pending_for_participant(participant) is not None:
        raise ValidationError(
            _("The participant already has an invitation. Send it again instead.")
        )
    _refuse_if_pending_or_member(programme, email)
    return _invite(
        actor=actor,
        programme=programme,
        role=Role.PARTICIPANT,
        email=email,
        name=participant.name,
        site_url=site_url,
        participant=participant,
    )


@transaction.atomic
def invitation_for_membership(
    *, actor: User, membership: Membership, site_url: str = ""
) -> Invitation | None:
    """Invite the holder of a membership that was just given (a peer admitted, an employer
    contact given a login) to set a password. Someone who can log in already needs nothing."""
    _require_may_invite(actor, membership.programme, membership.role)
    user = membership.user
    if user.has_usable_password():
        return None
    return _invite(
        actor=actor,
        programme=membership.programme,
        role=membership.role,
        email=user.email,
        name=user.name,
        site_url=site_url,
    )


def _locked_pending(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("The invitation has already been accepted."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("The invitation has been revoked."))
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, site_url: str = "") -> Invitation:
    """Send the invitation again with a new link and a new expiry; the old link stops working."""
    _require_may_invite(actor, invitation.programme, invitation.role)
    invitation = _locked_pending(invitation)
    token = _new_secret(invitation)
    invitation.save(update_fields=["token_hash", "expires_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=invitation,
        event=events.INVITATION_RESENT,
        data={"role": invitation.role, "programme_id": invitation.programme_id},
    )
    _mail_invitation(invitation, token, site_url=site_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    _require_may_invite(actor, invitation.programme, invitation.role)
    invitation = _locked_pending(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=invitation,
        event=events.INVITATION_REVOKED,
        data={"role": invitation.role, "programme_id": invitation.programme_id},
    )
    return invitation


def _refusal_message(reason: str) -> str:
    return {
        EXPIRED: _("The invitation link has expired. Ask for a new invitation."),
        USED: _("The invitation link has already been used. Log in as usual."),
        REVOKED: _("The invitation has been withdrawn."),
    }.get(reason, _("The invitation link is not valid. Check that you copied all of it."))


@transaction.atomic
def invitation_refused(*, invitation: Invitation | None, reason: str) -> str:
    """Record that a link that no longer works was opened; returns the message to show."""
    if invitation is not None:
        audit_record(
            actor=None,
            action=Action.DENIED,
            obj=invitation,
            event=events.INVITATION_REFUSED,
            data={"reason": reason},
        )
    return _refusal_message(reason)


@transaction.atomic
def invitation_accept(*, token: str, password: str | None = None) -> tuple[User, bool]:
    """Accept an invitation: the login gets the role in the programme.

    A person without a login sets ``password`` (Django's password validators apply); a person
    who has one logs in as before and ``password`` is ignored. Returns (user, new_login).
    """
    locked = (
        Invitation.objects.select_for_update()
        .filter(token_hash=token_hash(token or ""))
        .select_related("programme", "organisation")
        .first()
    )
    if locked is None:
        raise ValidationError(_refusal_message(""))
    if locked.accepted_at is not None:
        raise ValidationError(_refusal_message(USED))
    if locked.revoked_at is not None:
        raise ValidationError(_refusal_message(REVOKED))
    if locked.expires_at <= timezone.now():
        raise ValidationError(_refusal_message(EXPIRED))
    user = existing_login(locked.email)
    new_login = user is None
    record = _record_to_link(locked, user)
    if new_login:
        user = User.objects.filter(email=locked.email).first() or User(
            email=locked.email, name=locked.name
        )
        if not password:
            raise ValidationError(_("Choose a password."))
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.name = user.name or locked.name
    # Accepting is a fresh grant: a login closed earlier opens again with this role.
    user.is_active = True
    user.save()
    membership = Membership.objects.filter(user=user, programme=locked.programme).first()
    if membership is None:
        membership = Membership(user=user, programme=locked.programme)
    membership.organisation_id = locked.organisation_id
    membership.role = locked.role
    membership.is_active = True
    membership.save()
    locked.accepted_at = timezone.now()
    locked.user = user
    locked.save(update_fields=["accepted_at", "user"])
    audit_record(
        actor=user,
        action=Action.UPDATE,
        obj=locked,
        event=events.INVITATION_ACCEPTED,
        data={
            "role": locked.role,
            "programme_id": locked.programme_id,
            "user_id": user.pk,
            "new_login": new_login,
        },
    )
    if record is not None and record.user_id != user.pk:
        record.user = user
        record.save(update_fields=["user"])
        audit_record(
            actor=user,
            action=Action.UPDATE,
            obj=record,
            event=events.participant_login_linked,
            data={"invitation_id": locked.pk, "user_id": user.pk, "new_login": new_login},
        )
    return user, new_login


def _record_to_link(invitation: Invitation, user: User | None):
    """The participant record an invitation ties its login to (locked), or None; refuses when
    the record has another login or the login already belongs to another record."""
    if invitation.participant_id is None:
        return None
    model = Invitation._meta.get_field("participant").related_model
    record = model.objects.select_for_update().filter(pk=invitation.participant_id).first()
    if record is None or record.programme_id != invitation.programme_id:
        raise ValidationError(_refusal_message(""))
    if record.user_id is not None and (user is None or record.user_id != user.pk):
        raise ValidationError(
            _("Your participant record already has another login. Ask your coordinator.")
        )
    if user is not None and model.objects.filter(user=user).exclude(pk=record.pk).exists():
        raise ValidationError(
            _("This login already belongs to another participant. Ask your coordinator.")
        )
    return record


# --- users and roles ------------------------------------------------------------------------


def _keep_an_admin(organisation_id: int, *, losing: User) -> None:
    """Refuse a change that would leave the organisation without an active administrator."""
    admins = list(active_admins(organisation_id).select_for_update())
    if admins and all(m.user_id == losing.pk for m in admins):
        raise ValidationError(_("The organisation must keep at least one active administrator."))


@transaction.atomic
def membership_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    _require_admin(actor, membership.organisation_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    old = membership.role
    if old == role:
        return membership
    if old == Role.ORG_ADMIN and membership.is_active:
        _keep_an_admin(membership.organisation_id, losing=membership.user)
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=membership,
        event=events.MEMBERSHIP_ROLE_CHANGED,
        data={
            "user_id": membership.user_id,
            "programme_id": membership.programme_id,
            "old_role": old,
            "new_role": role,
        },
    )
    return membership


def _end_sessions(user: User) -> int:
    """Delete every stored session of the user: they are logged out at their next request."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, actor: User, organisation: Organisation, user: User) -> User:
    """Close the user's memberships in this organisation and end their sessions at once.

    A user with no active membership left anywhere can no longer log in at all. Memberships in
    other organisations are neither changed nor shown.
    """
    _require_admin(actor, organisation.pk)
    memberships = Membership.objects.select_for_update().filter(
        organisation=organisation, user=user, is_active=True
    )
    if any(m.role == Role.ORG_ADMIN for m in memberships):
        _keep_an_admin(organisation.pk, losing=user)
    closed = memberships.update(is_active=False)
    user = User.objects.select_for_update().get(pk=user.pk)
    login_closed = not Membership.objects.filter(user=user, is_active=True).exists()
    if login_closed and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    sessions = _end_sessions(user)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="accounts.user",
        object_id=user.pk,
        organisation_id=organisation.pk,
        event=events.USER_DEACTIVATED,
        data={
            "user_id": user.pk,
            "memberships": closed,
            "login_closed": login_closed,
            "sessions_ended": sessions,
        },
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User, organisation: Organisation, user: User) -> User:
    _require_admin(actor, organisation.pk)
    opened = Membership.objects.filter(
        organisation=organisation, user=user, is_active=False
    ).update(is_active=True)
    user = User.objects.select_for_update().get(pk=user.pk)
    if opened and not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="accounts.user",
        object_id=user.pk,
        organisation_id=organisation.pk,
        event=events.USER_REACTIVATED,
        data={"user_id": user.pk, "memberships": opened},
    )
    return user


@transaction.atomic
def second_factor_reset(*, actor: User, organisation: Organisation, user: User, reason: str) -> int:
    """Remove a user's second factor (a lost phone): they must enrol again at their next login.
    Returns how many authenticators were removed."""
    _require_admin(actor, organisation.pk)
    if reason not in RESET_REASONS:
        raise ValidationError(_("Choose a reason."))
    if not Membership.objects.filter(organisation=organisation, user=user).exists():
        raise PermissionDenied
    removed, _by_model = Authenticator.objects.filter(user=user).delete()
    # Whoever holds the lost phone may also hold a logged-in browser.
    _end_sessions(user)
    audit_record(
        actor=actor,
        action=Action.DELETE,
        object_type="accounts.user",
        object_id=user.pk,
        organisation_id=organisation.pk,
        event=events.SECOND_FACTOR_RESET,
        data={"user_id": user.pk, "reason": reason, "authenticators": removed},
    )
    return removed


# --- programmes -----------------------------------------------------------------------------


def _free_slug(organisation_id: int, name: str) -> str:
    base = slugify(name)[:40] or "tiltak"
    slug, n = base, 1
    while Programme.objects.filter(organisation_id=organisation_id, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@once_per_submission(Programme)
@transaction.atomic
def programme_create(
    *, actor: User, organisation: Organisation, name: str, kind: str = Programme.Kind.PEER_SUPPORT
) -> Programme:
    _require_admin(actor, organisation.pk)
    programme = Programme.objects.create(
        organisation=organisation,
        name=name.strip(),
        slug=_free_slug(organisation.pk, name),
        kind=kind,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=programme,
        organisation_id=organisation.pk,
        programme_id=programme.pk,
        event=events.PROGRAMME_CREATED,
        data={"kind": kind},
    )
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, **fields) -> Programme:
    """Rename a programme or change its settings; the audit names the fields changed."""
    _require_admin(actor, programme.organisation_id)
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValueError(f"not programme settings: {sorted(unknown)}")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    opens = fields.get("office_opens", programme.office_opens)
    closes = fields.get("office_closes", programme.office_closes)
    if opens >= closes:
        raise ValidationError(_("Office hours must end after they start."))
    changed = sorted(k for k, v in fields.items() if getattr(programme, k) != v)
    for key in changed:
        setattr(programme, key, fields[key])
    if changed:
        programme.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=programme,
            organisation_id=programme.organisation_id,
            programme_id=programme.pk,
            event=events.PROGRAMME_UPDATED,
            data={"fields": changed},
        )
    return programme


@transaction.atomic
def programme_archive(*, actor: User, programme: Programme, archived: bool = True) -> Programme:
    """Archive a programme (nobody new is invited to it; its history stays), or take it back."""
    _require_admin(actor, programme.organisation_id)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if (programme.archived_at is not None) == archived:
        return programme
    programme.archived_at = timezone.now() if archived else None
    programme.save(update_fields=["archived_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=programme,
        organisation_id=programme.organisation_id,
        programme_id=programme.pk,
        event=events.PROGRAMME_ARCHIVED if archived else events.PROGRAMME_RESTORED,
    )
    return programme


# --- a new organisation -----------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str,
    admin_email: str,
    admin_name: str,
    programme_name: str = "",
    site_url: str = "",
) -> tuple[Organisation, Invitation]:
    """What a hosting operator does for a new customer (no actor: run from the command line):
    the organisation, a first programme, and an invitation for its first administrator."""
    slug = slugify(slug)
    if not slug or not name.strip():
        raise ValidationError(_("Give the organisation a name and a short name (slug)."))
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError(_("An organisation with this short name (slug) already exists."))
    organisation = Organisation.objects.create(name=name.strip(), slug=slug)
    programme_name = programme_name.strip() or name.strip()
    programme = Programme.objects.create(
        organisation=organisation, name=programme_name, slug=_free_slug(organisation.pk, slug)
    )
    audit_record(
        actor=None,
        action=Action.CREATE,
        object_type="accounts.organisation",
        object_id=organisation.pk,
        organisation_id=organisation.pk,
        programme_id=programme.pk,
        event=events.ORGANISATION_CREATED,
        data={"programme_id": programme.pk},
    )
    invitation = _invite(
        actor=None,
        programme=programme,
        role=Role.ORG_ADMIN,
        email=User.objects.normalize_email(admin_email.strip()).lower(),
        name=admin_name.strip(),
        site_url=site_url,
    )
    return organisation, invitation


# --- areas the organisation serves ------------------------------------------------------------

AREA_FIELDS = ("name", "latitude", "longitude")


def _check_point(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("Give both latitude and longitude, or neither."))
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError(_("The map point is not on the map."))


@once_per_submission(Area)
@transaction.atomic
def area_create(
    *,
    actor: User,
    organisation: Organisation,
    code: str,
    name: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Area:
    """Add an area the organisation serves; its code is what records store."""
    _require_admin(actor, organisation.pk)
    code, name = slugify(code).replace("-", "_")[:30], name.strip()
    if not code or not name:
        raise ValidationError(_("Give the area a name and a short code."))
    _check_point(latitude, longitude)
    if Area.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError(_("The organisation already has an area with this code."))
    area = Area.objects.create(
        organisation=organisation, code=code, name=name, latitude=latitude, longitude=longitude
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=area,
        organisation_id=organisation.pk,
        event=events.AREA_ADDED,
        data={"code": code},
    )
    return area


@transaction.atomic
def area_update(*, actor: User, area: Area, **fields) -> Area:
    """Rename an area or move its map point. The code stays: records store it."""
    _require_admin(actor, area.organisation_id)
    unknown = set(fields) - set(AREA_FIELDS)
    if unknown:
        raise ValueError(f"not area fields: {sorted(unknown)}")
    area = Area.objects.select_for_update().get(pk=area.pk)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise ValidationError(_("Give the area a name and a short code."))
    _check_point(fields.get("latitude", area.latitude), fields.get("longitude", area.longitude))
    changed = sorted(k for k, v in fields.items() if getattr(area, k) != v)
    for key in changed:
        setattr(area, key, fields[key])
    if changed:
        area.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=area,
            organisation_id=area.organisation_id,
            event=events.AREA_UPDATED,
            data={"code": area.code, "fields": changed},
        )
    return area


@transaction.atomic
def area_set_active(*, actor: User, area: Area, active: bool) -> Area:
    """Stop offering an area (records that have it keep it), or offer it again."""
    _require_admin(actor, area.organisation_id)
    area = Area.objects.select_for_update().get(pk=area.pk)
    if area.is_active == active:
        return area
    area.is_active = active
    area.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=area,
        organisation_id=area.organisation_id,
        event=events.AREA_REACTIVATED if active else events.AREA_DEACTIVATED,
        data={"code": area.code},
    )
    return area
