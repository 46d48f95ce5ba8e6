"""Demo offers for each demo organisation, dated relative to today: most checked lately, one
not checked for eight months (flagged), and a suggestion to the demo participant login."""

import datetime as dt

from ettervern.accounts.models import Programme
from ettervern.matching.access import current_match_of
from ettervern.offers import services
from ettervern.offers.models import Category, Offer, categories_for_life_areas
from ettervern.participants.models import Goal, Participant

# (name, provider, category, target group, address, opening hours, price, contact, days ago)
BERGEN = [
    (
        "Gatejuristen Bergen",
        "Kirkens Bymisjon",
        Category.LEGAL_DEBT,
        "Personer med rusproblemer eller rusbakgrunn",
        "Kong Oscars gate 15",
        "Tirsdager 12–15",
        "Gratis",
        "Møt opp, eller ring 55 00 00 00",
        20,
    ),
    (
        "NA-møte Bergen sentrum",
        "Anonyme Narkomane",
        Category.SELF_HELP,
        "Alle som ønsker å slutte å bruke rusmidler",
        "Domkirkegaten 6",
        "Mandag og torsdag kl. 19",
        "Gratis",
        "Bare møt opp",
        60,
    ),
    (
        "NAV Bergenhus",
        "NAV",
        Category.WORK_EDUCATION,
        "Alle",
        "Strømgaten 1",
        "Hverdager 10–14 (timeavtale)",
        "Gratis",
        "Ring 55 55 33 33 eller nav.no",
        245,
    ),
    (
        "Boligkontoret – midlertidig bolig",
        "Bergen kommune",
        Category.HOUSING,
        "Bostedsløse og de som står i fare for å bli det",
        "Kaigaten 4",
        "Hverdager 9–15",
        "Gratis",
        "Via NAV-veileder",
        90,
    ),
    (
        "Kafé Fontenehuset",
        "Fontenehuset Bergen",
        Category.LEISURE,
        "Voksne med psykiske helseutfordringer",
        "Vestre Torggate 20",
        "Hverdager 8–15",
        "Lunsj 30 kr",
        "Kom innom",
        30,
    ),
    (
        "Pårørendesenteret",
        "Pårørendesenteret Bergen",
        Category.FAMILY,
        "Pårørende til personer med rus- eller psykiske lidelser",
        "Håkonsgaten 2",
        "Etter avtale",
        "Gratis",
        "post@parorende.example",
        45,
    ),
]
OSLO = [
    (
        "Gatejuristen Oslo",
        "Kirkens Bymisjon",
        Category.LEGAL_DEBT,
        "Personer med rusproblemer eller rusbakgrunn",
        "Tollbugata 3",
        "Onsdager 12–16",
        "Gratis",
        "Møt opp, eller ring 22 00 00 00",
        15,
    ),
    (
        "NA-møte Grünerløkka",
        "Anonyme Narkomane",
        Category.SELF_HELP,
        "Alle som ønsker å slutte å bruke rusmidler",
        "Thorvald Meyers gate 55",
        "Søndager kl. 18",
        "Gratis",
        "Bare møt opp",
        50,
    ),
    (
        "NAV Gamle Oslo",
        "NAV",
        Category.WORK_EDUCATION,
        "Alle",
        "Storgata 51",
        "Hverdager 10–14 (timeavtale)",
        "Gratis",
        "Ring 55 55 33 33 eller nav.no",
        245,
    ),
    (
        "Kirkens Bymisjon – Kafé Sporet",
        "Kirkens Bymisjon",
        Category.LEISURE,
        "Personer i eller etter rus",
        "Hausmanns gate 8",
        "Tirsdag–fredag 10–15",
        "Kaffe 10 kr",
        "Kom innom",
        30,
    ),
    (
        "Gjeldsrådgivning",
        "NAV Økonomi- og gjeldsrådgivning",
        Category.LEGAL_DEBT,
        "Alle med gjeldsproblemer",
        "",
        "Etter avtale",
        "Gratis",
        "Ring 55 55 33 33",
        100,
    ),
]


def seed(ctx) -> None:
    rows = OSLO if ctx.programme.kind == Programme.Kind.JOB else BERGEN
    coordinator = ctx.users["koordinator"]
    areas = list(ctx.spec.areas)
    offers = []
    for index, row in enumerate(rows):
        name, provider, category, target, address, hours, price, contact, days_ago = row
        offer = services.offer_create(
            actor=coordinator,
            organisation=ctx.organisation,
            name=name,
            provider=provider,
            category=category,
            target_group=target,
            area=areas[index % len(areas)] if index % 3 == 1 else "",
            address=address,
            opening_hours=hours,
            price=price,
            contact=contact,
        )
        # When someone last checked it: 245 days is eight months, flagged as not checked.
        Offer.objects.filter(pk=offer.pk).update(checked_on=ctx.today - dt.timedelta(days=days_ago))
        offers.append(offer)
    _suggest(ctx, offers)


def _suggest(ctx, offers: list[Offer]) -> None:
    """The demo participant login's peer worker suggested an offer for one of her goals."""
    participant = Participant.objects.filter(user=ctx.users.get("deltaker")).first()
    match = current_match_of(participant) if participant else None
    if match is None:
        return
    goals = participant.goals.filter(status=Goal.Status.ACTIVE).order_by("pk")
    for goal in goals:
        fitting = [o for o in offers if o.category in categories_for_life_areas([goal.life_area])]
        if fitting:
            services.suggestion_create(
                actor=match.peer.user, participant=participant, offer=fitting[0], goal=goal
            )
            return
    services.suggestion_create(actor=match.peer.user, participant=participant, offer=offers[0])
