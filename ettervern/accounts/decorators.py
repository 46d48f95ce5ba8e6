"""View guards by role. A role that may not use a page gets 404: we do not reveal what exists."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from ettervern.accounts.selectors import roles_of


def role_required(*roles: str) -> Callable:
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not roles_of(request.user) & set(roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
