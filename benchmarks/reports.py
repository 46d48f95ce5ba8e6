"""Time to build a year's funder report for a programme of 5 000 participants and 200 000
contacts, against the raw SQL time of the same queries (run again directly with a cursor).

Run from the repository root: ``python benchmarks/reports.py`` (SQLite in a temporary folder),
or with ``DATABASE_URL=postgres://.../ettervern_bench`` (an empty scratch database: it is
migrated and seeded; a programme seeded before is reused). Not part of the test run.
"""

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARTICIPANTS = 5_000
CONTACTS = 200_000
YEAR = 2026
SLUG = "bench-report"


def main() -> None:
    folder = tempfile.mkdtemp(prefix="ettervern-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ETTERVERN_DEMO", "1")
    # The page is served here without collectstatic.
    os.environ.setdefault(
        "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    programme = seed()
    from ettervern.reports import periods
    from ettervern.reports.selectors import build_report

    period = periods.parse(str(YEAR))
    build_report(programme=programme, period=period)  # warm caches
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            build_report(programme=programme, period=period)
            times.append(time.perf_counter() - started)
    sql = [q["sql"] for q in captured.captured_queries]
    raw = []
    for _ in range(3):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
                cursor.fetchall()
        raw.append(time.perf_counter() - started)
    build, plain = statistics.median(times), statistics.median(raw)
    page, pdf_seconds, pdf_size = page_and_pdf(programme, period)
    print(f"database: {connection.vendor}")
    print(f"participants: {PARTICIPANTS}, contacts: {CONTACTS}, period: {YEAR}")
    print(f"queries per report: {len(sql)}")
    print(f"build a year's report (median of 3): {build:.3f} s")
    print(f"raw SQL of the same queries (median of 3): {plain:.3f} s")
    print(f"ratio build / raw SQL: {build / plain:.2f}")
    print(f"report page, whole request (median of 3): {page:.3f} s")
    print(f"a year's PDF from the built report: {pdf_seconds:.3f} s ({pdf_size} bytes)")
    print(f"budget (report page under 2 s): {'met' if page < 2 else 'NOT met'}")


def page_and_pdf(programme, period) -> tuple[float, float, int]:
    """The page as a coordinator gets it (login, audit, template, charts), and the PDF."""
    from django.test import Client

    from ettervern.accounts.models import Membership, Role, User
    from ettervern.reports import periods, render
    from ettervern.reports.selectors import build_report

    user, _created = User.objects.get_or_create(
        email="koordinator@bench.test", defaults={"name": "Koordinator"}
    )
    Membership.objects.get_or_create(
        user=user,
        programme=programme,
        defaults={"organisation_id": programme.organisation_id, "role": Role.COORDINATOR},
    )
    client = Client()
    client.force_login(user)
    url = f"/rapporter/{programme.pk}/?periode={periods.code(period)}"
    times = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    report = build_report(programme=programme, period=period)
    started = time.perf_counter()
    content = render.file(report, "pdf", False)
    return statistics.median(times), time.perf_counter() - started, len(content)


def seed():
    """Bulk rows straight into the tables: status history, matches, contacts. Not through the
    services (far too slow for 200 000 rows), but in the shapes the services write."""
    from django.utils import timezone

    from ettervern.accounts.models import Organisation, Programme, User
    from ettervern.followup.models import Contact
    from ettervern.matching.models import Match
    from ettervern.participants.models import Participant, Referral, StatusChange
    from ettervern.peers.models import PeerWorker

    found = Programme.objects.filter(slug=SLUG).first()
    if found:
        return found
    started = time.perf_counter()
    rng = random.Random(20261204)  # noqa: S311
    tz = timezone.get_current_timezone()
    org = Organisation.objects.create(name="Benchmark", slug=SLUG)
    programme = Programme.objects.create(organisation=org, name="Benchmark", slug=SLUG)
    tenant = {"organisation": org, "programme": programme}
    users = User.objects.bulk_create(
        [User(email=f"peer{i}@bench.test", name=f"Peer {i}") for i in range(250)]
    )
    peers = PeerWorker.objects.bulk_create(
        [PeerWorker(user=u, max_participants=40, **tenant) for u in users]
    )

    def moment(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, rng.choice([0, 15, 30])), tzinfo=tz)

    first = dt.date(YEAR - 1, 6, 1)
    participants, changes, referrals, matches = [], [], [], []
    for i in range(PARTICIPANTS):
        referred = first + dt.timedelta(days=rng.randrange(540))
        participants.append(
            Participant(
                name=f"Deltaker {i}", status="matched", status_since=moment(referred, 9), **tenant
            )
        )
    participants = Participant.objects.bulk_create(participants, batch_size=1000)
    for p in participants:
        referred = timezone.localdate(p.status_since)
        waited = referred + dt.timedelta(days=rng.randrange(5, 60))
        start = waited + dt.timedelta(days=rng.randrange(0, 90))
        referrals.append(
            Referral(
                participant=p,
                source=rng.choice(["nav", "prison", "treatment", "self"]),
                wants_help_with="-",
                **tenant,
            )
        )
        for frm, to, day in (
            ("", "referred", referred),
            ("referred", "intake", referred),
            ("intake", "waiting", waited),
            ("waiting", "matched", start),
        ):
            changes.append(
                StatusChange(
                    participant=p, from_status=frm, to_status=to, at=moment(day, 10), **tenant
                )
            )
        matches.append(
            Match(
                participant=p, peer=rng.choice(peers), status="active", started_on=start, **tenant
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=2000)
    StatusChange.objects.bulk_create(changes, batch_size=2000)
    matches = Match.objects.bulk_create(matches, batch_size=2000)
    kinds = [k for k, _l in Contact.Kind.choices]
    contacts = []
    for _ in range(CONTACTS):
        m = rng.choice(matches)
        day = m.started_on + dt.timedelta(days=rng.randrange(0, 200))
        contacts.append(
            Contact(
                match=m,
                participant_id=m.participant_id,
                peer_id=m.peer_id,
                occurred_at=moment(day, rng.randrange(7, 23)),
                duration_minutes=rng.choice([30, 60, 90]),
                kind=rng.choice(kinds),
                initiative=rng.choice(["participant", "peer"]),
                outcome=rng.choice(["held"] * 8 + ["cancelled", "no_show"]),
                **tenant,
            )
        )
        if len(contacts) == 10_000:
            Contact.objects.bulk_create(contacts)
            contacts = []
    Contact.objects.bulk_create(contacts)
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    return programme


if __name__ == "__main__":
    main()
