"""The daily digest: what a user should know today, without opening the app.

A digest is made of sections from ``SECTIONS``, a registry: each section says whom it is for
(roles) and where its items come from. An item is anything with ``participant_id``,
``participant_name`` and ``text`` (``followup.selectors.AttentionItem`` is one); the digest shows
the participant's initials and a link, never the name. A section with ``only_new`` shows only
the items that were not in the user's previous digest (keyed by kind and participant id).

Adding a section is one entry, as "questionnaires_due" (from the outcomes app) shows.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import roles_of
from ettervern.followup.models import Contact
from ettervern.followup.selectors import attention_items
from ettervern.matching.access import Need, participants_for
from ettervern.outcomes.selectors import questionnaires_due

# Attention kinds as the digest words them: the kind only, never the item's own text (which may
# name a release from prison or a discharge from treatment).
ATTENTION_WORDS = {
    "no_contact": gettext_lazy("No contact for a while"),
    "review_due": gettext_lazy("Follow-up agreement due for review"),
    "waiting_long": gettext_lazy("Has waited long for a peer worker"),
    "consent_withdrawn": gettext_lazy("Consent changed: decide what happens next"),
    "release_soon": gettext_lazy("A transition soon without a planned contact"),
    "after_transition": gettext_lazy("A recent transition without a contact since"),
}


def initials(name: str) -> str:
    """ "Dag Ola Deltaker" -> "D.O.D."; never more of the name than its first letters."""
    return "".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha()) or "–"


@dataclass(frozen=True)
class Item:
    participant_id: int
    participant_name: str
    text: str
    kind: str = ""


@dataclass(frozen=True)
class Line:
    """One line of the mail: initials, a neutral text and a link to the participant's page."""

    key: str
    initials: str
    text: str
    url: str


@dataclass(frozen=True)
class Section:
    code: str
    title: Any  # a lazy translation
    roles: frozenset[str]
    items: Callable[[User, dt.date], Iterable[Any]]
    # How an item is worded in the mail (default: its own ``text``).
    words: Callable[[Any], str] = field(default=lambda item: str(item.text))
    only_new: bool = False


@dataclass(frozen=True)
class SectionLines:
    code: str
    title: str
    lines: list[Line]


@dataclass(frozen=True)
class Digest:
    user: User
    day: dt.date
    sections: list[SectionLines]
    # Keys of the ``only_new`` sections' current items: the next digest's "already seen".
    seen: list[str]

    @property
    def line_count(self) -> int:
        return sum(len(s.lines) for s in self.sections)


def _local_day_bounds(day: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=days), dt.time.min))
    return start, end


def planned_contacts(user: User, day: dt.date) -> list[Item]:
    """The peer worker's own contacts planned today and tomorrow (local days)."""
    start, end = _local_day_bounds(day, 2)
    rows = (
        Contact.objects.filter(
            peer__user=user,
            outcome=Contact.Outcome.PLANNED,
            occurred_at__gte=start,
            occurred_at__lt=end,
            participant__in=participants_for(user, Need.READ),
        )
        .select_related("participant")
        .only("occurred_at", "participant__name")
        .order_by("occurred_at")
    )
    items = []
    for contact in rows:
        local = timezone.localtime(contact.occurred_at)
        when = _("today") if local.date() == day else _("tomorrow")
        text = _("Planned contact %(when)s at %(time)s") % {
            "when": when,
            "time": local.strftime("%H:%M"),
        }
        items.append(Item(contact.participant_id, contact.participant.name, text, "contact"))
    return items


def not_contacted(user: User, day: dt.date) -> list[Any]:
    """The peer worker's current participants with no contact held for the programme's number
    of days (the same rule as the attention list)."""
    return [item for item in attention_items(user) if item.kind == "no_contact"]


def _attention_words(item) -> str:
    return str(ATTENTION_WORDS.get(item.kind, gettext_lazy("Needs attention")))


SECTIONS: list[Section] = [
    Section(
        "planned_contacts",
        gettext_lazy("Contacts planned today and tomorrow"),
        roles=frozenset({Role.PEER_WORKER}),
        items=planned_contacts,
    ),
    Section(
        "not_contacted",
        gettext_lazy("Participants you have not been in contact with lately"),
        roles=frozenset({Role.PEER_WORKER}),
        items=not_contacted,
        words=_attention_words,
    ),
    Section(
        "questionnaires_due",
        gettext_lazy("Questionnaires due"),
        roles=frozenset({Role.PEER_WORKER}),
        items=lambda user, day: questionnaires_due(user=user, on=day),
    ),
    Section(
        "attention_new",
        gettext_lazy("New on the attention list since the last summary"),
        roles=frozenset({Role.COORDINATOR}),
        items=lambda user, day: attention_items(user),
        words=_attention_words,
        only_new=True,
    ),
]


def participant_url(participant_id: int | None) -> str:
    """The participant's page (the home page for an item about no one participant)."""
    base = settings.ETTERVERN_SITE_URL.rstrip("/")
    if participant_id is None:
        return base + reverse("web:home")
    return base + reverse("participants:detail", args=[participant_id])


def build_digest(*, user: User, day: dt.date, previously_seen: Iterable[str] = ()) -> Digest:
    """The user's digest for ``day``; ``previously_seen`` are the keys the last digest saw."""
    roles = roles_of(user)
    previously_seen = set(previously_seen)
    sections, seen = [], []
    for section in SECTIONS:
        if not roles & section.roles:
            continue
        lines: list[Line] = []
        keys: set[str] = set()
        for item in section.items(user, day):
            key = f"{section.code}:{getattr(item, 'kind', '')}:{item.participant_id}"
            if section.only_new:
                if key in keys:
                    continue
                keys.add(key)
                seen.append(key)
                if key in previously_seen:
                    continue
            lines.append(
                Line(
                    key=key,
                    initials=initials(item.participant_name),
                    text=section.words(item),
                    url=participant_url(item.participant_id),
                )
            )
        if lines:
            sections.append(SectionLines(section.code, str(section.title), lines))
    return Digest(user=user, day=day, sections=sections, seen=sorted(seen))
