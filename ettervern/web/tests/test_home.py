from conftest import make_participant


def test_coordinator_home_lists_programme_participants_and_peers(client, personas):
    client.force_login(personas.coordinator)
    body = client.get("/").content.decode()
    assert "Dag Deltaker" in body and "Vera Venter" in body
    assert "Per Likeperson" in body and "Olga Likeperson" in body
    assert "Bendik Deltaker" not in body  # other organisation


def test_peer_home_lists_only_own_participants(client, personas):
    client.force_login(personas.peer_user)
    body = client.get("/").content.decode()
    assert "Mine deltakere" in body
    assert "Dag Deltaker" in body
    assert "Vera Venter" not in body
    assert "Olga Likeperson" not in body


def test_navigation_depends_on_role(client, personas):
    client.force_login(personas.coordinator)
    assert "Tilgangslogg" in client.get("/").content.decode()
    client.force_login(personas.peer_user)
    assert "Tilgangslogg" not in client.get("/").content.decode()


def test_home_requires_login(client, db):
    assert client.get("/").status_code == 302


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
