"""Walk the whole URL conf: no persona reaches an object it may not see, by any URL.

New views are covered automatically; a view with an id kwarg that no app registered in its
``tests/access_objects.py`` makes this test fail until it is registered.
"""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from ettervern.audit.models import AuditEvent

ORG_A_PERSONAS = [
    "coordinator",
    "peer_user",
    "other_peer_user",
    "participant_user",
    "employer",
    "referrer",
    "researcher",
    "admin",
]
KWARG = re.compile(r"<id:(\w+)>")


def _registry() -> dict:
    objects = {}
    for config in apps.get_app_configs():
        if config.name.startswith("ettervern."):
            try:
                module = import_module(f"{config.name}.tests.access_objects")
            except ModuleNotFoundError:
                continue
            objects.update(module.OBJECTS)
    return objects


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if "<id:" in route:
                yield route


def _id_routes() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def _url(route: str, ids: dict) -> str:
    return "/" + KWARG.sub(lambda m: str(ids[m.group(1)]), route).lstrip("^").rstrip("$")


def test_every_id_kwarg_is_registered():
    registry = _registry()
    missing = {k for route in _id_routes() for k in KWARG.findall(route)} - set(registry)
    assert not missing, f"register these URL kwargs in tests/access_objects.py: {missing}"


def _assert_refused(client, url: str):
    get = client.get(url)
    post = client.post(url, {})
    statuses = (get.status_code, post.status_code)
    assert all(s in (403, 404, 405) for s in statuses), (url, statuses)
    assert any(s in (403, 404) for s in statuses), (url, statuses)


@pytest.mark.parametrize("persona", ORG_A_PERSONAS)
def test_no_persona_reaches_another_organisations_objects(client, personas, persona):
    registry = _registry()
    client.force_login(personas.user(persona))
    routes = _id_routes()
    assert routes
    for route in routes:
        ids = {k: registry[k].foreign(personas) for k in KWARG.findall(route)}
        _assert_refused(client, _url(route, ids))


@pytest.mark.parametrize("persona", ORG_A_PERSONAS)
def test_no_persona_reaches_objects_of_their_own_organisation_it_may_not_see(
    client, personas, persona
):
    registry = _registry()
    client.force_login(personas.user(persona))
    for route in _id_routes():
        kwargs = KWARG.findall(route)
        if all(persona in registry[k].entitled for k in kwargs):
            continue
        ids = {k: registry[k].local(personas) for k in kwargs}
        _assert_refused(client, _url(route, ids))


def test_refused_participant_access_is_audited(client, personas):
    client.force_login(personas.other_peer_user)
    response = client.get(f"/deltakere/{personas.participant.pk}/")
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="denied", actor=personas.other_peer_user)
    assert event.object_type == "participants.participant"
    assert event.object_id == str(personas.participant.pk)
    assert event.organisation_id == personas.org_a.pk
    assert event.request_id


def test_anonymous_users_are_sent_to_login(client, personas):
    response = client.get(f"/deltakere/{personas.participant.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
