"""Plain Norwegian bokmål for reasons: the source strings for the UI, and the README example.

The codes are stable; the Django side may render them through gettext instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ettervern.matching.core.data import Reason

GENDER = {"female": "kvinne", "male": "mann", "other": "annet kjønn"}
SUBSTANCE = {
    "alcohol": "alkohol",
    "opioids": "opioider",
    "stimulants": "sentralstimulerende midler",
    "cannabis": "cannabis",
    "benzodiazepines": "benzodiazepiner",
    "gambling": "pengespill",
}
LIVED_EXPERIENCE = {
    "own_substance_use": "egen rusbruk",
    "relative": "pårørende",
    "prison": "fengsel",
    "mental_health": "psykisk helse",
}
# What "experience with ..." reads like for a shared_experience wish.
EXPERIENCE_PHRASE = {
    "own_substance_use": "egen erfaring med rus",
    "relative": "erfaring som pårørende",
    "prison": "erfaring fra fengsel",
    "mental_health": "erfaring med psykisk helse",
} | {code: f"erfaring med {label}" for code, label in SUBSTANCE.items()}
TREATMENT_PATH = {
    "lar": "LAR",
    "twelve_step": "12-trinn",
    "therapeutic_community": "terapeutisk samfunn",
    "outpatient": "poliklinisk behandling",
    "none": "bedring uten behandling",
}
LIFE_AREA = {
    "housing": "bolig",
    "work_education": "arbeid og utdanning",
    "economy_debt": "økonomi og gjeld",
    "health": "helse",
    "network_leisure": "nettverk og fritid",
    "substance_use": "rus",
    "family": "familie",
    "services": "kontakt med tjenester",
}
AVAILABILITY = {
    "daytime": "på dagtid",
    "evenings": "på kveldstid",
    "weekends": "i helgene",
    "nights": "om natten",
}
LANGUAGE = {
    "nb": "norsk",
    "en": "engelsk",
    "pl": "polsk",
    "lt": "litauisk",
    "ar": "arabisk",
    "so": "somali",
    "ti": "tigrinja",
    "fa": "persisk",
    "uk": "ukrainsk",
    "ru": "russisk",
}
AREA = {
    "bergenhus": "Bergenhus",
    "arstad": "Årstad",
    "fana": "Fana",
    "ytrebygda": "Ytrebygda",
    "fyllingsdalen": "Fyllingsdalen",
    "laksevag": "Laksevåg",
    "arna": "Arna",
    "asane": "Åsane",
    "gamle_oslo": "Gamle Oslo",
    "grunerlokka": "Grünerløkka",
    "sagene": "Sagene",
    "st_hanshaugen": "St. Hanshaugen",
    "frogner": "Frogner",
    "grorud": "Grorud",
    "stovner": "Stovner",
    "alna": "Alna",
    "sondre_nordstrand": "Søndre Nordstrand",
}
CRITERION = {
    "wishes": "ønsker",
    "gender": "kjønn",
    "age": "alder",
    "substances": "rusmiddelerfaring",
    "treatment_path": "behandlingserfaring",
    "lived_experience": "egenerfaring",
    "interests": "interesser",
    "goals": "mål og styrker",
    "availability": "tilgjengelighet",
    "language": "språk",
    "distance": "avstand",
    "continuity": "kontinuitet",
    "load": "kapasitet",
}


# A data criterion that could not count because the participant's data is missing.
MISSING = {
    "gender": "Kjønn er ikke oppgitt",
    "age": "Fødselsår er ikke oppgitt",
    "substances": "Rusmiddelerfaring er ikke registrert",
    "treatment_path": "Behandlingserfaring er ikke registrert",
    "lived_experience": "Egenerfaring er ikke registrert",
    "interests": "Interesser er ikke registrert",
    "goals": "Ingen aktive mål er registrert",
    "availability": "Ønsket tilgjengelighet er ikke registrert",
    "language": "Språk er ikke registrert",
    "distance": "Bydel er ikke oppgitt",
}


def _area(p: dict[str, Any], key: str = "area") -> str:
    """An area's name: the one passed in, else the demo districts' name, else the code."""
    return p.get(f"{key}_name") or AREA.get(p[key], p[key])


def _not_applicable(p: dict[str, Any]) -> str:
    if p["criterion"] in MISSING:
        return f"{MISSING[p['criterion']]}, så det teller ikke"
    return f"Ikke vurdert: mangler opplysninger om {CRITERION[p['criterion']]}"


def number_nb(value: float, decimals: int = 1) -> str:
    """A number with a decimal comma: 3.25 -> "3,3"."""
    return f"{value:.{decimals}f}".replace(".", ",")


def join_nb(items: Iterable[str]) -> str:
    """["a", "b", "c"] -> "a, b og c"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def wish_nb(kind: str, value: Any) -> str:
    """What a wish asks for, e.g. "kvinne", "alder 30–50 år", "snakker polsk"."""
    if kind == "gender":
        return GENDER[value]
    if kind == "age_range":
        return f"alder {value[0]}–{value[1]} år"
    if kind == "shared_experience":
        return EXPERIENCE_PHRASE[value]
    if kind == "treatment_path":
        return f"erfaring med {TREATMENT_PATH[value]}"
    if kind == "language":
        return f"snakker {LANGUAGE[value]}"
    if kind == "availability":
        return f"tilgjengelig {AVAILABILITY[value]}"
    raise ValueError(f"unknown wish kind {kind!r}")


def _wishes_met(p: dict[str, Any]) -> str:
    text = f"Oppfyller {p['met']} av {p['total']} ønsker"
    if p["wishes"]:
        text += ": " + ", ".join(wish_nb(w["kind"], w["value"]) for w in p["wishes"])
    return text


def _age_difference(p: dict[str, Any]) -> str:
    return "Samme alder" if p["years"] == 0 else f"{p['years']} års aldersforskjell"


def _shared_interests(p: dict[str, Any]) -> str:
    label = "Felles interesse" if len(p["interests"]) == 1 else "Felles interesser"
    return f"{label}: {', '.join(p['interests'])}"


def _ranked(p: dict[str, Any]) -> str:
    text = (
        f"Nr. {p['rank']} av {p['eligible']} aktuelle likepersoner ({number_nb(p['score'])} poeng)"
    )
    if p["rank"] <= p["limit"]:
        return f"{text}, blant de {p['limit']} beste forslagene"
    return (
        f"{text}: {number_nb(p['behind_best'])} poeng bak beste forslag og "
        f"{number_nb(p['behind_last'])} poeng bak nr. {p['limit']}"
    )


_TEXTS: dict[str, Callable[[dict[str, Any]], str]] = {
    # Hard constraints.
    "course_not_completed": lambda p: "Har ikke fullført likepersonkurset",
    "not_in_resource_base": lambda p: "Er ikke aktiv i ressursbasen",
    "no_free_capacity": lambda p: (
        f"Ingen ledig kapasitet ({p['load']} av {p['capacity']} plasser i bruk)"
    ),
    "no_followup_consent": lambda p: "Deltakeren har ikke samtykket til oppfølging",
    "excluded": lambda p: "Utelukket av koordinator (kjenner hverandre eller konflikt)",
    "must_wish_unmet": lambda p: (
        f"Oppfyller ikke deltakerens krav: {wish_nb(p['kind'], p['value'])}"
    ),
    # Score criteria.
    "wishes_met": _wishes_met,
    "same_gender": lambda p: "Samme kjønn",
    "different_gender": lambda p: "Ulikt kjønn",
    "gender_unknown": lambda p: "Kjønn ikke oppgitt",
    "age_difference": _age_difference,
    "age_unknown": lambda p: "Alder ikke oppgitt",
    "shared_substances": lambda p: (
        f"Begge har erfaring med {join_nb(SUBSTANCE[s] for s in p['substances'])}"
    ),
    "no_shared_substances": lambda p: "Ingen felles rusmiddelerfaring",
    "shared_treatment_path": lambda p: (
        f"Begge har erfaring med {join_nb(TREATMENT_PATH[t] for t in p['paths'])}"
    ),
    "no_shared_treatment_path": lambda p: "Ingen felles behandlingserfaring",
    "shared_lived_experience": lambda p: (
        f"Felles egenerfaring: {', '.join(LIVED_EXPERIENCE[k] for k in p['kinds'])}"
    ),
    "no_shared_lived_experience": lambda p: "Ingen felles egenerfaring",
    "shared_interests": _shared_interests,
    "no_shared_interests": lambda p: "Ingen felles interesser",
    "strengths_match_goals": lambda p: (
        f"Styrker som passer deltakerens mål: {', '.join(LIFE_AREA[a] for a in p['areas'])}"
    ),
    "no_strengths_match_goals": lambda p: "Ingen styrker som passer deltakerens mål",
    "shared_availability": lambda p: (
        f"Tilgjengelig når deltakeren ønsker: {', '.join(AVAILABILITY[t] for t in p['times'])}"
    ),
    "no_shared_availability": lambda p: "Ikke tilgjengelig når deltakeren ønsker",
    "shared_language": lambda p: (
        f"Felles språk: {', '.join(LANGUAGE[lang] for lang in p['languages'])}"
    ),
    "no_shared_language": lambda p: "Ingen felles språk",
    "same_area": lambda p: f"Samme bydel ({_area(p)})",
    "distance": lambda p: (
        f"Ca. {number_nb(p['km'])} km unna ({_area(p)} – {_area(p, 'peer_area')})"
    ),
    "distance_unknown": lambda p: "Avstand ukjent",
    "previous_peer": lambda p: "Har vært likeperson for deltakeren før",
    "not_previous_peer": lambda p: "Ikke tidligere likeperson for deltakeren",
    "free_capacity": lambda p: f"Ledig kapasitet: {p['free']} av {p['capacity']}",
    "not_applicable": _not_applicable,
    # Why not this peer, and planning.
    "ranked": _ranked,
    "forbidden_pair": lambda p: "Paret er sperret i planen",
    "over_capacity": lambda p: (
        f"Flere låste par enn ledige plasser ({p['locked']} låst, {p['free']} ledig)"
    ),
    "participant_locked_twice": lambda p: "Deltakeren er låst til mer enn én likeperson",
    "unknown_participant": lambda p: "Deltakeren er ikke med i planen",
    "unknown_peer": lambda p: "Likepersonen er ikke med i planen",
}

REASON_CODES: frozenset[str] = frozenset(_TEXTS)


def explain_nb(reason: Reason) -> str:
    """The reason as a short sentence in plain bokmål, e.g. "Begge har erfaring med LAR"."""
    try:
        render = _TEXTS[reason.code]
    except KeyError:
        raise ValueError(f"no text for reason code {reason.code!r}") from None
    return render(reason.params)
