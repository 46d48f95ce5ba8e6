"""Reads of the organisation's administration, scoped to the administrator's organisation."""

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

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
from ettervern.accounts.selectors import memberships_of

# Why an invitation link no longer works (shown to the person who opens it).
UNKNOWN, EXPIRED, USED, REVOKED = "unknown", "expired", "used", "revoked"


def administered_organisation(user: User) -> Organisation | None:
    """The organisation the user administers (the first, should they administer several)."""
    for m in memberships_of(user):
        if m.role == Role.ORG_ADMIN:
            return m.organisation
    return None


def programmes_of(organisation: Organisation, *, archived: bool | None = None) -> QuerySet:
    programmes = Programme.objects.filter(organisation=organisation).order_by("name", "pk")
    if archived is not None:
        programmes = programmes.filter(archived_at__isnull=not archived)
    return programmes


def programme_in(organisation: Organisation, programme_id: int) -> Programme:
    programme = Programme.objects.filter(organisation=organisation, pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


def users_of(organisation: Organisation) -> QuerySet[User]:
    """Everyone with a membership here, with those memberships only (never another
    organisation's) as ``org_memberships`` and ``has_second_factor``."""
    here = Membership.objects.filter(organisation=organisation)
    return (
        User.objects.filter(pk__in=here.values("user_id"))
        .annotate(
            has_second_factor=Exists(Authenticator.objects.filter(user=OuterRef("pk"))),
            is_active_here=Exists(here.filter(user=OuterRef("pk"), is_active=True)),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=here.select_related("programme").order_by("programme__name"),
                to_attr="org_memberships",
            )
        )
        .order_by("name", "email")
    )


def user_in(organisation: Organisation, user_id: int) -> User:
    user = users_of(organisation).filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def membership_in(organisation: Organisation, user: User, membership_id: int) -> Membership:
    membership = (
        Membership.objects.filter(organisation=organisation, user=user, pk=membership_id)
        .select_related("programme")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations not accepted nor revoked, expired ones included (they may be resent)."""
    return (
        Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("programme", "invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_in(organisation: Organisation, invitation_id: int) -> Invitation:
    invitation = pending_invitations(organisation).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_token(token: str) -> tuple[Invitation | None, str]:
    """The invitation a link's secret opens, and why it cannot be used ("" if it can)."""
    if not token or len(token) > 100:
        return None, UNKNOWN
    invitation = (
        Invitation.objects.filter(token_hash=token_hash(token))
        .select_related("programme", "organisation")
        .first()
    )
    if invitation is None:
        return None, UNKNOWN
    if invitation.accepted_at is not None:
        return invitation, USED
    if invitation.revoked_at is not None:
        return invitation, REVOKED
    if invitation.expires_at <= timezone.now():
        return invitation, EXPIRED
    return invitation, ""


def existing_login(email: str) -> User | None:
    """The login with this address that can already log in (has a password), if any."""
    user = User.objects.filter(email=email.strip().lower()).first()
    if user is not None and user.has_usable_password():
        return user
    return None


def active_admins(organisation_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation_id=organisation_id,
        role=Role.ORG_ADMIN,
        is_active=True,
        user__is_active=True,
    )


def pending_for_participant(participant) -> Invitation | None:
    """The participant's pending invitation to her own login, if any."""
    return (
        Invitation.objects.filter(
            participant=participant,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def area_in(organisation: Organisation, area_id: int) -> Area:
    area = Area.objects.filter(organisation=organisation, pk=area_id).first()
    if area is None:
        raise Http404
    return area
