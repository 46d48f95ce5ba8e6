"""How research data codes a participant: age bands, waiting bands and months. Pure functions."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

# (code, lowest age, highest age); None: open.
AGE_BANDS = [
    ("u25", None, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55+", 55, None),
]
AGE_UNKNOWN = "unknown"
AGE_BAND_LABELS = {
    "u25": _("Under 25"),
    "25-34": _("25–34"),
    "35-44": _("35–44"),
    "45-54": _("45–54"),
    "55+": _("55 and older"),
    AGE_UNKNOWN: _("Not known"),
}

# Days from referral to the first match's start: (code, lowest, highest).
WAIT_BANDS = [
    ("0-13", 0, 13),
    ("14-29", 14, 29),
    ("30-59", 30, 59),
    ("60-89", 60, 89),
    ("90+", 90, None),
]
WAIT_NOT_MATCHED = "not_matched"
WAIT_BAND_LABELS = {
    "0-13": _("Under 2 weeks"),
    "14-29": _("2–4 weeks"),
    "30-59": _("1–2 months"),
    "60-89": _("2–3 months"),
    "90+": _("3 months or more"),
    WAIT_NOT_MATCHED: _("Not matched yet"),
}
# What replaces a value that would make a rare combination stand out in a row-level export.
GENERALISED = "*"


def age_band(birth_year: int | None, on: dt.date) -> str:
    """The band of the age a person with ``birth_year`` has (at most) on ``on``."""
    if not birth_year or birth_year > on.year:
        return AGE_UNKNOWN
    age = on.year - birth_year
    for code, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return code
    return AGE_UNKNOWN


def wait_band(referred_on: dt.date, matched_on: dt.date | None) -> str:
    if matched_on is None:
        return WAIT_NOT_MATCHED
    days = max((matched_on - referred_on).days, 0)
    for code, low, high in WAIT_BANDS:
        if days >= low and (high is None or days <= high):
            return code
    return WAIT_NOT_MATCHED


def month(day: dt.date | None) -> str:
    """A date reduced to its month, ``YYYY-MM`` (empty when there is none)."""
    return f"{day.year:04d}-{day.month:02d}" if day else ""
