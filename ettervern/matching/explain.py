"""Reasons from the matching core as UI text, through gettext (English msgids, bokmål catalogue).

``explain(reason)`` is the Django-side twin of ``core.explain_nb``: under the bokmål locale both
say the same thing word for word (``tests/test_explain.py`` checks every reason code), but this
one follows the active language. Code labels read as they do inside a sentence (lower case, the
core's wording, e.g. "erfaring med LAR"), so most have their own msgids here with the context
"in a sentence"; the form labels in ``ettervern.lib.labels`` fit only the life areas.

An unknown reason code (or a code value this module has no label for) falls back to the core's
bokmål text, and failing that to the bare code: an explanation never takes a page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from ettervern.lib import labels
from ettervern.matching import core

logger = logging.getLogger(__name__)

GENDER = {
    "female": pgettext_lazy("in a sentence", "woman"),
    "male": pgettext_lazy("in a sentence", "man"),
    "other": pgettext_lazy("in a sentence", "other gender"),
}
SUBSTANCE = {
    "alcohol": pgettext_lazy("in a sentence", "alcohol"),
    "opioids": pgettext_lazy("in a sentence", "opioids"),
    "stimulants": pgettext_lazy("in a sentence", "stimulants"),
    "cannabis": pgettext_lazy("in a sentence", "cannabis"),
    "benzodiazepines": pgettext_lazy("in a sentence", "benzodiazepines"),
    "gambling": pgettext_lazy("in a sentence", "gambling"),
}
LIVED_EXPERIENCE = {
    "own_substance_use": pgettext_lazy("in a sentence", "own substance use"),
    "relative": pgettext_lazy("in a sentence", "relative"),
    "prison": pgettext_lazy("in a sentence", "prison"),
    "mental_health": pgettext_lazy("in a sentence", "mental health"),
}
# What "experience with ..." reads like for a shared_experience wish (substances: see _wish).
EXPERIENCE_PHRASE = {
    "own_substance_use": pgettext_lazy("wish", "own experience with substance use"),
    "relative": pgettext_lazy("wish", "experience as a relative"),
    "prison": pgettext_lazy("wish", "experience from prison"),
    "mental_health": pgettext_lazy("wish", "experience with mental health"),
}
TREATMENT_PATH = {
    "lar": pgettext_lazy("in a sentence", "opioid agonist treatment (LAR)"),
    "twelve_step": pgettext_lazy("in a sentence", "12-step"),
    "therapeutic_community": pgettext_lazy("in a sentence", "therapeutic community"),
    "outpatient": pgettext_lazy("in a sentence", "outpatient treatment"),
    "none": pgettext_lazy("in a sentence", "recovery without treatment"),
}
AVAILABILITY = {
    "daytime": pgettext_lazy("in a sentence", "in the daytime"),
    "evenings": pgettext_lazy("in a sentence", "in the evenings"),
    "weekends": pgettext_lazy("in a sentence", "at weekends"),
    "nights": pgettext_lazy("in a sentence", "at night"),
}
# Language names keep their capital in English ("speaks Polish"), so not the form labels.
LANGUAGE = {
    "nb": pgettext_lazy("in a sentence", "Norwegian"),
    "en": pgettext_lazy("in a sentence", "English"),
    "pl": pgettext_lazy("in a sentence", "Polish"),
    "lt": pgettext_lazy("in a sentence", "Lithuanian"),
    "ar": pgettext_lazy("in a sentence", "Arabic"),
    "so": pgettext_lazy("in a sentence", "Somali"),
    "ti": pgettext_lazy("in a sentence", "Tigrinya"),
    "fa": pgettext_lazy("in a sentence", "Persian"),
    "uk": pgettext_lazy("in a sentence", "Ukrainian"),
    "ru": pgettext_lazy("in a sentence", "Russian"),
}
# Districts are proper names (the same in English), translatable all the same.
AREA = {
    "bergenhus": pgettext_lazy("district", "Bergenhus"),
    "arstad": pgettext_lazy("district", "Årstad"),
    "fana": pgettext_lazy("district", "Fana"),
    "ytrebygda": pgettext_lazy("district", "Ytrebygda"),
    "fyllingsdalen": pgettext_lazy("district", "Fyllingsdalen"),
    "laksevag": pgettext_lazy("district", "Laksevåg"),
    "arna": pgettext_lazy("district", "Arna"),
    "asane": pgettext_lazy("district", "Åsane"),
    "gamle_oslo": pgettext_lazy("district", "Gamle Oslo"),
    "grunerlokka": pgettext_lazy("district", "Grünerløkka"),
    "sagene": pgettext_lazy("district", "Sagene"),
    "st_hanshaugen": pgettext_lazy("district", "St. Hanshaugen"),
    "frogner": pgettext_lazy("district", "Frogner"),
    "grorud": pgettext_lazy("district", "Grorud"),
    "stovner": pgettext_lazy("district", "Stovner"),
    "alna": pgettext_lazy("district", "Alna"),
    "sondre_nordstrand": pgettext_lazy("district", "Søndre Nordstrand"),
}


def _area(p: dict, key: str = "area") -> str:
    """An area's name: the organisation's (passed in), else a demo district's, else the code."""
    return p.get(f"{key}_name") or AREA.get(p[key], p[key])


# What information a not-applicable criterion lacks ("missing information about ...").
CRITERION = {
    "wishes": pgettext_lazy("in a sentence", "wishes"),
    "gender": pgettext_lazy("in a sentence", "gender"),
    "age": pgettext_lazy("in a sentence", "age"),
    "substances": pgettext_lazy("in a sentence", "substance experience"),
    "treatment_path": pgettext_lazy("in a sentence", "treatment experience"),
    "lived_experience": pgettext_lazy("in a sentence", "lived experience"),
    "interests": pgettext_lazy("in a sentence", "interests"),
    "goals": pgettext_lazy("in a sentence", "goals and strengths"),
    "availability": pgettext_lazy("in a sentence", "availability"),
    "language": pgettext_lazy("in a sentence", "language"),
    "distance": pgettext_lazy("in a sentence", "distance"),
    "continuity": pgettext_lazy("in a sentence", "continuity"),
    "load": pgettext_lazy("in a sentence", "capacity"),
}


# A data criterion that could not count because the participant's data is missing.
MISSING = {
    "gender": gettext_lazy("Gender is not given"),
    "age": gettext_lazy("Birth year is not given"),
    "substances": gettext_lazy("Substance experience is not recorded"),
    "treatment_path": gettext_lazy("Treatment experience is not recorded"),
    "lived_experience": gettext_lazy("Lived experience is not recorded"),
    "interests": gettext_lazy("Interests are not recorded"),
    "goals": gettext_lazy("No active goals are recorded"),
    "availability": gettext_lazy("Wanted availability is not recorded"),
    "language": gettext_lazy("Language is not recorded"),
    "distance": gettext_lazy("District is not given"),
}


def _not_applicable(p: dict[str, Any]) -> str:
    if p["criterion"] in MISSING:
        return _("%(missing)s, so it does not count") % {"missing": MISSING[p["criterion"]]}
    return _("Not assessed: missing information about %(criterion)s") % {
        "criterion": CRITERION[p["criterion"]]
    }


def life_area(code: str) -> str:
    """A life area inside a sentence: the form label with a small first letter ("bolig")."""
    label = str(labels.LIFE_AREA_LABELS[code])
    return label[:1].lower() + label[1:]


def number(value: float, decimals: int = 1) -> str:
    """A number with the active language's decimal separator: 3.25 -> "3,2" in bokmål.

    Rounds like ``core.explain.number_nb`` (Python's own formatting) so both agree digit for
    digit; ``formats.number_format`` would truncate floats instead.
    """
    return f"{value:.{decimals}f}".replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


def join(items: Iterable[str]) -> str:
    """["a", "b", "c"] -> "a, b og c" in bokmål, "a, b and c" in English."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def listed(items: Iterable[str]) -> str:
    """["a", "b"] -> "a, b" (lists after a colon have no "and", as in the core)."""
    return ", ".join(str(item) for item in items)


def wish(kind: str, value: Any) -> str:
    """What a wish asks for, e.g. "kvinne", "alder 30–50 år", "snakker polsk"."""
    if kind == "gender":
        return str(GENDER[value])
    if kind == "age_range":
        low, high = value
        return _("aged %(low)s–%(high)s") % {"low": low, "high": high}
    if kind == "shared_experience":
        if value in EXPERIENCE_PHRASE:
            return str(EXPERIENCE_PHRASE[value])
        return _("experience with %(experience)s") % {"experience": SUBSTANCE[value]}
    if kind == "treatment_path":
        return _("experience with %(experience)s") % {"experience": TREATMENT_PATH[value]}
    if kind == "language":
        return _("speaks %(language)s") % {"language": LANGUAGE[value]}
    if kind == "availability":
        return _("available %(time)s") % {"time": AVAILABILITY[value]}
    raise KeyError(kind)


def _wishes_met(p: dict[str, Any]) -> str:
    values = {"met": p["met"], "total": p["total"]}
    if not p["wishes"]:
        return (
            ngettext(
                "Meets %(met)s of %(total)s wish", "Meets %(met)s of %(total)s wishes", p["total"]
            )
            % values
        )
    values["wishes"] = listed(wish(w["kind"], w["value"]) for w in p["wishes"])
    return (
        ngettext(
            "Meets %(met)s of %(total)s wish: %(wishes)s",
            "Meets %(met)s of %(total)s wishes: %(wishes)s",
            p["total"],
        )
        % values
    )


def _age_difference(p: dict[str, Any]) -> str:
    if p["years"] == 0:
        return _("Same age")
    return ngettext(
        "Age difference of %(years)s year", "Age difference of %(years)s years", p["years"]
    ) % {"years": p["years"]}


def _shared_interests(p: dict[str, Any]) -> str:
    # Interests are the people's own free-text tags: shown as they are, not translated.
    interests = p["interests"]
    return ngettext(
        "Shared interest: %(interests)s", "Shared interests: %(interests)s", len(interests)
    ) % {"interests": listed(interests)}


def _shared_language(p: dict[str, Any]) -> str:
    languages = p["languages"]
    return ngettext(
        "Shared language: %(languages)s", "Shared languages: %(languages)s", len(languages)
    ) % {"languages": listed(LANGUAGE[code] for code in languages)}


def _ranked(p: dict[str, Any]) -> str:
    values = {
        "rank": p["rank"],
        "eligible": p["eligible"],
        "limit": p["limit"],
        "score": number(p["score"]),
    }
    if p["rank"] <= p["limit"]:
        return (
            _(
                "No. %(rank)s of %(eligible)s eligible peers (%(score)s points), "
                "among the %(limit)s best suggestions"
            )
            % values
        )
    values |= {"behind_best": number(p["behind_best"]), "behind_last": number(p["behind_last"])}
    return (
        _(
            "No. %(rank)s of %(eligible)s eligible peers (%(score)s points): "
            "%(behind_best)s points behind the best suggestion and "
            "%(behind_last)s points behind no. %(limit)s"
        )
        % values
    )


_TEXTS: dict[str, Callable[[dict[str, Any]], str]] = {
    # Hard constraints.
    "course_not_completed": lambda p: _("Has not completed the peer course"),
    "not_in_resource_base": lambda p: _("Is not active in the resource base"),
    "no_free_capacity": lambda p: (
        ngettext(
            "No free capacity (%(load)s of %(capacity)s place in use)",
            "No free capacity (%(load)s of %(capacity)s places in use)",
            p["capacity"],
        )
        % {"load": p["load"], "capacity": p["capacity"]}
    ),
    "no_followup_consent": lambda p: _("The participant has not consented to follow-up"),
    "excluded": lambda p: _(
        "Excluded by the coordinator (they know each other or there is a conflict)"
    ),
    "must_wish_unmet": lambda p: (
        _("Does not meet the participant's requirement: %(wish)s")
        % {"wish": wish(p["kind"], p["value"])}
    ),
    # Score criteria.
    "wishes_met": _wishes_met,
    "same_gender": lambda p: _("Same gender"),
    "different_gender": lambda p: _("Different gender"),
    "gender_unknown": lambda p: _("Gender not given"),
    "age_difference": _age_difference,
    "age_unknown": lambda p: _("Age not given"),
    "shared_substances": lambda p: (
        _("Both have experience with %(substances)s")
        % {"substances": join(SUBSTANCE[s] for s in p["substances"])}
    ),
    "no_shared_substances": lambda p: _("No shared substance experience"),
    "shared_treatment_path": lambda p: (
        _("Both have experience with %(paths)s")
        % {"paths": join(TREATMENT_PATH[t] for t in p["paths"])}
    ),
    "no_shared_treatment_path": lambda p: _("No shared treatment experience"),
    "shared_lived_experience": lambda p: (
        _("Shared lived experience: %(kinds)s")
        % {"kinds": listed(LIVED_EXPERIENCE[k] for k in p["kinds"])}
    ),
    "no_shared_lived_experience": lambda p: _("No shared lived experience"),
    "shared_interests": _shared_interests,
    "no_shared_interests": lambda p: _("No shared interests"),
    "strengths_match_goals": lambda p: (
        _("Strengths that fit the participant's goals: %(areas)s")
        % {"areas": listed(life_area(a) for a in p["areas"])}
    ),
    "no_strengths_match_goals": lambda p: _("No strengths that fit the participant's goals"),
    "shared_availability": lambda p: (
        _("Available when the participant wants: %(times)s")
        % {"times": listed(AVAILABILITY[t] for t in p["times"])}
    ),
    "no_shared_availability": lambda p: _("Not available when the participant wants"),
    "shared_language": _shared_language,
    "no_shared_language": lambda p: _("No shared language"),
    "same_area": lambda p: _("Same district (%(area)s)") % {"area": _area(p)},
    "distance": lambda p: (
        _("About %(km)s km away (%(area)s – %(peer_area)s)")
        % {"km": number(p["km"]), "area": _area(p), "peer_area": _area(p, "peer_area")}
    ),
    "distance_unknown": lambda p: _("Distance unknown"),
    "previous_peer": lambda p: _("Has been the participant's peer before"),
    "not_previous_peer": lambda p: _("Not the participant's peer before"),
    "free_capacity": lambda p: (
        _("Free capacity: %(free)s of %(capacity)s")
        % {"free": p["free"], "capacity": p["capacity"]}
    ),
    "not_applicable": _not_applicable,
    # Why not this peer, and planning.
    "ranked": _ranked,
    "forbidden_pair": lambda p: _("The pair is blocked in the plan"),
    "over_capacity": lambda p: (
        _("More locked pairs than free places (%(locked)s locked, %(free)s free)")
        % {"locked": p["locked"], "free": p["free"]}
    ),
    "participant_locked_twice": lambda p: _("The participant is locked to more than one peer"),
    "unknown_participant": lambda p: _("The participant is not in the plan"),
    "unknown_peer": lambda p: _("The peer is not in the plan"),
}


def explain(reason: core.Reason) -> str:
    """The reason as a short sentence in the active language, e.g. "Begge har erfaring med LAR".

    A code this module does not know (or a code value it has no label for) gets the core's
    bokmål text; a code nobody knows shows as itself.
    """
    render = _TEXTS.get(reason.code)
    if render is not None:
        try:
            return render(reason.params)
        except KeyError:
            logger.warning("No translated text for reason %r; using the core's text", reason)
    try:
        return core.explain_nb(reason)
    except (KeyError, ValueError):
        logger.warning("No text at all for reason %r", reason)
        return reason.code
