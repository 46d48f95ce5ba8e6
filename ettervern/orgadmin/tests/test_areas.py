"""Areas the organisation serves: the admin's list, the area fields' choices, matching distance."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_org, make_participant, make_peer, make_user, member
from ettervern.accounts.models import Area, Role
from ettervern.audit.models import AuditEvent
from ettervern.orgadmin import services
from ettervern.orgadmin.tests.factories import area_of
from ettervern.participants import services as participant_services
from ettervern.participants.forms import MatchingProfileForm, ParticipantDetailsForm
from ettervern.peers.forms import ProfileForm

NON_ADMINS = ["coordinator", "peer_user", "participant_user", "employer", "referrer", "researcher"]


def events_of(code: str):
    return AuditEvent.objects.filter(data__event=code)


def test_admin_lists_only_the_organisations_own_areas(client, personas):
    client.force_login(personas.admin)
    body = client.get("/admin-org/omrader/").content.decode()
    assert "Årstad" in body and "Fyllingsdalen" in body
    assert "Grünerløkka" not in body  # organisation B serves Oslo


def test_admin_adds_renames_and_deactivates_an_area_with_audit(client, personas):
    client.force_login(personas.admin)
    form = client.get("/admin-org/omrader/").context["form"]
    data = {
        "name": "Sandviken",
        "code": "sandviken",
        "latitude": "60.41",
        "longitude": "5.32",
        "submission_key": form["submission_key"].value(),
    }
    assert client.post("/admin-org/omrader/", data).status_code == 302
    assert client.post("/admin-org/omrader/", data).status_code == 302  # sent twice
    area = Area.objects.get(organisation=personas.org_a, code="sandviken")
    assert area.location == (60.41, 5.32) and area.is_active
    assert events_of("area_added").count() == 1

    response = client.post(
        f"/admin-org/omrader/{area.pk}/", {"name": "Sandviken og Eidsvåg", "latitude": "60.42"}
    )
    assert response.status_code == 400  # a latitude without a longitude
    assert "Oppgi både breddegrad og lengdegrad" in response.content.decode()
    data = {"name": "Sandviken og Eidsvåg", "latitude": "60.42", "longitude": "5.32"}
    assert client.post(f"/admin-org/omrader/{area.pk}/", data).status_code == 302
    area.refresh_from_db()
    assert area.name == "Sandviken og Eidsvåg" and area.latitude == 60.42
    updated = events_of("area_updated").get()
    assert updated.data["fields"] == ["latitude", "name"]

    client.post(f"/admin-org/omrader/{area.pk}/i-bruk/", {"active": "0"})
    area.refresh_from_db()
    assert not area.is_active and events_of("area_deactivated").count() == 1
    client.post(f"/admin-org/omrader/{area.pk}/i-bruk/", {"active": "1"})
    area.refresh_from_db()
    assert area.is_active and events_of("area_reactivated").count() == 1


def test_a_code_is_unique_in_the_organisation_only(client, personas):
    client.force_login(personas.admin)
    data = {"name": "Årstad igjen", "code": "arstad"}
    response = client.post("/admin-org/omrader/", data)
    assert response.status_code == 400
    assert "har allerede et område med denne koden" in response.content.decode()
    data = {"name": "Frogner", "code": "frogner"}  # organisation B has it; A may have it too
    assert client.post("/admin-org/omrader/", data).status_code == 302
    assert Area.objects.filter(code="frogner").count() == 2


def test_another_organisations_area_is_404_and_unchanged(client, personas):
    client.force_login(personas.admin)
    foreign = area_of(personas.org_b)
    assert client.get(f"/admin-org/omrader/{foreign.pk}/").status_code == 404
    assert client.post(f"/admin-org/omrader/{foreign.pk}/", {"name": "X"}).status_code == 404
    assert client.post(f"/admin-org/omrader/{foreign.pk}/i-bruk/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active and foreign.name != "X"


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_other_roles_get_404_on_the_area_and_interest_pages(client, personas, persona):
    client.force_login(personas.user(persona))
    area = area_of(personas.org_a)
    assert client.get("/admin-org/omrader/").status_code == 404
    assert client.get("/admin-org/interesser/").status_code == 404
    assert client.post("/admin-org/omrader/", {"name": "X", "code": "x"}).status_code == 404
    assert client.post(f"/admin-org/omrader/{area.pk}/i-bruk/").status_code == 404
    assert not Area.objects.filter(code="x").exists()


def test_a_coordinator_may_not_use_the_area_services(personas):
    with pytest.raises(PermissionDenied):
        services.area_create(
            actor=personas.coordinator, organisation=personas.org_a, code="x", name="X"
        )


def _codes(field) -> set[str]:
    return {code for code, _label in field.choices if code}


def test_a_bergen_participant_is_offered_only_bergen_areas(personas):
    bergen = {"bergenhus", "arstad", "fana", "ytrebygda", "fyllingsdalen", "laksevag", "arna"}
    bergen.add("asane")
    participant = personas.participant
    assert _codes(MatchingProfileForm.for_participant(participant).fields["area"]) == bergen
    assert _codes(ParticipantDetailsForm(instance=participant).fields["area"]) == bergen
    assert _codes(ProfileForm.for_peer(personas.peer).fields["area"]) == bergen
    form = MatchingProfileForm.for_participant(participant, {"area": "frogner"})
    assert not form.is_valid()
    assert form.errors["area"] == ["Velg et av områdene organisasjonen betjener."]


def test_a_retired_area_stays_on_its_records_but_is_not_offered_to_others(personas):
    participant, other = personas.participant, personas.waiting
    participant_services.participant_update_profile(
        actor=personas.coordinator, participant=participant, changes={"area": "arna"}
    )
    services.area_set_active(
        actor=personas.admin,
        area=Area.objects.get(organisation=personas.org_a, code="arna"),
        active=False,
    )
    assert "arna" in _codes(MatchingProfileForm.for_participant(participant).fields["area"])
    assert "arna" not in _codes(MatchingProfileForm.for_participant(other).fields["area"])
    participant_services.participant_update_profile(  # unchanged: still valid
        actor=personas.coordinator, participant=participant, changes={"area": "arna"}
    )
    with pytest.raises(ValidationError) as raised:
        participant_services.participant_update_profile(
            actor=personas.coordinator, participant=other, changes={"area": "arna"}
        )
    assert raised.value.messages == ["Velg et av områdene organisasjonen betjener."]


def test_the_services_refuse_another_citys_district(personas):
    with pytest.raises(ValidationError):
        participant_services.participant_update_details(
            actor=personas.coordinator,
            participant=personas.participant,
            changes={"area": "frogner"},
        )
    personas.participant.refresh_from_db()
    assert personas.participant.area == ""


def test_a_new_organisations_own_areas_give_the_distance_in_matching(client, personas):
    org, programme = make_org("trondheim", "Ettervern Trondheim", "Likepersoner Trondheim")
    admin = make_user("admin@trondheim.test", "Tone Admin")
    member(admin, programme, Role.ORG_ADMIN)
    coordinator = make_user("koordinator@trondheim.test", "Trond Koordinator")
    member(coordinator, programme, Role.COORDINATOR)
    for code, name, lat, lon in (
        ("midtbyen", "Midtbyen", 63.4305, 10.3951),
        ("heimdal", "Heimdal", 63.3500, 10.3600),
    ):
        services.area_create(
            actor=admin, organisation=org, code=code, name=name, latitude=lat, longitude=lon
        )
    peer_user = make_user("likeperson@trondheim.test", "Lise Likeperson")
    member(peer_user, programme, Role.PEER_WORKER)
    make_peer(peer_user, programme, area="heimdal")
    waiting = make_participant(programme, "Vidar Venter", gender="female")
    waiting.status_since = timezone.now() - dt.timedelta(days=3)
    waiting.save()
    participant_services.participant_update_profile(
        actor=coordinator, participant=waiting, changes={"area": "midtbyen"}
    )
    client.force_login(coordinator)
    body = client.get(f"/deltakere/{waiting.pk}/").content.decode()
    assert "km unna (Midtbyen – Heimdal)" in body
    assert "Midtbyen" in body  # the detail page shows the area's name
