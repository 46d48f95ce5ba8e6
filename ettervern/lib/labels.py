"""Translated labels for the codes in ``vocab``; Django-side only (the matching core stays pure)."""

from django.utils.translation import gettext_lazy as _

from ettervern.lib import vocab

GENDER_LABELS = {"female": _("Woman"), "male": _("Man"), "other": _("Other")}
LIVED_EXPERIENCE_LABELS = {
    "own_substance_use": _("Own substance use"),
    "relative": _("Relative"),
    "prison": _("Prison"),
    "mental_health": _("Mental health"),
}
SUBSTANCE_LABELS = {
    "alcohol": _("Alcohol"),
    "opioids": _("Opioids"),
    "stimulants": _("Stimulants"),
    "cannabis": _("Cannabis"),
    "benzodiazepines": _("Benzodiazepines"),
    "gambling": _("Gambling"),
}
TREATMENT_PATH_LABELS = {
    "lar": _("Opioid agonist treatment (LAR)"),
    "twelve_step": _("12-step"),
    "therapeutic_community": _("Therapeutic community"),
    "outpatient": _("Outpatient treatment"),
    "none": _("No treatment"),
}
LIFE_AREA_LABELS = {
    "housing": _("Housing"),
    "work_education": _("Work and education"),
    "economy_debt": _("Economy and debt"),
    "health": _("Health"),
    "network_leisure": _("Network and leisure"),
    "substance_use": _("Substance use"),
    "family": _("Family"),
    "services": _("Contact with services"),
}
AVAILABILITY_LABELS = {
    "daytime": _("Daytime"),
    "evenings": _("Evenings"),
    "weekends": _("Weekends"),
    "nights": _("Nights"),
}
LANGUAGE_LABELS = {
    "nb": _("Norwegian"),
    "en": _("English"),
    "pl": _("Polish"),
    "lt": _("Lithuanian"),
    "ar": _("Arabic"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "fa": _("Persian"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
}
AREA_LABELS = {
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


def choices(labels: dict) -> list[tuple[str, str]]:
    return list(labels.items())


assert set(AREA_LABELS) == set(vocab.AREAS)
assert set(LIFE_AREA_LABELS) == set(vocab.LIFE_AREAS)
