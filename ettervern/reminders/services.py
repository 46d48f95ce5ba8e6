"""Writes of reminders: the user's digest choice, the calendar feed's secret address, and the
daily digests (one per user per local day, whatever how often the command runs)."""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ettervern.accounts.models import Role, User, token_hash
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.reminders import events
from ettervern.reminders.digest import Digest, build_digest
from ettervern.reminders.models import CalendarToken, DigestSent, ReminderSettings

logger = logging.getLogger(__name__)

DIGEST_ROLES = (Role.PEER_WORKER, Role.COORDINATOR)


def settings_of(user: User) -> ReminderSettings:
    """The user's choices (unsaved defaults if they never chose)."""
    return ReminderSettings.objects.filter(user=user).first() or ReminderSettings(user=user)


@transaction.atomic
def reminder_settings_update(
    *, actor: User, digest_enabled: bool, digest_hour: int
) -> ReminderSettings:
    if not isinstance(digest_hour, int) or not 0 <= digest_hour <= 23:
        raise ValidationError(_("Choose an hour from 0 to 23."))
    row, _created = ReminderSettings.objects.select_for_update().get_or_create(user=actor)
    row.digest_enabled = bool(digest_enabled)
    row.digest_hour = digest_hour
    row.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=row,
        event=events.SETTINGS_CHANGED,
        data={"digest_enabled": row.digest_enabled, "digest_hour": row.digest_hour},
    )
    return row


# --- the calendar feed's address ------------------------------------------------------------


@transaction.atomic
def calendar_token_create(*, actor: User) -> str:
    """A new secret address for the user's feed; the old one (if any) stops working. Returns
    the secret, which is shown once and never stored."""
    now = timezone.now()
    # Lock the user's row so two clicks cannot both leave a live token.
    User.objects.select_for_update().get(pk=actor.pk)
    replaced = CalendarToken.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=now
    )
    secret = secrets.token_urlsafe(32)
    row = CalendarToken.objects.create(user=actor, token_hash=token_hash(secret), created_at=now)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=row,
        event=events.CALENDAR_LINK_CREATED,
        data={"token_id": row.pk, "replaced": bool(replaced)},
    )
    return secret


@transaction.atomic
def calendar_token_revoke(*, actor: User) -> bool:
    """Stop the user's feed address; False if there was none."""
    row = CalendarToken.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
    row = row.first()
    if row is None:
        return False
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=row,
        event=events.CALENDAR_LINK_REVOKED,
        data={"token_id": row.pk},
    )
    return True


def calendar_feed_read(*, token: CalendarToken, events_count: int) -> None:
    """A calendar client fetched the feed: audited like any read of case data."""
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    audit_record(
        actor=token.user,
        action=AuditEvent.Action.READ,
        obj=token,
        event=events.CALENDAR_FEED_READ,
        data={"token_id": token.pk, "events": events_count},
    )


# --- the daily digest -----------------------------------------------------------------------


def digest_recipients(*, now: dt.datetime) -> list[User]:
    """Active users with the digest on, whose chosen hour it is now in local time, with a role
    the digest is for, and no digest yet today."""
    local = timezone.localtime(now)
    sent_today = DigestSent.objects.filter(day=local.date()).values("user_id")
    return list(
        User.objects.filter(
            is_active=True,
            reminder_settings__digest_enabled=True,
            reminder_settings__digest_hour=local.hour,
            memberships__is_active=True,
            memberships__role__in=DIGEST_ROLES,
        )
        .exclude(pk__in=sent_today)
        .distinct()
        .order_by("pk")
    )


def _mail(digest: Digest) -> EmailMultiAlternatives:
    context = {
        "digest": digest,
        "site_name": settings.ETTERVERN_SITE_NAME,
        "settings_url": settings.ETTERVERN_SITE_URL.rstrip("/") + reverse("reminders:settings"),
    }
    subject = _("Your summary for %(date)s") % {"date": digest.day.strftime("%d.%m.%Y")}
    text = render_to_string("reminders/email/digest.txt", context)
    html = render_to_string("reminders/email/digest.html", context)
    message = EmailMultiAlternatives(
        f"{settings.ETTERVERN_SITE_NAME}: {subject}", text, to=[digest.user.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_send(*, user: User, now: dt.datetime) -> bool:
    """Send ``user`` today's digest once. The day's row is claimed first (a unique constraint
    per user and day), so two runs at once send one mail; if the mail cannot be handed over the
    claim is undone, and the next run tries again. An empty digest sends no mail but counts."""
    day = timezone.localdate(now)
    previous = DigestSent.objects.filter(user=user, day__lt=day).order_by("-day").first()
    with translation.override(settings.LANGUAGE_CODE):
        digest = build_digest(user=user, day=day, previously_seen=previous.seen if previous else ())
        message = _mail(digest) if digest.line_count else None
    try:
        with transaction.atomic():
            row = DigestSent.objects.create(
                user=user, day=day, sent_at=now, lines=digest.line_count, seen=digest.seen
            )
            audit_record(
                actor=None,
                action=AuditEvent.Action.CREATE,
                obj=row,
                object_type="reminders.digest",
                event=events.DIGEST_SENT,
                data={"day": day.isoformat(), "lines": digest.line_count},
            )
    except IntegrityError:
        return False  # another run claimed today's digest
    if message is None:
        return False
    try:
        message.send()
    except Exception:
        logger.exception("digest for user %s could not be sent", user.pk)
        DigestSent.objects.filter(pk=row.pk).delete()
        return False
    return True


def send_due_digests(*, now: dt.datetime | None = None) -> int:
    """Send the digests due this hour; returns how many mails were sent."""
    now = now or timezone.now()
    return sum(digest_send(user=user, now=now) for user in digest_recipients(now=now))
