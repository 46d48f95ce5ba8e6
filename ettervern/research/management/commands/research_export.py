"""Write a research project's row-level export to a file, for cron: the same file as the
download, made as the named researcher, refused and audited the same way.

ettervern research_export --project 3 --researcher forsker@example.org --out uttrekk.xlsx
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ettervern.accounts.models import User
from ettervern.research.models import ResearchProject
from ettervern.research.selectors import Filters
from ettervern.research.services import FORMATS, export_make


class Command(BaseCommand):
    help = "Write an approved research project's pseudonymised export (CSV zip or Excel) to a file."

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, required=True, help="the project's id")
        parser.add_argument(
            "--researcher", required=True, help="e-mail of a researcher responsible for it"
        )
        parser.add_argument("--format", choices=sorted(FORMATS), default="xlsx")
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, **options):
        actor = User.objects.filter(email__iexact=options["researcher"], is_active=True).first()
        project = ResearchProject.objects.filter(pk=options["project"]).first()
        if actor is None or project is None:
            raise CommandError("No such active researcher or project.")
        try:
            made = export_make(
                actor=actor, project=project, filters=Filters(), fmt=options["format"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        Path(options["out"]).write_bytes(made.content)
        self.stdout.write(f"{options['out']}: {made.rows} rows, {len(made.content)} bytes")
