from django.apps import AppConfig


class OrgAdminConfig(AppConfig):
    """The organisation's administration: invitations, users and roles, programmes."""

    name = "ettervern.orgadmin"
    label = "orgadmin"
