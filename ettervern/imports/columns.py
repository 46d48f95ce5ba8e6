"""The template's columns, and how each cell becomes a value or a problem.

Headers are Norwegian (the template is a Norwegian document, whatever the UI language); codes
are accepted as the code or as its bokmål label, case-insensitive and trimmed.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from ettervern.lib import labels
from ettervern.participants.models import Participant

YES = {"ja", "j", "yes", "y", "x", "1", "true", "sann"}
NO = {"nei", "n", "no", "0", "false", "usann"}
EARLIEST = dt.date(1900, 1, 1)
# Statuses a participant can be imported in (paused follows a match: pause it in the app).
IMPORT_STATUSES = {
    code: label
    for code, label in Participant.Status.choices
    if code
    in {
        Participant.Status.REFERRED,
        Participant.Status.INTAKE,
        Participant.Status.WAITING,
        Participant.Status.MATCHED,
        Participant.Status.ENDED,
    }
}


class CellError(Exception):
    pass


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable
    required: bool = False
    example: str = ""


def _text(max_length: int) -> Callable:
    def parse(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime | dt.date):
            raise CellError(_("Expected text, found a date."))
        text = " ".join(str(value).split())
        if len(text) > max_length:
            raise CellError(
                _("At most %(max)s characters (found %(n)s).") % {"max": max_length, "n": len(text)}
            )
        return text

    return parse


def _email(value):
    text = str(value).strip().lower()
    try:
        validate_email(text)
    except ValidationError as exc:
        raise CellError(_("“%(value)s” is not an email address.") % {"value": text}) from exc
    return text


def _integer(low: int, high: Callable[[], int]) -> Callable:
    def parse(value):
        if isinstance(value, bool | dt.date):
            raise CellError(_("Expected a whole number."))
        try:
            number = float(str(value).replace(",", ".").replace(" ", ""))
        except ValueError as exc:
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value}) from exc
        if not number.is_integer():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
        top = high()
        if not low <= number <= top:
            raise CellError(_("Must be between %(low)s and %(high)s.") % {"low": low, "high": top})
        return int(number)

    return parse


def _this_year() -> int:
    return timezone.localdate().year


def parse_date(value) -> dt.date:
    """A date cell: an Excel date, an Excel serial number (45000), dd.mm.yyyy or yyyy-mm-dd."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value).strip()
        day = None
        if isinstance(value, int | float) or text.replace(".", "", 1).isdigit():
            try:
                serial = float(text)
                if 1 <= serial < 2958466:
                    day = from_excel(serial).date()
            except (ValueError, OverflowError, TypeError):
                day = None
        else:
            for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
                try:
                    day = dt.datetime.strptime(text, pattern).date()
                    break
                except ValueError:
                    continue
        if day is None:
            raise CellError(
                _("“%(value)s” is not a date. Write it as dd.mm.yyyy (e.g. 31.01.2024).")
                % {"value": text}
            )
    today = timezone.localdate()
    if not EARLIEST <= day <= today:
        raise CellError(
            _("The date must lie between %(low)s and today (%(high)s).")
            % {"low": EARLIEST.strftime("%d.%m.%Y"), "high": today.strftime("%d.%m.%Y")}
        )
    return day


def _names(choices: dict) -> dict[str, str]:
    """Every accepted spelling (code, bokmål label, English label), folded, to its code."""
    names = {}
    for code, label in choices.items():
        names[code.casefold()] = code
        names[str(label).casefold()] = code
        with translation.override("nb"):
            names[str(label).casefold()] = code
    return names


def _allowed(choices: dict) -> str:
    with translation.override("nb"):
        return ", ".join(str(label) for label in choices.values())


def _code(choices: dict) -> Callable:
    def parse(value):
        code = _names(choices).get(" ".join(str(value).split()).casefold())
        if code is None:
            raise CellError(
                _("Unknown value “%(value)s”. Allowed: %(allowed)s.")
                % {"value": value, "allowed": _allowed(choices)}
            )
        return code

    return parse


def area_codes(areas: dict[str, str]) -> Callable:
    """Turn an area cell (the code or the name of one of the organisation's areas) into its
    code; ``areas`` maps code to name."""

    def parse(value):
        code = _names(areas).get(" ".join(str(value).split()).casefold())
        if code is None:
            raise CellError(
                _("Unknown area “%(value)s”. The organisation's areas: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(areas.values()) or "–"}
            )
        return code

    return parse


def _split(value) -> list[str]:
    return [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]


def _codes(choices: dict) -> Callable:
    single = _code(choices)

    def parse(value):
        codes = []
        for part in _split(value):
            code = single(part)
            if code not in codes:
                codes.append(code)
        return codes

    return parse


def _free_list(value) -> list[str]:
    items = []
    for part in _split(value):
        if len(part) > 40:
            raise CellError(_("Each entry at most 40 characters."))
        if part.casefold() not in {i.casefold() for i in items}:
            items.append(part)
    return items


def _yes_no(value):
    text = str(value).strip().casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("Write “ja” or “nei” (found “%(value)s”).") % {"value": value})


EXTERNAL_ID = "Ekstern ID"
# The organisation's own areas: the cell is read as text, then checked by ``area_codes``.
AREA = "Bydel"
PEER_REF = "Likeperson (ekstern ID)"

PARTICIPANT_COLUMNS = [
    Column(EXTERNAL_ID, "external_id", _text(64), required=True, example="D-001"),
    Column("Navn", "name", _text(200), required=True, example="Ola Nordmann"),
    Column("Fødselsår", "birth_year", _integer(1900, _this_year), example="1985"),
    Column("Kjønn", "gender", _code(labels.GENDER_LABELS), example="Mann"),
    Column("Telefon", "phone", _text(30), example="912 34 567"),
    Column("E-post", "email", _email, example="ola@example.no"),
    Column(AREA, "area", _text(100), example="Årstad"),
    Column("Status", "status", _code(IMPORT_STATUSES), example="Venter"),
    Column("Henvist dato", "referred_on", parse_date, example="15.01.2024"),
    Column("Samtykke oppfølging", "consent", _yes_no, required=True, example="ja"),
    Column("Egenerfaring", "lived_experience", _codes(labels.LIVED_EXPERIENCE_LABELS)),
    Column("Rusmidler", "substances", _codes(labels.SUBSTANCE_LABELS), example="Alkohol"),
    Column("Behandlingsforløp", "treatment_paths", _codes(labels.TREATMENT_PATH_LABELS)),
    Column("Språk", "languages", _codes(labels.LANGUAGE_LABELS), example="Norsk"),
    Column("Interesser", "interests", _free_list, example="Fjelltur, fiske"),
    Column(PEER_REF, "peer", _text(64), example="L-001"),
    Column("Koblet fra", "matched_on", parse_date, example="01.03.2024"),
]

PEER_COLUMNS = [
    Column(EXTERNAL_ID, "external_id", _text(64), required=True, example="L-001"),
    Column("Navn", "name", _text(200), required=True, example="Kari Hansen"),
    Column("E-post", "email", _email, required=True, example="kari@example.no"),
    Column("Kjønn", "gender", _code(labels.GENDER_LABELS), example="Kvinne"),
    Column("Fødselsår", "birth_year", _integer(1900, _this_year), example="1975"),
    Column("Kurs fullført", "course_completed_on", parse_date, example="10.06.2023"),
    Column("Maks deltakere", "max_participants", _integer(1, lambda: 20), example="2"),
    Column(AREA, "area", _text(100), example="Fana"),
    Column("Egenerfaring", "lived_experience", _codes(labels.LIVED_EXPERIENCE_LABELS)),
    Column("Rusmidler", "substances", _codes(labels.SUBSTANCE_LABELS)),
    Column("Behandlingsforløp", "treatment_paths", _codes(labels.TREATMENT_PATH_LABELS)),
    Column("Språk", "languages", _codes(labels.LANGUAGE_LABELS), example="Norsk, engelsk"),
    Column("Interesser", "interests", _free_list, example="Fotball"),
]

PARTICIPANT_SHEET = "Deltakere"
PEER_SHEET = "Likepersoner"
