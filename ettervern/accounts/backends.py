from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings


class EttervernAuthBackend(AuthenticationBackend):
    """allauth's backend, refusing demo accounts unless demo logins are allowed (development)."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.ETTERVERN_ALLOW_DEMO_LOGINS:
            return False
        return super().user_can_authenticate(user)
