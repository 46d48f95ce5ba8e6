from django.db.models import QuerySet

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.matching.models import Match
from ettervern.participants.selectors import participants_visible_to


def matches_visible_to(user: User) -> QuerySet[Match]:
    """Matches of the participants the user may see; a peer worker only their own matches."""
    qs = Match.objects.filter(participant__in=participants_visible_to(user, include_grace=True))
    if not programme_ids_for_role(user, Role.COORDINATOR):
        qs = qs.filter(peer__user=user)
    return qs


def current_match_of(participant) -> Match | None:
    return (
        Match.objects.filter(participant=participant, status__in=Match.CURRENT)
        .select_related("peer__user")
        .first()
    )
