"""Bad input gets a clear Norwegian page with the right status, never a 500."""

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "path",
    [
        "/deltakere/abc/",
        "/deltakere/-1/",
        "/deltakere/99999999999999999999999999/",
        "/deltakere/1.5/",
        "/finnes-ikke/",
        "/deltakere/%00/",
    ],
)
def test_malformed_ids_and_unknown_urls_are_norwegian_404(client, personas, path):
    client.force_login(personas.coordinator)
    response = client.get(path)
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_unknown_participant_id_is_404_not_500(client, personas):
    client.force_login(personas.coordinator)
    assert client.get("/deltakere/999999999999999999/").status_code == 404


def test_wrong_method_is_norwegian_405(client, personas):
    client.force_login(personas.coordinator)
    response = client.post("/deltakere/")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert "Ikke mulig her" in response.content.decode()


def test_post_without_csrf_token_is_norwegian_403(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.coordinator)
    response = client.post(f"/deltakere/{personas.participant.pk}/kontaktinfo/", {"phone": "1"})
    assert response.status_code == 403
    assert "Ikke tillatt" in response.content.decode()
    personas.participant.refresh_from_db()
    assert personas.participant.phone == "91234567"


def test_oversized_body_is_norwegian_400(client, personas, settings):
    client.force_login(personas.coordinator)
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        f"/deltakere/{personas.participant.pk}/kontaktinfo/",
        data=f"phone={big}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "Forespørselen kunne ikke forstås" in response.content.decode()
    personas.participant.refresh_from_db()
    assert personas.participant.phone == "91234567"


def test_server_error_page_is_norwegian_and_has_no_stack_trace(personas, settings):
    from django.urls import path

    from config import urls as root_urls

    def boom(request):
        raise RuntimeError("secret stack detail")

    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    root_urls.urlpatterns.append(path("boom-test/", boom))
    try:
        from django.urls import clear_url_caches

        clear_url_caches()
        response = client.get("/boom-test/")
    finally:
        root_urls.urlpatterns.pop()
        clear_url_caches()
    assert response.status_code == 500
    body = response.content.decode()
    assert "Det oppstod en feil" in body
    assert "secret stack detail" not in body


def test_every_response_carries_a_request_id(client, db):
    response = client.get("/accounts/login/")
    assert len(response["X-Request-ID"]) == 32


def test_health_check(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
