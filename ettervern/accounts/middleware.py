from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect

from ettervern.accounts.selectors import is_staff_user

# Paths a user without a second factor may still reach: login/logout/enrolment, static files
# and invitation links.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/favicon.ico", "/healthz", "/invitasjon/")


class RequireSecondFactorMiddleware:
    """With ETTERVERN_REQUIRE_2FA on, staff roles must enrol TOTP before they reach case data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ETTERVERN_REQUIRE_2FA
            and request.user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and is_staff_user(request.user)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
