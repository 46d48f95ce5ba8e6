"""The columns of the row-level research export, as a registry.

Each column has a code (the header in the file), a label and a coding (both in the codebook),
and ``values``: a function that gets the export's ``ExportBase`` (the cohort, the date, the
research ids) and returns ``{participant pk: value}`` for the whole cohort at once, so a column
costs one query, not one per row. Add a column with one entry::

    register(Column(
        code="goals_reached",
        label=_("Goals reached"),
        coding=_("Number of the participant's own goals marked reached"),
        values=lambda base: goals_reached_by_participant(participant_ids=base.pks),
    ))

The outcome columns (BARC-10 and trust: first and latest complete total, the months they were
answered, how many complete answers) come from ``outcomes.selectors.scores_by_participant`` and
are registered with one line per instrument: ``register_scores("barc10", "BARC-10", "10–60")``.

A value is a code, a band, a month (``YYYY-MM``) or a count; never a name, a birth date, a phone
number, free text or a database id. ``quasi_identifier`` columns are generalised to ``*`` in rows
whose combination is shared by fewer than the threshold (see ``services.generalise``).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ettervern.followup.models import Contact
from ettervern.outcomes.selectors import scores_by_participant
from ettervern.participants.models import Participant, StatusChange
from ettervern.research import coding
from ettervern.research.selectors import Person


@dataclass(frozen=True)
class ExportBase:
    people: list[Person]
    today: dt.date
    research_ids: dict[int, str]
    # What several columns read once (e.g. one instrument's scores), by a key of their choice.
    cache: dict = field(default_factory=dict)

    def once(self, key: str, load: Callable[[], object]):
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]

    @property
    def pks(self) -> list[int]:
        return [p.pk for p in self.people]


@dataclass(frozen=True)
class Column:
    code: str
    label: str | Promise
    coding: str | Promise
    values: Callable[[ExportBase], dict[int, object]]
    quasi_identifier: bool = False


COLUMNS: list[Column] = []


def register(column: Column) -> Column:
    if any(c.code == column.code for c in COLUMNS):
        raise ValueError(f"research export column {column.code!r} is registered twice")
    COLUMNS.append(column)
    return column


def per_person(fn: Callable[[Person, ExportBase], object]) -> Callable[[ExportBase], dict]:
    return lambda base: {p.pk: fn(p, base) for p in base.people}


def _codes(choices) -> str:
    return "; ".join(f"{code or '-'} = {label}" for code, label in choices)


# The codebook lists each code with its label in the language of the download.
_choices = lazy(_codes, str)


def _contacts(base: ExportBase) -> dict[int, int]:
    counts = dict(
        Contact.objects.filter(participant_id__in=base.pks, outcome=Contact.Outcome.HELD)
        .values("participant_id")
        .annotate(n=Count("pk"))
        .values_list("participant_id", "n")
    )
    return {pk: counts.get(pk, 0) for pk in base.pks}


def _end_reasons(base: ExportBase) -> dict[int, str]:
    reasons = {}
    for pk, reason in (
        StatusChange.objects.filter(participant_id__in=base.pks, to_status=Participant.Status.ENDED)
        .order_by("at", "pk")
        .values_list("participant_id", "end_reason")
    ):
        reasons[pk] = reason  # the latest ending wins
    return {p.pk: reasons.get(p.pk, "") if p.status == "ended" else "" for p in base.people}


register(
    Column(
        "research_id",
        _("Research id"),
        _("Random, stable for this participant in this project only; not used anywhere else."),
        lambda base: base.research_ids,
    )
)
register(
    Column(
        "age_band",
        _("Age band"),
        _("Age at the export, in bands: u25, 25-34, 35-44, 45-54, 55+, unknown; * = hidden."),
        per_person(lambda p, base: coding.age_band(p.birth_year, base.today)),
        quasi_identifier=True,
    )
)
register(
    Column(
        "gender",
        _("Gender"),
        _("female, male, other; empty = not stated; * = hidden."),
        per_person(lambda p, base: p.gender),
        quasi_identifier=True,
    )
)
register(
    Column(
        "status",
        _("Status"),
        format_lazy(_("Status at the export: {codes}"), codes=_choices(Participant.Status.choices)),
        per_person(lambda p, base: p.status),
    )
)
register(
    Column(
        "referred_month",
        _("Month of referral"),
        _("The month the participant was referred, YYYY-MM (the day is left out)."),
        per_person(lambda p, base: coding.month(p.referred_on)),
    )
)
register(
    Column(
        "first_match_month",
        _("Month of the first match"),
        _("The month the first peer worker started, YYYY-MM; empty = not matched."),
        per_person(lambda p, base: coding.month(p.first_match_on)),
    )
)
register(
    Column(
        "waiting_band",
        _("Waiting time"),
        _("Days from referral to the first match: 0-13, 14-29, 30-59, 60-89, 90+, not_matched."),
        per_person(lambda p, base: coding.wait_band(p.referred_on, p.first_match_on)),
    )
)
register(
    Column(
        "contacts_held",
        _("Contacts held"),
        _("Number of contacts with a peer worker registered as held, in all time."),
        _contacts,
    )
)
register(
    Column(
        "end_reason",
        _("End reason"),
        format_lazy(
            _("For ended participants: {codes}; empty = not ended."),
            codes=_choices(StatusChange.EndReason.choices),
        ),
        _end_reasons,
    )
)


def _scores(base: ExportBase, instrument_code: str) -> dict:
    return base.once(
        f"scores:{instrument_code}",
        lambda: scores_by_participant(participant_ids=base.pks, instrument_code=instrument_code),
    )


def register_scores(instrument_code: str, name: str, total_range: str) -> None:
    """First and latest complete total of an instrument, the months they were answered, and the
    number of complete answers (``outcomes.selectors.scores_by_participant``)."""

    def pick(index: int, attr: str):
        def values(base: ExportBase) -> dict:
            found = _scores(base, instrument_code)
            out = {}
            for pk in base.pks:
                scores = found.get(pk) or []
                if not scores:
                    out[pk] = ""
                else:
                    score = scores[index]
                    out[pk] = coding.month(score.answered_on) if attr == "month" else score.total
            return out

        return values

    register(
        Column(
            f"{instrument_code}_first",
            format_lazy(_("{name}, first total"), name=name),
            format_lazy(
                _("Total of the first complete answer, {range}; empty = never answered."),
                range=total_range,
            ),
            pick(0, "total"),
        )
    )
    register(
        Column(
            f"{instrument_code}_first_month",
            format_lazy(_("{name}, month of the first answer"), name=name),
            _("YYYY-MM; empty = never answered."),
            pick(0, "month"),
        )
    )
    register(
        Column(
            f"{instrument_code}_last",
            format_lazy(_("{name}, latest total"), name=name),
            format_lazy(
                _(
                    "Total of the latest complete answer, {range}; the same as the first when "
                    "answered once; empty = never answered."
                ),
                range=total_range,
            ),
            pick(-1, "total"),
        )
    )
    register(
        Column(
            f"{instrument_code}_last_month",
            format_lazy(_("{name}, month of the latest answer"), name=name),
            _("YYYY-MM; empty = never answered."),
            pick(-1, "month"),
        )
    )
    register(
        Column(
            f"{instrument_code}_answers",
            format_lazy(_("{name}, complete answers"), name=name),
            _("How many complete answers there are (incomplete ones are never scored)."),
            lambda base: {pk: len(_scores(base, instrument_code).get(pk) or []) for pk in base.pks},
        )
    )


register_scores("barc10", "BARC-10", "10–60")
register_scores("trust", _("Trust in the peer worker"), "9–45")
