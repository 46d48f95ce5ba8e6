from conftest import make_participant
from ettervern.audit.models import AuditEvent
from ettervern.web.tests.home import home_page


def test_coordinator_home_lists_programme_participants_and_peers(client, personas):
    client.force_login(personas.coordinator)
    body = home_page(client).content.decode()
    assert "Dag Deltaker" in body and "Vera Venter" in body
    assert "Per Likeperson" in body and "Olga Likeperson" in body
    assert "Bendik Deltaker" not in body  # other organisation


def test_peer_home_lists_only_own_participants(client, personas):
    client.force_login(personas.peer_user)
    body = home_page(client).content.decode()
    assert "Mine deltakere" in body
    assert "Dag Deltaker" in body
    assert "Vera Venter" not in body
    assert "Olga Likeperson" not in body


def test_navigation_depends_on_role(client, personas):
    client.force_login(personas.coordinator)
    assert "Tilgangslogg" in home_page(client).content.decode()
    client.force_login(personas.peer_user)
    assert "Tilgangslogg" not in home_page(client).content.decode()


def test_home_requires_login(client, db):
    assert home_page(client).status_code == 302


def test_participant_list_query_count_does_not_grow(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.coordinator)
    client.get("/deltakere/")  # warm up per-session queries
    with django_assert_max_num_queries(8):
        assert client.get("/deltakere/").status_code == 200
    for i in range(20):
        make_participant(personas.programme_a, f"Ekstra {i}")
    with django_assert_max_num_queries(8):
        response = client.get("/deltakere/")
    assert "Ekstra 19" in response.content.decode()


def test_peer_list_query_count_does_not_grow(client, personas, django_assert_max_num_queries):
    from conftest import make_peer, make_user

    client.force_login(personas.coordinator)
    # 8, and one per kind of signal for the badges (ettervern.followup.peer_signals.KINDS).
    with django_assert_max_num_queries(15):
        assert client.get("/likepersoner/").status_code == 200
    for i in range(10):
        make_peer(make_user(f"ekstra{i}@a.test", f"Ekstra Likeperson {i}"), personas.programme_a)
    with django_assert_max_num_queries(15):
        assert "Ekstra Likeperson 9" in client.get("/likepersoner/").content.decode()


def test_coordinator_home_defers_the_programme_wide_panels(client, personas):
    """The page itself shows the headings at once; each panel comes from its own request."""
    client.force_login(personas.coordinator)
    page = client.get("/").content.decode()
    for key in ("oppmerksomhet", "signaler", "likepersoner"):
        assert f'data-deferred="{key}" hx-get="/hjem/{key}/"' in page
        assert f'<a href="/hjem/{key}/">' in page  # without JavaScript, a link
    assert "Trenger oppfølging" in page and "Henter …" in page
    assert 'data-kind="' not in page  # the attention items are not computed for the page


def test_a_deferred_panel_is_a_fragment_for_htmx_and_a_page_without_it(client, personas):
    client.force_login(personas.coordinator)
    fragment = client.get("/hjem/oppmerksomhet/", headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert 'id="attention-list"' in text and "<html" not in text
    page = client.get("/hjem/oppmerksomhet/").content.decode()
    assert 'id="attention-list"' in page and "<html" in page and "Tilbake til forsiden" in page


def test_deferred_panels_are_for_their_roles_only(client, personas):
    client.force_login(personas.peer_user)
    home = client.get("/").content.decode()
    assert "deferred-panel" not in home and 'id="attention-list"' in home  # hers at once
    for key in ("signaler", "likepersoner"):
        assert (
            "<section"
            not in client.get(f"/hjem/{key}/", headers={"HX-Request": "true"}).content.decode()
        )
    client.force_login(personas.participant_user)
    assert (
        "<section"
        not in client.get("/hjem/oppmerksomhet/", headers={"HX-Request": "true"}).content.decode()
    )


def test_an_unknown_panel_is_not_found_and_a_panel_needs_a_login(client, personas):
    assert client.get("/hjem/oppmerksomhet/").status_code == 302
    client.force_login(personas.coordinator)
    assert client.get("/hjem/finnes-ikke/").status_code == 404


def test_the_icon_is_linked_and_favicon_ico_is_no_refused_url(client, personas):
    client.force_login(personas.coordinator)
    assert 'rel="icon" href="/static/ettervern/favicon.svg"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DENIED).exists()
