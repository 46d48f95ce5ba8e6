"""Codes shared by the models, the matching core and the demo data.

Pure Python on purpose: the matching core imports these without Django. The models build their
``choices`` from these codes and attach translated labels (see ``ettervern.lib.labels``).
"""

GENDERS = ("female", "male", "other")

# Kind of lived experience (egenerfaring): a peer's, or the participant's own situation.
LIVED_EXPERIENCE = ("own_substance_use", "relative", "prison", "mental_health")

SUBSTANCES = ("alcohol", "opioids", "stimulants", "cannabis", "benzodiazepines", "gambling")

# Treatment paths: opioid agonist treatment (LAR), 12-step, therapeutic community, outpatient, none.
TREATMENT_PATHS = ("lar", "twelve_step", "therapeutic_community", "outpatient", "none")

# Life areas for a participant's goals; the same codes describe a peer's strengths.
LIFE_AREAS = (
    "housing",
    "work_education",
    "economy_debt",
    "health",
    "network_leisure",
    "substance_use",
    "family",
    "services",
)

AVAILABILITY = ("daytime", "evenings", "weekends", "nights")

LANGUAGES = ("nb", "en", "pl", "lt", "ar", "so", "ti", "fa", "uk", "ru")

# Districts (bydeler) of Bergen and Oslo with approximate centre coordinates (lat, lon). Demo
# data and the seed of existing organisations: each organisation keeps its own areas
# (``accounts.Area``) and matching gets their coordinates from there.
AREAS: dict[str, tuple[float, float]] = {
    # Bergen
    "bergenhus": (60.3930, 5.3240),
    "arstad": (60.3700, 5.3460),
    "fana": (60.3000, 5.3300),
    "ytrebygda": (60.3000, 5.2400),
    "fyllingsdalen": (60.3480, 5.2900),
    "laksevag": (60.3830, 5.2700),
    "arna": (60.4200, 5.4700),
    "asane": (60.4660, 5.3230),
    # Oslo
    "gamle_oslo": (59.9060, 10.7800),
    "grunerlokka": (59.9250, 10.7600),
    "sagene": (59.9370, 10.7560),
    "st_hanshaugen": (59.9280, 10.7380),
    "frogner": (59.9200, 10.7070),
    "grorud": (59.9600, 10.8800),
    "stovner": (59.9620, 10.9230),
    "alna": (59.9300, 10.8500),
    "sondre_nordstrand": (59.8400, 10.8100),
}
AREA_CITIES: dict[str, tuple[str, ...]] = {
    "bergen": tuple(list(AREAS)[:8]),
    "oslo": tuple(list(AREAS)[8:]),
}

# Wishes a participant can have for a peer. Each wish is either a "must" (hard constraint) or a
# "would like" (scored).
WISH_KINDS = (
    "gender",
    "age_range",
    "shared_experience",
    "treatment_path",
    "language",
    "availability",
)
