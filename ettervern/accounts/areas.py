"""The areas an organisation serves: the choices of every area field, their validation, and
the names and map points matching shows and measures with.

Participants and peer workers store an area's ``code`` (a CharField); a code is valid when the
organisation has an active area with it. A stored code whose area was deactivated stays valid
for that record (it is offered while editing it) so nothing existing breaks.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ettervern.accounts.models import Area, Organisation
from ettervern.lib import labels, vocab


def areas_of(organisation_id: int, *, active: bool | None = None) -> QuerySet[Area]:
    areas = Area.objects.filter(organisation_id=organisation_id).order_by("name", "pk")
    if active is not None:
        areas = areas.filter(is_active=active)
    return areas


def area_choices(organisation_id: int, *, keep: str = "") -> list[tuple[str, str]]:
    """The organisation's active areas as (code, name), plus ``keep`` (a record's stored code)
    should its area no longer be in use."""
    rows = areas_of(organisation_id).filter(Q(is_active=True) | Q(code=keep or None))
    return list(rows.values_list("code", "name"))


def check_area(organisation_id: int, code: str, *, current: str = "") -> str:
    """``code`` if the organisation serves that area ("" stays ""); else ValidationError."""
    code = (code or "").strip()
    if not code or code == current:
        return code
    if not Area.objects.filter(organisation_id=organisation_id, code=code, is_active=True).exists():
        raise ValidationError(
            _("Choose one of the areas the organisation serves."), code="unknown_area"
        )
    return code


def area_name(organisation_id: int, code: str) -> str:
    """The name of a stored code (the code itself if the organisation has no such area)."""
    if not code:
        return ""
    area = Area.objects.filter(organisation_id=organisation_id, code=code).first()
    return area.name if area else code


def seed_city(organisation: Organisation, city: str) -> int:
    """Give an organisation the districts of Bergen or Oslo (demo data and tests). Returns the
    number of areas added; existing codes are left as they are."""
    have = set(Area.objects.filter(organisation=organisation).values_list("code", flat=True))
    new = [
        Area(
            organisation=organisation,
            code=code,
            name=labels.AREA_LABELS[code],
            latitude=vocab.AREAS[code][0],
            longitude=vocab.AREAS[code][1],
        )
        for code in vocab.AREA_CITIES[city]
        if code not in have
    ]
    Area.objects.bulk_create(new)
    return len(new)
