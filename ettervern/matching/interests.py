"""Interest tags in use in an organisation, and merging spellings of the same tag.

Tags are free text on participants and peer workers; matching compares them normalised
(``core.normalise_tag``). The organisation's administrator sees every spelling with how many
use it, and merges duplicates into one spelling across the organisation in one transaction.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ettervern.accounts.models import Organisation, User
from ettervern.accounts.selectors import is_admin_of
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.matching import events
from ettervern.matching.core.data import normalise_tag
from ettervern.participants.models import Participant
from ettervern.peers.models import PeerWorker

MAX_TAG_LENGTH = 40


@dataclass(frozen=True)
class TagUse:
    tag: str
    participants: int
    peers: int
    # Other spellings that match as the same tag ("Fjelltur" and "fjelltur ").
    same_as: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.participants + self.peers


def interests_in_use(organisation: Organisation) -> list[TagUse]:
    """Every spelling of an interest tag in the organisation, with how many participants and
    peer workers use it, sorted by the tag as matching sees it. Two queries."""
    participants, peers = Counter(), Counter()
    for counter, model in ((participants, Participant), (peers, PeerWorker)):
        for tags in model.objects.filter(organisation=organisation).values_list(
            "interests", flat=True
        ):
            counter.update({t for t in tags or [] if isinstance(t, str) and t.strip()})
    spellings: dict[str, list[str]] = {}
    for tag in sorted(set(participants) | set(peers)):
        spellings.setdefault(normalise_tag(tag), []).append(tag)
    return [
        TagUse(tag, participants[tag], peers[tag], tuple(t for t in group if t != tag))
        for key in sorted(spellings)
        for group in [spellings[key]]
        for tag in group
    ]


def _merged(tags: list, merge: set[str], into: str) -> list:
    result = []
    for tag in tags:
        new = into if tag in merge else tag
        if new not in result:
            result.append(new)
    return result


@transaction.atomic
def interests_merge(
    *, actor: User, organisation: Organisation, tags: list[str], into: str
) -> tuple[int, int]:
    """Replace each of ``tags`` with ``into`` in every participant's and peer worker's interests
    in the organisation (never another's). Returns (participants changed, peers changed)."""
    if not is_admin_of(actor, organisation.pk):
        raise PermissionDenied
    into = " ".join((into or "").split())
    merge = {t for t in tags if isinstance(t, str)}
    if not into or not merge:
        raise ValidationError(_("Choose the tags to merge and write the spelling to keep."))
    if len(into) > MAX_TAG_LENGTH:
        raise ValidationError(_("A tag has at most %(max)s characters.") % {"max": MAX_TAG_LENGTH})
    counts = []
    for model in (Participant, PeerWorker):
        changed = []
        for row in (
            model.objects.select_for_update()
            .filter(organisation=organisation)
            .only("pk", "interests")
        ):
            tags_now = row.interests or []
            if not merge & set(tags_now):
                continue
            row.interests = _merged(tags_now, merge, into)
            changed.append(row)
        model.objects.bulk_update(changed, ["interests"])
        counts.append(len(changed))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="accounts.organisation",
        object_id=organisation.pk,
        organisation_id=organisation.pk,
        event=events.INTERESTS_MERGED,
        data={
            "into": into,
            "merged": sorted(merge),
            "participants": counts[0],
            "peers": counts[1],
        },
    )
    return counts[0], counts[1]
