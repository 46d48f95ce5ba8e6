"""Who is this user, and in which programmes, in which role?"""

from django.db.models import QuerySet

from ettervern.accounts.models import STAFF_ROLES, Membership, Programme, Role, User


def memberships_of(user: User) -> list[Membership]:
    """Active memberships, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_ettervern_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True)
            .select_related("programme", "organisation")
            .order_by("programme__name")
        )
        user._ettervern_memberships = cached
    return cached


def roles_of(user: User) -> set[str]:
    return {m.role for m in memberships_of(user)}


def programme_ids_for_role(user: User, *roles: str) -> list[int]:
    return [m.programme_id for m in memberships_of(user) if m.role in roles]


def programmes_for_role(user: User, *roles: str) -> QuerySet[Programme]:
    return Programme.objects.filter(pk__in=programme_ids_for_role(user, *roles))


def role_in_programme(user: User, programme_id: int | None) -> str:
    """The user's role in a programme, or "" when they have none there."""
    for m in memberships_of(user):
        if m.programme_id == programme_id:
            return m.role
    return ""


def primary_role(user: User) -> str:
    """The role that decides the home page and navigation (the most capable one held)."""
    order = [
        Role.COORDINATOR,
        Role.ORG_ADMIN,
        Role.PEER_WORKER,
        Role.RESEARCHER,
        Role.EMPLOYER_CONTACT,
        Role.REFERRER,
        Role.VOLUNTEER,
        Role.PARTICIPANT,
    ]
    held = roles_of(user)
    for role in order:
        if role in held:
            return role
    return ""


def is_staff_user(user: User) -> bool:
    """Does the user hold a role that works with case data (and so needs a second factor)?"""
    return bool(roles_of(user) & STAFF_ROLES)


def is_admin_of(user: User, organisation_id: int) -> bool:
    """Does the user administer this organisation (the org admin role in any of its programmes)?"""
    return any(
        m.role == Role.ORG_ADMIN and m.organisation_id == organisation_id
        for m in memberships_of(user)
    )
