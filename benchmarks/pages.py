"""Benchmark of the main pages of every role at two sizes, and a bounded load run on loopback.

Uses the scale organisations of ``seed_demo --scale N`` (``skala-N``), seeding them first when
missing (``--seed``). For each page it prints the queries at each size, p50/p95 of the time per
request at each size (Django test client in this process, DEBUG off), the ratio of the p50s and
the share of the time spent in SQL at the larger size. ``--plan`` also times the batch plan of
each size in a fresh process and prints its peak memory. ``--load`` starts gunicorn on a
loopback port and runs simulated users (coordinators and peers, 1-5 s think time, contact
POSTs included) for a bounded time, printing requests/s, p50/p95/p99, errors and the slowest
pages; ``--think 0,0`` makes the same users send requests back to back, which gives the
saturated throughput.

Run from the repository root against the database in ``DATABASE_URL`` (SQLite by default)::

    ETTERVERN_DEMO=1 .venv/bin/python benchmarks/pages.py --sizes 5000,50000 --seed --plan
    ETTERVERN_DEMO=1 .venv/bin/python benchmarks/pages.py --sizes 50000 --load --users 50
    ETTERVERN_DEMO=1 .venv/bin/python benchmarks/pages.py --sizes 50000 --load --no-pages \
        --think 0,0 --seconds 30

Not part of the test run. The figures in the README came from this script on the 2-core
machine named there.
"""

from __future__ import annotations

import argparse
import gc
import html
import http.cookiejar
import os
import random
import re
import resource
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ETTERVERN_DEMO", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from ettervern.accounts.models import Organisation, Role  # noqa: E402
from ettervern.followup.models import Agreement  # noqa: E402
from ettervern.matching.models import Match  # noqa: E402
from ettervern.participants.models import Participant  # noqa: E402
from ettervern.peers.models import PeerWorker  # noqa: E402


class SqlTimer:
    """Counts queries and sums their time (works with DEBUG off)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def scale_org(size: int, seed: bool) -> Organisation:
    org = Organisation.objects.filter(slug=f"skala-{size}").first()
    if org is None:
        if not seed:
            sys.exit(
                f"No organisation skala-{size}: run with --seed (or seed_demo --scale {size})."
            )
        start = time.perf_counter()
        call_command("seed_demo", scale=size, quiet_logins=True)
        print(f"seeded skala-{size} in {time.perf_counter() - start:.0f} s", flush=True)
        org = Organisation.objects.get(slug=f"skala-{size}")
    return org


def people(org: Organisation) -> dict:
    """The users and objects the pages are opened for, picked the same way at every size."""
    from ettervern.accounts.models import Membership

    coordinator = (
        Membership.objects.filter(organisation=org, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    # A follow-up with an agreement at every size, so the pages compared have the same parts.
    match = (
        Match.objects.filter(organisation=org, status=Match.Status.ACTIVE)
        .filter(Exists(Agreement.objects.filter(match=OuterRef("pk"))))
        .select_related("peer__user", "participant")
        .order_by("pk")
        .first()
    )
    waiting = (
        Participant.objects.filter(organisation=org, status=Participant.Status.WAITING)
        .order_by("pk")
        .first()
    )
    other_peer = PeerWorker.objects.filter(organisation=org).order_by("-pk").first()
    return {
        "coordinator": coordinator,
        "peer_user": match.peer.user,
        "peer": match.peer,
        "followed": match.participant,
        "waiting": waiting,
        "other_peer": other_peer,
    }


def pages(p: dict) -> list[tuple[str, str, object]]:
    """(role, page, user, url) for the main page of every role."""
    c, peer = p["coordinator"], p["peer_user"]
    return [
        ("coordinator", "home", c, "/"),
        # The home's deferred panels, each fetched by the browser after the page (htmx).
        ("coordinator", "home, attention", c, reverse("web:panel", args=["oppmerksomhet"])),
        ("coordinator", "home, peer signals", c, reverse("web:panel", args=["signaler"])),
        ("coordinator", "home, peers needing you", c, reverse("web:panel", args=["likepersoner"])),
        ("coordinator", "peer list", c, reverse("peers:list")),
        ("coordinator", "peer list, far over", c, reverse("peers:list") + "?balance=over"),
        ("coordinator", "peer list, by hours", c, reverse("peers:list") + "?sort=-hours"),
        ("coordinator", "group supervision", c, reverse("peers:group_supervisions")),
        ("coordinator", "referrals", c, reverse("participants:referrals")),
        ("coordinator", "participants", c, reverse("participants:list")),
        ("coordinator", "waiting list", c, reverse("participants:waiting_list")),
        ("coordinator", "placements", c, reverse("employment:list")),
        ("coordinator", "placements, searched", c, reverse("employment:list") + "?q=zzq"),
        ("coordinator", "companies", c, reverse("employment:company_list")),
        ("coordinator", "candidates", c, reverse("peers:candidates")),
        ("coordinator", "participants, searched", c, reverse("participants:list") + "?q=zzq"),
        ("coordinator", "audit log", c, reverse("audit:list")),
        ("coordinator", "audit log, reads", c, reverse("audit:list") + "?action=read"),
        ("coordinator", "matching plan", c, reverse("matching:plan")),
        ("coordinator", "matching plan, computed", c, reverse("matching:plan_result")),
        ("coordinator", "recruitment radar", c, reverse("radar:radar")),
        ("coordinator", "recruitment radar, computed", c, reverse("radar:result")),
        (
            "coordinator",
            "participant (waiting)",
            c,
            reverse("participants:detail", args=[p["waiting"].pk]),
        ),
        (
            "coordinator",
            "why not",
            c,
            reverse("matching:why_not", args=[p["waiting"].pk]) + f"?peer={p['other_peer'].pk}",
        ),
        ("coordinator", "peer page", c, reverse("peers:detail", args=[p["peer"].pk])),
        ("peer", "home", peer, "/"),
        ("peer", "own page", peer, reverse("peers:detail", args=[p["peer"].pk])),
        ("peer", "participant", peer, reverse("participants:detail", args=[p["followed"].pk])),
    ]


def measure(size: int, requests: int, seed: bool, only: str = "") -> dict:
    org = scale_org(size, seed)
    results = {}
    clients: dict[int, Client] = {}
    for role, name, user, url in pages(people(org)):
        if only and only not in f"{role} {name}":
            continue
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
        headers = _fragment_headers(url)
        response = client.get(url, headers=headers)  # warm caches (and see that it works)
        # As the production server does after its start (config/gunicorn.conf.py): what is
        # loaded so far is frozen out of the collector's way, so a page is not timed with a
        # full collection of everything the benchmark process holds (60-80 ms, seen as p95).
        gc.collect()
        gc.freeze()
        if response.status_code != 200:
            print(f"  {role} {name}: HTTP {response.status_code}", flush=True)
        times, sql, queries = [], 0.0, 0
        for _ in range(requests):
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                start = time.perf_counter()
                client.get(url, headers=headers)
                times.append(time.perf_counter() - start)
            sql += timer.seconds
            queries = timer.count
        results[(role, name)] = {
            "queries": queries,
            "p50": percentile(times, 0.5) * 1000,
            "p95": percentile(times, 0.95) * 1000,
            "sql_share": sql / sum(times),
            "status": response.status_code,
        }
        r = results[(role, name)]
        print(
            f"  skala-{size} {role} {name}: {queries} queries, p50 {r['p50']:.0f} ms, "
            f"p95 {r['p95']:.0f} ms",
            flush=True,
        )
    return results


def _fragment_headers(url: str) -> dict:
    """A deferred panel is fetched by htmx, as a fragment."""
    return {"HX-Request": "true"} if url.startswith(reverse("web:panel", args=["x"])[:-2]) else {}


def print_pages(sizes: list[int], runs: dict[int, dict]) -> None:
    small, large = sizes[0], sizes[-1]
    vendor = connection.vendor
    print(f"\nPages on {vendor} ({len(next(iter(runs.values())))} pages), times in ms")
    header = (
        f"{'role':<12}{'page':<24}{'q@' + str(small):>8}{'q@' + str(large):>9}"
        f"{'p50@' + str(small):>11}{'p95@' + str(small):>11}"
        f"{'p50@' + str(large):>11}{'p95@' + str(large):>11}{'ratio':>7}{'SQL':>6}"
    )
    print(header)
    print("-" * len(header))
    for key in runs[small]:
        a, b = runs[small][key], runs[large][key]
        print(
            f"{key[0]:<12}{key[1]:<24}{a['queries']:>8}{b['queries']:>9}"
            f"{a['p50']:>11.1f}{a['p95']:>11.1f}{b['p50']:>11.1f}{b['p95']:>11.1f}"
            f"{b['p50'] / a['p50']:>7.2f}{b['sql_share']:>6.0%}"
            + ("" if a["status"] == b["status"] == 200 else f"  HTTP {a['status']}/{b['status']}")
        )


# --- the batch plan in a fresh process ----------------------------------------------------------


def _peak_kb() -> int:
    """This process's peak resident memory (VmHWM; ru_maxrss can carry the parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def plan_only(size: int) -> None:
    from ettervern.accounts.models import Programme
    from ettervern.matching.engine import batch_plan_for

    programme = Programme.objects.get(organisation__slug=f"skala-{size}")
    before = _peak_kb()
    start = time.perf_counter()
    plan = batch_plan_for(programme)
    seconds = time.perf_counter() - start
    peak = _peak_kb()
    print(
        f"plan skala-{size}: {seconds:.2f} s, {len(plan.pairs)} pairs, "
        f"{plan.waiting_count} waiting, peak RSS {peak / 1024:.0f} MB "
        f"(after Django start {before / 1024:.0f} MB)",
        flush=True,
    )


def suggestions_only(size: int, count: int = 15) -> None:
    from ettervern.matching.engine import suggestions_for

    waiting = list(
        Participant.objects.filter(organisation__slug=f"skala-{size}", status="waiting")
        .select_related("programme")
        .order_by("pk")[:count]
    )
    times = []
    for p in waiting:
        start = time.perf_counter()
        suggestions_for(p)
        times.append(time.perf_counter() - start)
    print(
        f"suggestions skala-{size}: p50 {percentile(times, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(times, 0.95) * 1000:.0f} ms over {len(times)} participants",
        flush=True,
    )


# --- a bounded load run on loopback -------------------------------------------------------------


def _session_cookie(user) -> str:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client.cookies["sessionid"].value


def load_run(
    size: int, users: int, seconds: int, port: int, workers: int, think: tuple[float, float]
) -> None:
    org = scale_org(size, seed=False)
    p = people(org)
    peer_rows = list(
        Match.objects.filter(organisation=org, status=Match.Status.ACTIVE)
        .select_related("peer__user")
        .order_by("pk")[: max(1, users)]
    )
    coordinators = max(1, users // 5)
    base = f"http://127.0.0.1:{port}"
    # Each simulated user: a role, a session, and the pages it opens in turn.
    plans = []
    for i in range(users):
        if i < coordinators:
            urls = [u for role, _n, _u, u in pages(p) if role == "coordinator"]
            urls.remove(reverse("matching:plan_result"))  # a deliberate act, not a browsing page
            urls.remove(reverse("radar:result"))  # the same re-planning
            plans.append(("coordinator", _session_cookie(p["coordinator"]), urls, None))
        else:
            m = peer_rows[(i - coordinators) % len(peer_rows)]
            urls = [
                "/",
                reverse("peers:detail", args=[m.peer.pk]),
                reverse("participants:detail", args=[m.participant_id]),
            ]
            plans.append(("peer", _session_cookie(m.peer.user), urls, m))
    env = {**os.environ, "ETTERVERN_DEMO": "1", "DEBUG": "false"}
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-c",
            "config/gunicorn.conf.py",  # the production settings, with the address and workers
            "config.wsgi",
            "--access-logfile",
            "/dev/null",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
                break
            except OSError:  # not up yet (refused or timed out)
                time.sleep(0.5)
        latencies: list[float] = []
        by_page: dict[str, list[float]] = {}
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def fetch(opener, url, data=None, headers=None):
            start = time.perf_counter()
            try:
                request = urllib.request.Request(  # noqa: S310 - our own server on loopback
                    base + url, data=data, headers=headers or {}
                )
                with opener.open(request, timeout=30) as response:
                    body = response.read()
                    ok = response.status < 400
            except urllib.error.HTTPError as exc:
                body, ok = b"", exc.code < 400
                with lock:
                    errors.append(f"{exc.code} {url}")
            except Exception as exc:  # noqa: BLE001 - any failure is an error of the run
                body, ok = b"", False
                with lock:
                    errors.append(f"{type(exc).__name__} {url}")
            with lock:
                latencies.append(time.perf_counter() - start)
                name = f"{opener.role} {_page_name(url, data)}"
                by_page.setdefault(name, []).append(latencies[-1])
            return body if ok else b""

        def user_loop(index: int, role: str, session: str, urls: list[str], match) -> None:
            rng = random.Random(index)
            jar = http.cookiejar.CookieJar()
            jar.set_cookie(_cookie("sessionid", session))
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            opener.role = role  # for the per-page figures
            time.sleep(rng.uniform(0, 3))
            step = 0
            while time.monotonic() < stop:
                url = urls[step % len(urls)]
                step += 1
                body = fetch(opener, url)
                # As the browser does: the deferred panels, each a request of its own.
                for panel in DEFERRED.findall(body.decode("utf-8", "replace")):
                    fetch(opener, html.unescape(panel), headers={"HX-Request": "true"})
                if match is not None and step % 6 == 0:
                    _log_contact(opener, fetch, match, rng)
                del body
                time.sleep(rng.uniform(*think))

        threads = [
            threading.Thread(target=user_loop, args=(i, *plan), daemon=True)
            for i, plan in enumerate(plans)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 60)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    ms = [x * 1000 for x in latencies]
    print(
        f"\nLoad on {connection.vendor}, skala-{size}, {users} users "
        f"({coordinators} coordinators, think time {think[0]:g}-{think[1]:g} s), "
        f"gunicorn {workers} workers, {seconds} s: {len(ms)} requests, "
        f"{len(ms) / elapsed:.1f} requests/s, p50 {percentile(ms, 0.5):.0f} ms, "
        f"p95 {percentile(ms, 0.95):.0f} ms, p99 {percentile(ms, 0.99):.0f} ms, "
        f"{len(errors)} errors {sorted(set(errors))[:5]}"
    )
    print("Slowest pages in the load run (requests, p50 / p95 ms):")
    slowest = sorted(by_page.items(), key=lambda kv: -percentile(kv[1], 0.95))[:8]
    for name, values in slowest:
        print(
            f"  {name:<40} {len(values):>5} {percentile(values, 0.5) * 1000:>7.0f} "
            f"{percentile(values, 0.95) * 1000:>7.0f}"
        )


DEFERRED = re.compile(r'data-deferred="[^"]*" hx-get="([^"]+)"')


def _page_name(url: str, data: bytes | None) -> str:
    """A URL without its ids and query, as the page it opens (POST marked)."""
    path = re.sub(r"/\d+(?=/|$)", "/<id>", url.split("?")[0])
    return ("POST " if data is not None else "") + path


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0,
        name,
        value,
        None,
        False,
        "127.0.0.1",
        False,
        False,
        "/",
        True,
        False,
        None,
        False,
        None,
        None,
        {},
    )


def _log_contact(opener, fetch, match, rng) -> None:
    """A peer logs a phone call: GET the form (CSRF token and submission key), then POST."""
    url = reverse("followup:contact_new", args=[match.participant_id])
    body = fetch(opener, url).decode("utf-8", "replace")
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|submission_key)" value="([^"]+)"', body))
    if len(fields) < 2:
        return
    data = {
        **fields,
        "kind": "phone",
        "outcome": "held",
        "duration_minutes": str(rng.choice([15, 30, 45])),
        "initiative": "peer",
        "occurred_at": time.strftime("%Y-%m-%dT%H:%M"),
    }
    fetch(opener, url, data=urllib.parse.urlencode(data).encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--seed", action="store_true", help="seed missing scale organisations")
    parser.add_argument("--plan", action="store_true", help="time the batch plan and suggestions")
    parser.add_argument("--plan-only", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load", action="store_true", help="a loopback load run (largest size)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--think", default="1,5", help="think time between a user's requests, min,max seconds"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument(
        "--only", default="", help='only the pages named so, e.g. "coordinator home"'
    )
    args = parser.parse_args()
    if args.plan_only:
        plan_only(args.plan_only)
        suggestions_only(args.plan_only)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    # DEBUG is off: pages need the collected, hashed static files (as in production).
    call_command("collectstatic", interactive=False, verbosity=0)
    if not args.no_pages:
        runs = {size: measure(size, args.requests, args.seed, args.only) for size in sizes}
        print_pages(sizes, runs)
    if args.plan:
        for size in sizes:
            subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--plan-only", str(size)], check=False, env=os.environ
            )
    if args.load:
        low, high = (float(x) for x in args.think.split(","))
        load_run(sizes[-1], args.users, args.seconds, args.port, args.workers, (low, high))


if __name__ == "__main__":
    main()
