"""Garbage into every URL, for every role: never a 500, and the database stays consistent.

The URL walker checks who may reach what; this one sends nonsense (impossible dates, huge
numbers, unknown codes, markup) as GET parameters and POST fields to every page, with ids of
objects the persona may see, and fails on any server error.
"""

import pytest

from ettervern.web.tests.test_url_access import KWARG, _id_routes, _registry, _url

GARBAGE = {
    "peer": "x",
    "participant": "-1",
    "participant_id": "99999999999999999999999",
    "date": "31.02.2026",
    "held_on": "2026-13-40",
    "started_on": "0000-00-00",
    "ended_on": "tomorrow",
    "occurred_at": "not a date",
    "scheduled_for": "9999-99-99T99:99",
    "duration_minutes": "99999999999999999999",
    "minutes": "-5",
    "hours": "NaN",
    "max_participants": "1e309",
    "position_percent": "1000",
    "kind": "<script>alert(1)</script>",
    "status": "zzz",
    "outcome": "maybe",
    "purpose": "everything",
    "party": "nobody",
    "version": "abc",
    "number": "NaN",
    "tiltak": "abc",
    "pair": ["1-2-3", "x-y"],
    "attended": ["x", "-1"],
    "sort": "'; drop table x; --",
    "q": "a" * 500,
    "side": "-1",
    "reason": "",
    "note": "\x00",
    "name": "",
    "email": "@@",
    "phone": "+",
    "birth_year": "3000",
    # One past the 64-bit range of the keys: the database overflows if a form asks it.
    "goals": ["9223372036854775808"],
    "attendees": ["9223372036854775808", "1"],
    "company": "9223372036854775808",
    "contact_person": "9223372036854775808",
    "programme": "9223372036854775808",
    "course": "9223372036854775808",
    "valid_from": "0001-01-01",
    "review_on": "9999-12-31",
    "occurred_on": "0001-01-01",
    "due_on": "9999-12-31",
}
PERSONAS = ["coordinator", "peer_user", "participant_user", "employer", "referrer", "admin"]


def _all_routes():
    from django.urls import get_resolver

    return sorted(
        r for r in set(_walk_all(get_resolver().url_patterns)) if not r.startswith("accounts/")
    )


def _walk_all(patterns, prefix=""):
    from django.urls import URLPattern, URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk_all(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


@pytest.mark.parametrize("persona", PERSONAS)
def test_garbage_never_gives_a_server_error(client, personas, persona):
    registry = _registry()
    client.force_login(personas.user(persona))
    checked = 0
    for route in _all_routes():
        ids = {k: registry[k].local(personas) for k in KWARG.findall(route)}
        url = _url(route, ids)
        for response in (
            client.get(url, {k: v for k, v in GARBAGE.items() if isinstance(v, str)}),
            client.post(url, {}),
            client.post(url, GARBAGE),
        ):
            assert response.status_code < 500, (url, response.status_code)
        checked += 1
    assert checked > 50


def test_garbage_walk_covers_every_id_route_of_the_access_walker():
    assert set(_id_routes()) <= set(_all_routes())
