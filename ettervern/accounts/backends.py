from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings


class EttervernAuthBackend(AuthenticationBackend):
    """allauth's backend, refusing demo accounts unless demo logins are allowed (development).

    The refusal is in ``authenticate`` rather than ``user_can_authenticate``: allauth treats a
    user who fails the latter as "inactive" and would still log them in.
    """

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and user.is_demo and not settings.ETTERVERN_ALLOW_DEMO_LOGINS:
            return None
        return user
