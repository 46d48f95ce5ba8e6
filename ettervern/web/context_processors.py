from ettervern.accounts.selectors import memberships_of, primary_role, roles_of
from ettervern.lib.panels import nav_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_role": ""}
    roles = roles_of(user)
    return {
        "nav_items": nav_for(request, roles),
        "current_role": primary_role(user),
        "memberships": memberships_of(user),
    }
