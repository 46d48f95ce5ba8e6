from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ettervern.web.demo import demo_logins, seed_demo, seed_scale


class Command(BaseCommand):
    help = "Load demo data (idempotent). --scale N adds an organisation with N participants."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="participants in a bulk org")
        parser.add_argument("--quiet-logins", action="store_true", help="do not list demo logins")

    def handle(self, *args, scale: int, quiet_logins: bool, **options):
        if not settings.ETTERVERN_ALLOW_DEMO_LOGINS:
            raise CommandError("Demo data is for the demo mode only (set ETTERVERN_DEMO=1).")
        created = seed_demo()
        self.stdout.write(
            f"Demo organisations created: {', '.join(created)}"
            if created
            else "Demo data already present; nothing added."
        )
        if scale:
            if scale < 1 or scale > 1_000_000:
                raise CommandError("--scale must be between 1 and 1000000.")
            slug = seed_scale(participants=scale)
            self.stdout.write(f"Scale organisation: {slug or 'already present'}")
            if slug and connection.vendor == "postgresql":
                # Bulk rows carry no planner statistics until autovacuum comes by (never, where
                # it is off): without them PostgreSQL plans for a few dozen rows and the
                # figures measured on the seeded data are not those of a running installation.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        if not quiet_logins:
            self.stdout.write(f"\nDemo logins (password: {settings.ETTERVERN_DEMO_PASSWORD}):")
            for programme, role, email in demo_logins():
                self.stdout.write(f"  {programme:28} {role:26} {email}")
