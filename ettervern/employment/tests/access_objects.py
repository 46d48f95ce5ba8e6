from ettervern.employment.tests.factories import jobs
from ettervern.web.tests.access import AccessObject

CASE = frozenset({"coordinator", "peer_user", "participant_user", "employer"})

OBJECTS = {
    "company_id": AccessObject(
        foreign=lambda p: jobs(p).company_b.pk,
        local=lambda p: jobs(p).company.pk,
        entitled=frozenset({"coordinator", "peer_user", "other_peer_user"}),
    ),
    "contact_person_id": AccessObject(
        foreign=lambda p: jobs(p).contact_b.pk,
        local=lambda p: jobs(p).other_contact.pk,
        entitled=frozenset({"coordinator"}),
    ),
    "placement_id": AccessObject(
        foreign=lambda p: jobs(p).placement_b.pk,
        local=lambda p: jobs(p).placement.pk,
        entitled=CASE,
    ),
    "meeting_id": AccessObject(
        foreign=lambda p: jobs(p).meeting_b.pk,
        local=lambda p: jobs(p).meeting.pk,
        entitled=CASE,
    ),
    "action_id": AccessObject(
        foreign=lambda p: jobs(p).action_b.pk,
        local=lambda p: jobs(p).action.pk,
        entitled=CASE,
    ),
}
