"""The peer picker: a search field and a short list, never every peer of a large programme."""

from django.urls import reverse

from conftest import make_peer, make_user, member
from ettervern.accounts.models import Role
from ettervern.matching.forms import PEER_OPTIONS_SHOWN


def _many_peers(personas, count: int) -> None:
    for i in range(count):
        user = make_user(f"mange{i}@a.test", f"Mange Likeperson {i:02d}")
        member(user, personas.programme_a, Role.PEER_WORKER)
        make_peer(user, personas.programme_a)


def test_the_participant_page_renders_a_short_list_and_a_search(client, personas):
    _many_peers(personas, PEER_OPTIONS_SHOWN + 10)
    client.force_login(personas.coordinator)
    body = client.get(reverse("participants:detail", args=[personas.waiting.pk])).content.decode()
    # Two pickers (why not, exclusion), each at most the first peers by name plus "—".
    assert body.count("<option") <= 2 * (PEER_OPTIONS_SHOWN + 1) + 10
    assert 'id="why-not-peer-search"' in body and 'id="exclusion-peer-search"' in body


def test_searching_finds_a_peer_beyond_the_first_ones(client, personas):
    _many_peers(personas, PEER_OPTIONS_SHOWN + 10)
    client.force_login(personas.coordinator)
    url = reverse("matching:peer_options", args=[personas.waiting.pk])
    body = client.get(url, {"q": "olga"}).content.decode()
    assert f'value="{personas.other_peer.pk}"' in body and "Mange" not in body
    assert "ingen" in client.get(url, {"q": "finnes ikke"}).content.decode().lower()


def test_why_not_takes_a_peer_not_in_the_short_list(client, personas):
    _many_peers(personas, PEER_OPTIONS_SHOWN + 10)
    client.force_login(personas.coordinator)
    url = reverse("matching:why_not", args=[personas.waiting.pk])
    body = client.get(url, {"peer": personas.peer.pk}).content.decode()
    assert "Per Likeperson" in body


def test_another_organisations_programme_is_not_searchable(client, personas):
    client.force_login(personas.coordinator)
    url = reverse("matching:peer_options", args=[personas.participant_b.pk])
    assert client.get(url, {"q": "b"}).status_code == 404
    client.force_login(personas.peer_user)
    url = reverse("matching:peer_options", args=[personas.waiting.pk])
    assert client.get(url, {"q": "o"}).status_code in (403, 404)
