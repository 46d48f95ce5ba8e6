import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by coordinators and administrators, never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Enrolling the first second factor right after the password login that we forced it
        from does not ask for the password again; every later MFA change does."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = getattr(self, "request", None)
        if not required or app != "allauth.mfa" or request is None:
            return required
        from allauth.mfa.models import Authenticator

        user = request.user
        if Authenticator.objects.filter(user=user).exists():
            return True
        records = get_authentication_records(request, user)
        recent = [r for r in records if r.get("method") == "password"]
        return not (
            recent and time.time() - recent[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
        )
