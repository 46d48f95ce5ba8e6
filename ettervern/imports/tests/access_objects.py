from ettervern.imports.models import ImportUpload
from ettervern.web.tests.access import AccessObject


def _upload(programme) -> int:
    upload, _ = ImportUpload.objects.get_or_create(
        organisation_id=programme.organisation_id,
        programme=programme,
        file_name="flytting.csv",
        defaults={"content": b"Ekstern ID;Navn\n", "sha256": "0" * 64},
    )
    return upload.pk


OBJECTS = {
    "upload_id": AccessObject(
        foreign=lambda p: _upload(p.programme_b),
        local=lambda p: _upload(p.programme_a),
        entitled=frozenset({"coordinator"}),
    ),
}
