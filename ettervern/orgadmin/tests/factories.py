"""Invitations for tests, made without mail: the services are tested on their own."""

import datetime as dt

from django.utils import timezone

from ettervern.accounts.models import Area, Invitation, Membership, Programme, Role, token_hash


def pending_invitation(programme: Programme, email: str, *, token: str = "") -> Invitation:
    return Invitation.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        role=Role.COORDINATOR,
        email=email,
        name="Ina Invitert",
        token_hash=token_hash(token or f"secret-{email}"),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )


def invitations(personas):
    """One pending invitation in each organisation, made once per personas."""
    made = getattr(personas, "_invitations", None)
    if made is None:
        made = (
            pending_invitation(personas.programme_a, "ny@a.test"),
            pending_invitation(personas.programme_b, "ny@b.test"),
        )
        personas._invitations = made
    return made


def membership_of(user) -> Membership:
    return Membership.objects.filter(user=user).order_by("pk").first()


def area_of(organisation) -> Area:
    return Area.objects.filter(organisation=organisation).order_by("pk").first()
