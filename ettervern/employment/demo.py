"""Demo data for the job programme («Ut i jobb», Oslo): partner companies with intent agreements,
contact persons (the demo employer login is one), and placements of matched participants with
triangle agreements in different states, meetings, an action and a relapse."""

import datetime as dt

from ettervern.accounts.models import Programme
from ettervern.employment import services
from ettervern.employment.models import (
    AgreementVersion,
    Company,
    ContactPerson,
    IntentAgreement,
    Meeting,
    Party,
    Placement,
)
from ettervern.matching.models import Match

COMPANIES = [
    ("Trygg Vei Sikring AS", "road_safety", "Skilting, sikring av arbeidsvarsling"),
    ("Byggmester Nordby AS", "construction", "Riving, bæring, enkel snekring"),
    ("Lager og Salg Alna AS", "warehouse_sales", "Plukk, pakking, butikk"),
    ("Gründerhuset Grünerløkka", "entrepreneurship", "Eget prosjekt med mentor"),
    ("Groruddalen Veiservice AS", "road_safety", "Vintervedlikehold, feiing"),
]
AGREEMENT = {
    "participant_expectations": "Lære faget, ha faste arbeidstider og noen å si fra til.",
    "employer_expectations": "Møte presis kl. 07, si fra før kl. 07 ved fravær, følge HMS.",
    "advisor_expectations": "Åpenhet om hvordan det går, også når det er tungt.",
    "follow_up": "Telefon hver morgen og skyss til jobb første uke, deretter ukentlig samtale.",
    "meeting_interval_days": 30,
    "continue_criteria": "Møter til avtalt tid\nGir beskjed ved fravær\nFølger sikkerhetsreglene",
    "end_criteria": "Gjentatt fravær uten beskjed, eller rus på jobb.",
    "relapse_plan": "Veileder tar kontakt samme dag. Sykmelding vurderes, tettere oppfølging.",
    "who_to_call": "Veileder på dagtid, vakttelefon kveld og helg; bedriften ringer veileder.",
    "share_relapse_with_employer": True,
}


def _confirm(placement, number, parties, users, reason=""):
    for party in parties:
        actor = users[party]
        services.agreement_confirm(
            actor=actor,
            placement=placement,
            number=number,
            party=party,
            on_behalf=bool(reason) and party != Party.ADVISOR,
            reason=reason if party != Party.ADVISOR else "",
        )


def seed(ctx) -> None:
    if ctx.programme.kind != Programme.Kind.JOB:
        return
    coordinator, employer_user = ctx.users["koordinator"], ctx.users["arbeidsgiver"]
    companies, contacts = [], []
    for index, (name, industry, work) in enumerate(COMPANIES):
        company = services.company_create(
            actor=coordinator, programme=ctx.programme, name=name, industry=industry
        )
        services.intent_agreement_add(
            actor=coordinator,
            company=company,
            valid_from=ctx.today - dt.timedelta(days=300 - 40 * index),
            valid_to=ctx.today + dt.timedelta(days=365) if index % 2 else None,
            places=2 + index % 3,
            kinds_of_work=work,
        )
        person = services.contact_person_add(
            actor=coordinator,
            company=company,
            name=employer_user.name if index == 0 else ctx.person_name(),
            title="Daglig leder" if index % 2 else "Avdelingsleder",
            phone=f"4{ctx.rng.randint(1000000, 9999999)}",
            email=employer_user.email if index == 0 else f"kontakt{index}@{ctx.spec.email_domain}",
        )
        if index == 0:
            ContactPerson.objects.filter(pk=person.pk).update(user=employer_user)
            person.user = employer_user
        companies.append(company)
        contacts.append(person)

    matches = [m for m in ctx.shared.get("matches", []) if m.status == Match.Status.ACTIVE][:4]
    for index, match in enumerate(matches):
        participant = match.participant
        advisor_user = match.peer.user
        started = ctx.today - dt.timedelta(days=(3, 75, 130, 200)[index])
        placement = services.placement_create(
            actor=advisor_user,
            participant=participant,
            company=companies[index],
            contact_person=contacts[index],
            kind="employment" if index % 2 == 0 else "work_training",
            started_on=started,
            position_percent=(100, 50, 80, 100)[index],
            tasks=COMPANIES[index][2],
            adaptations="Starter kl. 08 de første ukene." if index == 0 else "",
            goals=list(participant.goals.filter(life_area="work_education")),
        )
        version = services.agreement_save(actor=advisor_user, placement=placement, fields=AGREEMENT)
        users = {
            Party.PARTICIPANT: participant.user or advisor_user,
            Party.EMPLOYER: contacts[index].user or advisor_user,
            Party.ADVISOR: advisor_user,
        }
        on_behalf = "" if index == 0 else "Signert på papir i oppstartsmøtet"
        if index == 0:
            # The demo triangle (deltaker, arbeidsgiver, likeperson): v1 waits for the others.
            _confirm(placement, 1, [Party.ADVISOR], users)
            continue
        _confirm(placement, 1, list(Party.values), users, reason=on_behalf)
        if index == 2:
            # Changed after a month: the new version waits for the employer.
            version = services.agreement_save(
                actor=advisor_user,
                placement=placement,
                fields={**AGREEMENT, "meeting_interval_days": 14},
            )
            _confirm(placement, 2, [Party.ADVISOR, Party.PARTICIPANT], users, reason=on_behalf)
        for step in range(1, 4):
            day = started + dt.timedelta(days=30 * step)
            if day >= ctx.today:
                break
            meeting = services.meeting_schedule(
                actor=advisor_user, placement=placement, scheduled_for=day
            )
            services.meeting_record(
                actor=advisor_user,
                meeting=meeting,
                status="held",
                held_on=day + dt.timedelta(days=ctx.rng.randint(0, 9)),
                attended={Party.PARTICIPANT: True, Party.EMPLOYER: True, Party.ADVISOR: True},
                criteria={c: ctx.rng.choice(["met", "met", "at_risk"]) for c in version.criteria()},
                raised={
                    Party.PARTICIPANT: "Trives, men trøtt om morgenen.",
                    Party.EMPLOYER: "Stabil og grei å jobbe med.",
                    Party.ADVISOR: "Fortsetter telefon om morgenen.",
                },
            )
            if step == 1:
                services.action_add(
                    actor=advisor_user,
                    meeting=meeting,
                    description="Skaffe vernesko og arbeidsklær",
                    owner=Party.EMPLOYER,
                    due_on=day + dt.timedelta(days=14),
                )
        if index == 2:
            services.relapse_record(
                actor=advisor_user,
                placement=placement,
                occurred_on=ctx.today - dt.timedelta(days=2),
                note="Sprekk i helgen; tok selv kontakt mandag morgen.",
            )
        if index == 3:
            services.placement_end(
                actor=advisor_user,
                placement=placement,
                ended_on=ctx.today - dt.timedelta(days=20),
                reason="hired",
            )


def seed_scale(ctx) -> None:
    """Employment at scale, in bulk: partner companies (one per 100 participants, so that with
    1-5 places each most have room, as a network of partners is kept) with intent
    agreements and contact persons, and a placement for one active match in twenty, with its
    triangle agreement and a monthly meeting (held, or planned when in the future)."""
    rng = ctx.rng
    scope = {"organisation": ctx.organisation, "programme": ctx.programme}
    count = max(3, ctx.scale // 100)
    companies = Company.objects.bulk_create(
        Company(
            name=f"{COMPANIES[i % len(COMPANIES)][0]} {i + 1}",
            industry=COMPANIES[i % len(COMPANIES)][1],
            **scope,
        )
        for i in range(count)
    )
    IntentAgreement.objects.bulk_create(
        IntentAgreement(
            company=c,
            valid_from=ctx.today - dt.timedelta(days=rng.randint(30, 700)),
            places=rng.randint(1, 5),
            kinds_of_work=COMPANIES[i % len(COMPANIES)][2],
            **scope,
        )
        for i, c in enumerate(companies)
    )
    contacts = ContactPerson.objects.bulk_create(
        ContactPerson(
            company=c,
            name=ctx.person_name(),
            email=f"kontakt{i}@{ctx.spec.email_domain}",
            **scope,
        )
        for i, c in enumerate(companies)
    )
    active = [m for m in ctx.shared.get("matches", []) if m.status == Match.Status.ACTIVE]
    chosen = [m for m in active if rng.random() < 0.05]
    placements = []
    for m in chosen:
        i = rng.randrange(count)
        started = max(m.started_on, ctx.today - dt.timedelta(days=rng.randint(3, 300)))
        placements.append(
            Placement(
                participant=m.participant,
                company=companies[i],
                contact_person=contacts[i],
                advisor=m.peer,
                kind=rng.choice(["employment", "work_training"]),
                started_on=started,
                position_percent=rng.choice([50, 80, 100]),
                tasks=COMPANIES[i % len(COMPANIES)][2],
                intensified_until=started + dt.timedelta(days=6),
                **scope,
            )
        )
    placements = Placement.objects.bulk_create(placements, batch_size=2000)
    versions = AgreementVersion.objects.bulk_create(
        (AgreementVersion(placement=p, number=1, **AGREEMENT, **scope) for p in placements),
        batch_size=2000,
    )
    Meeting.objects.bulk_create(
        (
            Meeting(
                placement=p,
                version=v,
                scheduled_for=p.started_on + dt.timedelta(days=30),
                **scope,
            )
            for p, v in zip(placements, versions, strict=True)
        ),
        batch_size=2000,
    )
