from ettervern.web.tests.access import AccessObject


def _planned_contact(match):
    import datetime as dt

    from django.utils import timezone

    from ettervern.followup.models import Contact

    contact, _ = Contact.objects.get_or_create(
        match=match,
        outcome=Contact.Outcome.PLANNED,
        defaults={
            "organisation_id": match.organisation_id,
            "programme_id": match.programme_id,
            "participant_id": match.participant_id,
            "peer_id": match.peer_id,
            "kind": Contact.Kind.PHONE,
            "occurred_at": timezone.now() - dt.timedelta(hours=2),
        },
    )
    return contact.pk


OBJECTS = {
    "contact_id": AccessObject(
        foreign=lambda p: _planned_contact(p.match_b),
        local=lambda p: _planned_contact(p.match),
        entitled=frozenset({"coordinator", "peer_user"}),
    ),
}
