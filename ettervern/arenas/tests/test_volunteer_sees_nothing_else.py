"""A volunteer's login reaches the events they help at, and nothing of anyone's follow-up.

Walks every route of the participant, peer, matching, follow-up, work, import, audit and
administration pages (with the ids of real objects of the volunteer's own organisation) as a
volunteer: each answers 403 or 404 (or 405 for a wrong method), never a page.
"""

import pytest

from ettervern.web.tests.home import home_page
from ettervern.web.tests.test_url_access import KWARG, _registry, _url

CASE_PREFIXES = (
    "deltakere/",
    "likepersoner/",
    "matching/",
    "oppfolging/",
    "arbeid/",
    "import/",
    "logg/",
    "admin-org/",
)


def _all_routes():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.mark.django_db
def test_volunteer_reaches_no_participant_peer_or_followup_page(client, personas, arena):
    registry = _registry()
    client.force_login(arena.volunteer)
    walked, reached = [], []
    for route in _all_routes():
        if not route.startswith(CASE_PREFIXES):
            continue
        ids = {k: registry[k].local(personas) for k in KWARG.findall(route)}
        url = _url(route, ids)
        statuses = (client.get(url).status_code, client.post(url, {}).status_code)
        refused = all(s in (403, 404, 405) for s in statuses) and {403, 404} & set(statuses)
        if not refused:
            reached.append((url, statuses))
        walked.append(url)
    assert reached == []
    assert len(walked) > 60
    assert f"/deltakere/{personas.participant.pk}/" in walked


@pytest.mark.django_db
def test_volunteer_reaches_no_event_they_do_not_help_at(client, personas, arena):
    client.force_login(arena.volunteer)
    for event in (arena.other_event, arena.film_b):
        assert client.get(f"/arrangementer/{event.pk}/").status_code == 404
        assert client.get(f"/arrangementer/{event.pk}/oppmote/").status_code == 404
    calendar = client.get("/arrangementer/?maned=2026-12").content.decode()
    assert "Konsert" not in calendar and f"/arrangementer/{arena.film.pk}/" in calendar


@pytest.mark.django_db
def test_volunteer_home_shows_only_the_events_they_help_at(client, personas, arena):
    client.force_login(arena.volunteer)
    page = home_page(client).content.decode()
    assert f"/arrangementer/{arena.film.pk}/oppmote/" in page
    assert "Konsert" not in page
    assert "/deltakere/" not in page and "/likepersoner/" not in page
