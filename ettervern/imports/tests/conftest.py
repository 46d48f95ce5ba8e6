import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture
def upload(client, personas):
    """POST a file to the import page as the coordinator of programme A."""
    client.force_login(personas.coordinator)

    def send(content: bytes, name: str = "flytting.xlsx"):
        return client.post(
            "/import/",
            {"programme": personas.programme_a.pk, "file": SimpleUploadedFile(name, content)},
        )

    return send
