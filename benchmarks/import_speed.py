"""How long a coordinator waits when moving in: a 200-participant, 20-peer workbook (30 current
matches) built in memory, then the dry run, the import, and the dry run of the same file again.

Run from the repository root: ``python benchmarks/import_speed.py``. Uses a new SQLite file in
a temporary folder, or ``DATABASE_URL`` when it is set (an empty scratch database: it is
migrated and written to). Not part of the test run.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTICIPANTS, PEERS, MATCHES = 200, 20, 30


def main() -> None:
    folder = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ettervern.accounts.models import Membership, Organisation, Programme, Role, User
    from ettervern.imports import services
    from ettervern.imports.tests import sheets
    from ettervern.participants.models import Participant

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Flytting", slug=f"flytting-{time.time_ns()}")
    programme = Programme.objects.create(organisation=org, name="P", slug="p")
    user = User.objects.create_user(f"k{time.time_ns()}@example.org", None, name="Koordinator")
    Membership.objects.create(
        user=user, organisation=org, programme=programme, role=Role.COORDINATOR
    )

    started = time.perf_counter()
    rows, peers = sheets.people(participants=PARTICIPANTS, peers=PEERS, matches=MATCHES)
    content = sheets.xlsx(rows, peers)
    build = time.perf_counter() - started

    def timed(label: str, run):
        begin = time.perf_counter()
        outcome = run()
        seconds = time.perf_counter() - begin
        created = dict(outcome.created)
        print(f"{label:<28} {seconds:7.2f} s   {created} problems={len(outcome.problems)}")
        return outcome

    print(
        f"database: {connection.vendor}; file: {len(content) / 1024:.0f} KiB built in {build:.2f} s"
    )
    check = time.perf_counter()
    services.import_check(programme=programme, name="flytting.xlsx", content=content)
    print(f"{'read and check only':<28} {time.perf_counter() - check:7.2f} s")
    dry = timed(
        "dry run",
        lambda: services.import_dry_run(
            actor=user, programme=programme, name="flytting.xlsx", content=content
        ),
    )
    upload = services.upload_keep(
        actor=user, programme=programme, name="flytting.xlsx", content=content, plan=dry.plan
    )
    timed("import", lambda: services.import_apply(actor=user, upload=upload))
    timed(
        "dry run of the same file",
        lambda: services.import_dry_run(
            actor=user, programme=programme, name="flytting.xlsx", content=content
        ),
    )
    print(
        f"participants in the programme: {Participant.objects.filter(programme=programme).count()}"
    )


if __name__ == "__main__":
    main()
