"""Demo data: two organisations modelled on the services in the domain sources.

Each app may add a ``demo`` module with ``seed(ctx)`` (small, realistic data for the demo
organisations) and ``seed_scale(ctx)`` (bulk data for benchmarks). They run in the order of
``HOOK_APPS`` inside one transaction per organisation, so a failed seed leaves nothing behind.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from ettervern.accounts.areas import seed_city
from ettervern.accounts.models import Membership, Organisation, Programme, Role, User
from ettervern.audit.models import AuditEvent

HOOK_APPS = [
    "ettervern.peers",
    "ettervern.participants",
    "ettervern.matching",
    "ettervern.followup",
    "ettervern.employment",
    "ettervern.outcomes",
    "ettervern.arenas",
    "ettervern.offers",
    "ettervern.reminders",
    "ettervern.research",
]


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    programme_name: str
    programme_slug: str
    kind: str
    city: str
    email_domain: str
    areas: tuple[str, ...]


ORGS = [
    OrgSpec(
        slug="demo-bergen",
        name="Rusfeltets Likepersonforening Vest (demo)",
        programme_name="Likepersontjenesten Bergen",
        programme_slug="likepersontjenesten-bergen",
        kind=Programme.Kind.PEER_SUPPORT,
        city="Bergen",
        email_domain="bergen.demo.ettervern.no",
        areas=("bergenhus", "arstad", "fana", "ytrebygda", "fyllingsdalen", "laksevag", "asane"),
    ),
    OrgSpec(
        slug="demo-oslo",
        name="Stiftelsen Ny Start Oslo (demo)",
        programme_name="Ut i jobb",
        programme_slug="ut-i-jobb",
        kind=Programme.Kind.JOB,
        city="Oslo",
        email_domain="oslo.demo.ettervern.no",
        areas=("gamle_oslo", "grunerlokka", "sagene", "grorud", "stovner", "alna", "frogner"),
    ),
]

# One demo login per role (the peer worker role twice: one matched with the demo participant).
DEMO_LOGINS = [
    ("koordinator", Role.COORDINATOR),
    ("likeperson", Role.PEER_WORKER),
    ("likeperson2", Role.PEER_WORKER),
    ("deltaker", Role.PARTICIPANT),
    ("arbeidsgiver", Role.EMPLOYER_CONTACT),
    ("henviser", Role.REFERRER),
    ("forsker", Role.RESEARCHER),
    ("admin", Role.ORG_ADMIN),
    ("frivillig", Role.VOLUNTEER),
]


@dataclass
class DemoContext:
    spec: OrgSpec
    organisation: Organisation
    programme: Programme
    users: dict[str, User]
    faker: Faker
    rng: random.Random
    now: dt.datetime
    today: dt.date
    password_hash: str
    scale: int = 0
    # Filled by the hooks as they run, for the hooks after them.
    shared: dict = field(default_factory=dict)

    def person_name(self, gender: str = "") -> str:
        """A Norwegian first and last name fitting the gender (Faker's ``name()`` adds titles
        such as "Dr.")."""
        first = {
            "female": self.faker.first_name_female,
            "male": self.faker.first_name_male,
        }.get(gender, self.faker.first_name)()
        return f"{first} {self.faker.last_name()}"

    def history(self, rows: list[dict]) -> None:
        """Audit rows for history that demo data inserts in bulk, so that timelines show it.

        Each dict has ``at``, ``obj_type``, ``obj_id``, ``participant_id``, ``action`` and
        ``data`` (the same safe event codes the services write)."""
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    at=row["at"],
                    organisation=self.organisation,
                    programme=self.programme,
                    action=row["action"],
                    object_type=row["obj_type"],
                    object_id=str(row["obj_id"]),
                    participant_id=row["participant_id"],
                    summary="demo data",
                    data=row["data"],
                )
                for row in rows
            ],
            batch_size=2000,
        )

    @staticmethod
    def gender_of(name: str) -> str:
        """ "female"/"male" when the first name is one of Faker's Norwegian names, else ""."""
        from faker.providers.person.no_NO import Provider

        first = name.split(" ", 1)[0]
        if first in Provider.first_names_female:
            return "female"
        if first in Provider.first_names_male:
            return "male"
        return ""

    def demo_user(self, local: str, name: str) -> User:
        email = f"{local}@{self.spec.email_domain}"
        user = User(email=email, name=name, is_demo=True, password=self.password_hash)
        user.save()
        self.users[local] = user
        return user

    def member(self, user: User, role: str) -> Membership:
        return Membership.objects.create(
            user=user, organisation=self.organisation, programme=self.programme, role=role
        )


def demo_logins() -> list[tuple[str, str, str]]:
    """(programme, role label, email) for every demo login, for the README and ``make run``."""
    rows = []
    for spec in ORGS:
        for local, role in DEMO_LOGINS:
            rows.append(
                (spec.programme_name, str(Role(role).label), f"{local}@{spec.email_domain}")
            )
    return rows


def _run_hooks(ctx: DemoContext, fn_name: str) -> None:
    for app in HOOK_APPS:
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        fn = getattr(module, fn_name, None)
        if fn is not None:
            fn(ctx)


def _context(spec: OrgSpec, org: Organisation, programme: Programme, seed: int, scale: int):
    faker = Faker("no_NO")
    faker.seed_instance(seed)
    now = timezone.now()
    return DemoContext(
        spec=spec,
        organisation=org,
        programme=programme,
        users={},
        faker=faker,
        rng=random.Random(seed),
        now=now,
        today=timezone.localdate(now),
        password_hash=make_password(settings.ETTERVERN_DEMO_PASSWORD),
        scale=scale,
    )


def seed_demo(*, stdout=None) -> list[str]:
    """Create the two demo organisations unless they exist. Returns the slugs created."""
    created = []
    for index, spec in enumerate(ORGS):
        if Organisation.objects.filter(slug=spec.slug).exists():
            continue
        with transaction.atomic():
            org = Organisation.objects.create(name=spec.name, slug=spec.slug)
            seed_city(org, spec.city.casefold())
            programme = Programme.objects.create(
                organisation=org, name=spec.programme_name, slug=spec.programme_slug, kind=spec.kind
            )
            ctx = _context(spec, org, programme, seed=1000 + index, scale=0)
            for local, role in DEMO_LOGINS:
                ctx.member(ctx.demo_user(local, ctx.person_name()), role)
            _run_hooks(ctx, "seed")
        created.append(spec.slug)
    return created


def seed_scale(*, participants: int) -> str | None:
    """A separate organisation with ``participants`` participants for benchmarks (bulk inserts)."""
    slug = f"skala-{participants}"
    if Organisation.objects.filter(slug=slug).exists():
        return None
    spec = OrgSpec(
        slug=slug,
        name=f"Skalatest {participants} (demo)",
        programme_name=f"Skalatest {participants}",
        programme_slug=slug,
        kind=Programme.Kind.PEER_SUPPORT,
        city="Bergen",
        email_domain=f"{slug}.demo.ettervern.no",
        areas=ORGS[0].areas,
    )
    with transaction.atomic():
        org = Organisation.objects.create(name=spec.name, slug=slug)
        seed_city(org, spec.city.casefold())
        programme = Programme.objects.create(
            organisation=org, name=spec.programme_name, slug=slug, kind=spec.kind
        )
        ctx = _context(spec, org, programme, seed=participants, scale=participants)
        ctx.member(ctx.demo_user("koordinator", ctx.person_name()), Role.COORDINATOR)
        _run_hooks(ctx, "seed_scale")
    return slug
