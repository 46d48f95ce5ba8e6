from ettervern.orgadmin.tests.factories import area_of, invitations, membership_of
from ettervern.web.tests.access import AccessObject

ADMIN = frozenset({"admin"})

OBJECTS = {
    "user_id": AccessObject(
        foreign=lambda p: p.coordinator_b.pk,
        local=lambda p: p.coordinator.pk,
        entitled=ADMIN,
    ),
    "membership_id": AccessObject(
        foreign=lambda p: membership_of(p.coordinator_b).pk,
        local=lambda p: membership_of(p.coordinator).pk,
        entitled=ADMIN,
    ),
    "invitation_id": AccessObject(
        foreign=lambda p: invitations(p)[1].pk,
        local=lambda p: invitations(p)[0].pk,
        entitled=ADMIN,
    ),
    "programme_id": AccessObject(
        foreign=lambda p: p.programme_b.pk,
        local=lambda p: p.programme_a.pk,
        entitled=ADMIN,
    ),
    "area_id": AccessObject(
        foreign=lambda p: area_of(p.org_b).pk,
        local=lambda p: area_of(p.org_a).pk,
        entitled=ADMIN,
    ),
}
