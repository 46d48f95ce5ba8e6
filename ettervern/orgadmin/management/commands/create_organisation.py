"""For a hosting operator: a new organisation, its first programme and an invitation by e-mail
for its first administrator, who then invites everyone else."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ettervern.orgadmin.services import organisation_create


class Command(BaseCommand):
    help = "Create an organisation, a first programme and invite its first administrator."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The organisation's name")
        parser.add_argument("--slug", required=True, help="Short unique name, e.g. alarm-bergen")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)
        parser.add_argument(
            "--programme", default="", help="The first programme's name (default: the name)"
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="The address links in mail point to (default: ETTERVERN_SITE_URL)",
        )

    def handle(self, *args, **options):
        try:
            organisation, invitation = organisation_create(
                name=options["name"],
                slug=options["slug"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
                programme_name=options["programme"],
                site_url=options["site_url"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Created {organisation.name} ({organisation.slug}) with the programme "
            f"{invitation.programme.name}; an invitation was sent to {invitation.email}, "
            f"valid until {timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M %Z}."
        )
