from ettervern.reports.tests.factories import export_of
from ettervern.web.tests.access import AccessObject

OBJECTS = {
    "report_programme_id": AccessObject(
        foreign=lambda p: p.programme_b.pk,
        local=lambda p: p.programme_a.pk,
        entitled=frozenset({"coordinator", "admin"}),
    ),
    # An export is its requester's own: nobody else reaches it, not even the org admin.
    "report_export_id": AccessObject(
        foreign=lambda p: export_of(p.coordinator_b, p.programme_b).pk,
        local=lambda p: export_of(p.admin, p.programme_a).pk,
        entitled=frozenset({"admin"}),
    ),
}
