"""View guards by role. A role that may not use a page gets 404: we do not reveal what exists.

The refusal is audited like any other denied access.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from ettervern.accounts.selectors import roles_of
from ettervern.audit.services import audit_denied


def role_required(*roles: str) -> Callable:
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not roles_of(request.user) & set(roles):
                match = request.resolver_match
                audit_denied(
                    actor=request.user,
                    object_type="view",
                    object_id=(match.view_name if match else request.path)[:40],
                )
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
