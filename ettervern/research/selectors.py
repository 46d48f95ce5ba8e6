"""Reads of research: projects scoped to the asking researcher or admin, the consenting cohort,
and the aggregated tables (every count suppressed below the threshold, see ``suppression``).

No read here fetches a participant's name, phone, birth date or free text: only ids (kept
inside the server), codes and dates that are banded or reduced to months before they leave.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Min, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Membership, Organisation, Role, User
from ettervern.accounts.selectors import memberships_of
from ettervern.audit.services import audit_denied
from ettervern.followup.models import Contact
from ettervern.matching.access import research_cohort
from ettervern.matching.models import Match
from ettervern.participants.models import Participant
from ettervern.research import coding
from ettervern.research.models import ResearchProject
from ettervern.research.suppression import THRESHOLD, Suppressed, suppress

# --- projects -----------------------------------------------------------------------------------


def researcher_memberships(user: User) -> list[Membership]:
    return [m for m in memberships_of(user) if m.role == Role.RESEARCHER]


def projects_for(user: User) -> QuerySet[ResearchProject]:
    """The projects the user is a responsible researcher of (active researcher role)."""
    ids = [m.pk for m in researcher_memberships(user)]
    return (
        ResearchProject.objects.filter(researchers__in=ids)
        .distinct()
        .prefetch_related("programmes")
        .order_by("-starts_on", "title")
    )


def project_for_researcher(user: User, project_id: int) -> ResearchProject:
    """The researcher's project, or 404 (audited): another's project does not exist for them."""
    project = projects_for(user).filter(pk=project_id).first()
    if project is None:
        audit_denied(actor=user, object_type="research.researchproject", object_id=project_id)
        raise Http404
    return project


def projects_of(organisation: Organisation) -> QuerySet[ResearchProject]:
    return (
        ResearchProject.objects.filter(organisation=organisation)
        .prefetch_related("programmes", "researchers__user")
        .order_by("state", "-starts_on", "title")
    )


def project_in(organisation: Organisation, project_id: int) -> ResearchProject:
    project = projects_of(organisation).filter(pk=project_id).first()
    if project is None:
        raise Http404
    return project


def researcher_choices(organisation: Organisation) -> QuerySet[Membership]:
    """Memberships that may be named responsible researchers of a project."""
    return (
        Membership.objects.filter(
            organisation=organisation, role=Role.RESEARCHER, is_active=True, user__is_active=True
        )
        .select_related("user", "programme")
        .order_by("user__name", "programme__name")
    )


def export_allowed(project: ResearchProject, today: dt.date | None = None) -> bool:
    """A row-level export exists only for an approved project within its period."""
    today = today or timezone.localdate()
    return (
        project.state == ResearchProject.State.APPROVED
        and project.starts_on <= today <= project.ends_on
    )


def tables_allowed(project: ResearchProject) -> bool:
    return project.state != ResearchProject.State.ENDED


# --- the cohort ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the researcher narrowed the cohort to. Empty means all."""

    programme_ids: tuple[int, ...] = ()
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    status: str = ""

    def for_audit(self) -> dict:
        return {
            "programme_ids": list(self.programme_ids),
            "period_from": self.period_from.isoformat() if self.period_from else None,
            "period_to": self.period_to.isoformat() if self.period_to else None,
            "status": self.status or None,
        }


@dataclass
class Person:
    """What research knows of one participant, inside the server (``pk`` never leaves)."""

    pk: int
    programme_id: int
    status: str
    birth_year: int | None
    gender: str
    referred_on: dt.date
    first_match_on: dt.date | None = None
    extra: dict = field(default_factory=dict)


def _project_programme_ids(project: ResearchProject) -> list[int]:
    return [p.pk for p in project.programmes.all()]


def cohort(
    project: ResearchProject, filters: Filters, *, at: dt.datetime | None = None
) -> list[Person]:
    """The participants of the project's programmes with current research consent at ``at``,
    narrowed by ``filters`` (the period is the referral date)."""
    at = at or timezone.now()
    programme_ids = _project_programme_ids(project)
    if filters.programme_ids:
        programme_ids = [pk for pk in programme_ids if pk in filters.programme_ids]
    rows = research_cohort(
        organisation_id=project.organisation_id, programme_ids=programme_ids, at=at
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    # Referred: the first step of the status history (records moved in keep their real date).
    rows = rows.annotate(referred_at=Min("status_changes__at")).values_list(
        "pk", "programme_id", "status", "birth_year", "gender", "referred_at", "created_at"
    )
    people = []
    for pk, programme_id, status, birth_year, gender, referred_at, created_at in rows:
        referred_on = timezone.localdate(referred_at or created_at)
        if filters.period_from and referred_on < filters.period_from:
            continue
        if filters.period_to and referred_on > filters.period_to:
            continue
        people.append(Person(pk, programme_id, status, birth_year, gender or "", referred_on))
    first = dict(
        Match.objects.filter(participant_id__in=[p.pk for p in people], started_on__isnull=False)
        .values("participant_id")
        .annotate(first=Min("started_on"))
        .values_list("participant_id", "first")
    )
    for person in people:
        person.first_match_on = first.get(person.pk)
    return people


# --- aggregated tables --------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    row_header: str
    rows: list[str]
    columns: list[str]
    result: Suppressed

    @property
    def body(self) -> list[dict]:
        """Rows for the template: label, and each entry as (value or None, was it small)."""
        shown = self.result.shown
        labels = [*self.rows, _("Total")]
        return [
            {
                "label": labels[i],
                "is_total": i == len(self.rows),
                "cells": [
                    {
                        "value": value,
                        "primary": self.result.primary[i][j],
                        "column": self.columns[j],
                    }
                    for j, value in enumerate(shown[i])
                ],
            }
            for i in range(len(shown))
        ]


def _matrix(items, row_keys, col_keys) -> list[list[int]]:
    index_r = {k: i for i, k in enumerate(row_keys)}
    index_c = {k: j for j, k in enumerate(col_keys)}
    cells = [[0] * len(col_keys) for _ in row_keys]
    for r, c in items:
        if r in index_r and c in index_c:
            cells[index_r[r]][index_c[c]] += 1
    return cells


def _table(code, title, row_header, row_keys, row_labels, col_keys, col_labels, items) -> Table:
    return Table(
        code=code,
        title=str(title),
        row_header=str(row_header),
        rows=[str(row_labels.get(k, k)) for k in row_keys],
        columns=[*(str(col_labels.get(k, k)) for k in col_keys), str(_("Total"))],
        result=suppress(_matrix(items, row_keys, col_keys)),
    )


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, year, mon = [], start.year, start.month
    while (year, mon) <= (end.year, end.month):
        months.append(f"{year:04d}-{mon:02d}")
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return months


def contact_months(filters: Filters, today: dt.date) -> tuple[dt.date, dt.date]:
    """The months the contacts table covers: the filter's period, else the last 12 months."""
    end = filters.period_to or today
    start = filters.period_from or (end.replace(day=1) - dt.timedelta(days=334)).replace(day=1)
    return start, end


def tables(
    project: ResearchProject, filters: Filters, *, at: dt.datetime | None = None
) -> tuple[int, list[Table]]:
    """(number of participants, the tables) for the cohort; the number itself is shown only
    when it is at least the threshold."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    people = cohort(project, filters, at=at)
    programmes = {p.pk: p.name for p in project.programmes.all()}
    programme_keys = sorted(programmes, key=lambda k: programmes[k])
    status_labels = dict(Participant.Status.choices)
    gender_labels = dict(Participant.Gender.choices)
    gender_keys = [g for g, _label in Participant.Gender.choices]
    age_keys = [code for code, _low, _high in coding.AGE_BANDS] + [coding.AGE_UNKNOWN]
    wait_keys = [code for code, _low, _high in coding.WAIT_BANDS] + [coding.WAIT_NOT_MATCHED]
    result = [
        _table(
            "status_programme",
            _("Participants by status and programme"),
            _("Status"),
            list(status_labels),
            status_labels,
            programme_keys,
            programmes,
            [(p.status, p.programme_id) for p in people],
        ),
        _table(
            "age_gender",
            _("Participants by age and gender"),
            _("Age"),
            age_keys,
            coding.AGE_BAND_LABELS,
            gender_keys,
            gender_labels,
            [(coding.age_band(p.birth_year, today), p.gender) for p in people],
        ),
        _table(
            "waiting_programme",
            _("Time from referral to a peer worker"),
            _("Waiting time"),
            wait_keys,
            coding.WAIT_BAND_LABELS,
            programme_keys,
            programmes,
            [(coding.wait_band(p.referred_on, p.first_match_on), p.programme_id) for p in people],
        ),
    ]
    start, end = contact_months(filters, today)
    initiative_labels = dict(Contact.Initiative.choices)
    contacts = Contact.objects.filter(
        participant_id__in=[p.pk for p in people],
        outcome=Contact.Outcome.HELD,
        occurred_at__date__gte=start,
        occurred_at__date__lte=end,
    ).values_list("occurred_at", "initiative")
    result.append(
        _table(
            "contacts_month",
            _("Contacts held per month, by who took the initiative"),
            _("Month"),
            _months(start, end),
            {},
            list(initiative_labels),
            initiative_labels,
            [(coding.month(timezone.localdate(at_)), who) for at_, who in contacts],
        )
    )
    return len(people), result


__all__ = ["THRESHOLD", "Filters", "Person", "Table", "cohort", "tables"]
