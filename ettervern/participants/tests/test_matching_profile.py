"""The full matching profile: recorded in the UI, counted by matching, missing data explained."""

from html import unescape

import pytest
from django.urls import reverse

from ettervern.audit.models import AuditEvent
from ettervern.participants import services
from ettervern.participants.models import Participant, PeerWish

pytestmark = pytest.mark.django_db


def detail(participant) -> str:
    return reverse("participants:detail", kwargs={"participant_id": participant.pk})


def profile_url(participant) -> str:
    return reverse("participants:matching_profile", kwargs={"participant_id": participant.pk})


def _register_through_the_ui(client, name: str) -> Participant:
    """Referral form -> intake -> consent -> waiting, all as the coordinator would click."""
    response = client.post(
        reverse("participants:referral_new"),
        {"name": name, "birth_year": "1986", "source": "nav", "wants_help_with": "Bolig"},
    )
    assert response.status_code == 302
    participant = Participant.objects.get(name=name)
    status_url = reverse("participants:status", kwargs={"participant_id": participant.pk})
    assert client.post(status_url, {"to": "intake"}).status_code == 302
    consent_url = reverse("participants:consent_add", kwargs={"participant_id": participant.pk})
    client.post(
        consent_url,
        {
            "purpose": "follow_up",
            "method": "written",
            "given_on": participant.status_since.date().isoformat(),
            "text_version": "2026-1",
        },
    )
    assert client.post(status_url, {"to": "waiting"}).status_code == 302
    participant.refresh_from_db()
    assert participant.status == Participant.Status.WAITING
    return participant


def _page(client, participant) -> str:
    return unescape(client.get(detail(participant)).content.decode())


def test_profile_recorded_in_the_ui_counts_and_is_explained_in_suggestions(client, personas):
    personas.peer.treatment_paths = ["lar"]
    personas.peer.languages = ["pl", "nb"]
    personas.peer.save(update_fields=["treatment_paths", "languages"])
    client.force_login(personas.coordinator)
    participant = _register_through_the_ui(client, "Ida Intak")

    before = _page(client, participant)
    assert "Kjønn er ikke oppgitt, så det teller ikke" in before
    assert "Behandlingserfaring er ikke registrert, så det teller ikke" in before

    assert client.get(profile_url(participant)).status_code == 200
    response = client.post(
        profile_url(participant),
        {"gender": "female", "birth_year": "1986", "treatment_paths": ["lar"], "languages": ["pl"]},
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.gender, participant.treatment_paths, participant.languages) == (
        "female",
        ["lar"],
        ["pl"],
    )

    page = _page(client, participant)
    assert "Samme kjønn" in page
    assert "Begge har erfaring med LAR" in page
    assert "Felles språk: polsk" in page
    assert "Kjønn er ikke oppgitt" not in page
    # What is still missing is still said.
    assert "Rusmiddelerfaring er ikke registrert, så det teller ikke" in page


def test_a_missing_gender_is_explained_in_why_not(client, personas):
    client.force_login(personas.coordinator)
    participant = _register_through_the_ui(client, "Uten Kjønn")
    url = reverse("matching:why_not", kwargs={"participant_id": participant.pk})
    response = client.get(url, {"peer": personas.other_peer.pk})
    assert response.status_code == 200
    assert "Kjønn er ikke oppgitt, så det teller ikke" in unescape(response.content.decode())


def test_profile_audit_row_names_the_fields_never_the_values(personas):
    services.participant_update_profile(
        actor=personas.coordinator,
        participant=personas.waiting,
        changes={"substances": ["opioids"], "treatment_paths": ["lar"], "gender": "female"},
    )
    row = AuditEvent.objects.filter(data__event="matching_profile_changed").get()
    assert row.data["fields"] == ["substances", "treatment_paths"]
    assert "opioids" not in str(row.data) and "lar" not in str(row.data)


def test_profile_refuses_codes_outside_the_vocabulary(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(profile_url(personas.waiting), {"substances": ["heroin-ish"]})
    assert response.status_code == 200
    assert "Velg fra listen." in response.content.decode()
    personas.waiting.refresh_from_db()
    assert personas.waiting.substances == []


def test_profile_service_refuses_unknown_codes(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.participant_update_profile(
            actor=personas.coordinator,
            participant=personas.waiting,
            changes={"languages": ["klingon"]},
        )


def test_peer_cannot_open_or_post_the_matching_profile(client, personas):
    client.force_login(personas.peer_user)
    assert client.get(profile_url(personas.participant)).status_code == 404
    response = client.post(profile_url(personas.participant), {"gender": "female"})
    assert response.status_code == 404
    personas.participant.refresh_from_db()
    assert personas.participant.gender == "male"


def test_matched_peer_sees_but_cannot_change_must_wishes(client, personas):
    wish = services.wish_add(
        actor=personas.coordinator,
        participant=personas.participant,
        kind="language",
        value="pl",
        must=True,
    )
    client.force_login(personas.peer_user)
    page = unescape(client.get(detail(personas.participant)).content.decode())
    assert "Språk: Polsk" in page
    assert (
        reverse("participants:wish_add", kwargs={"participant_id": personas.participant.pk})
        not in page
    )
    add = client.post(
        reverse("participants:wish_add", kwargs={"participant_id": personas.participant.pk}),
        {"wish": "gender:male", "must": "on"},
    )
    remove = client.post(
        reverse("participants:wish_remove", kwargs={"participant_id": personas.participant.pk}),
        {"wish": wish.pk},
    )
    assert add.status_code in (403, 404) and remove.status_code in (403, 404)
    assert list(PeerWish.objects.filter(participant=personas.participant)) == [wish]


def test_coordinator_still_changes_wishes(client, personas):
    client.force_login(personas.coordinator)
    url = reverse("participants:wish_add", kwargs={"participant_id": personas.participant.pk})
    assert client.post(url, {"wish": "language:pl", "must": "on"}).status_code == 302
    assert PeerWish.objects.filter(participant=personas.participant, must=True).count() == 1
