"""Write a programme's funder report to a file, for cron: the same file as the download.

ettervern report --programme bergen --period 2026-11 --format pdf --out rapport.pdf
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ettervern.accounts.models import Programme
from ettervern.reports import periods, render, services
from ettervern.reports.selectors import build_report


class Command(BaseCommand):
    help = "Write a programme's report (PDF or Excel) for a period to a file."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="the programme's id or slug")
        parser.add_argument("--organisation", help="the organisation's slug, if slugs repeat")
        parser.add_argument(
            "--period", required=True, help="2026-11, 2026-K4, 2026 or 2026-01-01..2026-03-31"
        )
        parser.add_argument("--format", choices=sorted(render.RENDERERS), default="pdf")
        parser.add_argument("--shared", action="store_true", help="show counts 1-4 as <5")
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, **options):
        programmes = Programme.objects.select_related("organisation")
        key = options["programme"]
        programmes = (
            programmes.filter(pk=int(key)) if key.isdigit() else programmes.filter(slug=key)
        )
        if options["organisation"]:
            programmes = programmes.filter(organisation__slug=options["organisation"])
        found = list(programmes[:2])
        if len(found) != 1:
            raise CommandError(
                "No such programme."
                if not found
                else "Several programmes match: add --organisation."
            )
        programme = found[0]
        try:
            period = periods.parse(options["period"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        report = build_report(programme=programme, period=period)
        content = render.file(report, options["format"], options["shared"])
        Path(options["out"]).write_bytes(content)
        services.report_written(
            programme=programme, period=period, format=options["format"], shared=options["shared"]
        )
        self.stdout.write(f"{options['out']}: {len(content)} bytes")
