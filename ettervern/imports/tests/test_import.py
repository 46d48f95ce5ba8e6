"""The whole way: dry run, import, import again; and an import that fails half-way."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import is_password_usable

from ettervern.accounts.models import Membership, Role
from ettervern.audit.models import AuditEvent
from ettervern.imports import columns, services
from ettervern.imports.models import ImportedRecord, ImportUpload
from ettervern.imports.tests import sheets
from ettervern.matching.models import Match
from ettervern.participants.models import Consent, Participant
from ettervern.participants.selectors import referred_on
from ettervern.peers.models import PeerWorker


def counts() -> dict:
    return {
        "participants": Participant.objects.count(),
        "peers": PeerWorker.objects.count(),
        "matches": Match.objects.count(),
        "consents": Consent.objects.count(),
        "records": ImportedRecord.objects.count(),
        "audit": AuditEvent.objects.exclude(action=AuditEvent.Action.READ).count(),
    }


def events(code: str) -> int:
    return AuditEvent.objects.filter(data__event=code).count()


def test_dry_run_then_import_creates_exactly_the_rows_and_their_audit(
    client, personas, upload, mailoutbox
):
    rows, peers = sheets.people(participants=200, peers=20, matches=30)
    before = counts()

    dry = upload(sheets.xlsx(rows, peers))

    assert dry.status_code == 200
    page = dry.content.decode()
    assert "Dry run" in page or "Prøveimport" in page
    outcome = dry.context["outcome"]
    assert outcome.created == {"participant": 200, "peer": 20, "match": 30, "consent": 200}
    after_dry = counts()
    assert {k: v for k, v in after_dry.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
    assert events("import_participant") == 0
    assert mailoutbox == []  # a dry run invites nobody
    upload_row = ImportUpload.objects.get()
    assert upload_row.imported_at is None

    done = client.post(f"/import/{upload_row.pk}/")

    assert done.status_code == 302
    after = counts()
    assert after["participants"] - before["participants"] == 200
    assert after["peers"] - before["peers"] == 20
    assert after["matches"] - before["matches"] == 30
    assert after["consents"] - before["consents"] == 200
    # Every imported peer worker is invited to choose a password, in Norwegian, with a link.
    assert len(mailoutbox) == 20
    assert all("/invitasjon/" in mail.body for mail in mailoutbox)
    assert after["records"] == 250
    assert (events("import_participant"), events("import_peer"), events("import_match")) == (
        200,
        20,
        30,
    )
    assert events("import_finished") == 1
    upload_row.refresh_from_db()
    assert upload_row.imported_at is not None and bytes(upload_row.content) == b""
    assert upload_row.created == {"participant": 200, "peer": 20, "match": 30, "consent": 200}
    # The status follows the match, and the file's statuses hold for the others.
    imported = Participant.objects.filter(programme=personas.programme_a).exclude(
        pk__in=[personas.participant.pk, personas.waiting.pk]
    )
    assert imported.filter(status=Participant.Status.MATCHED).count() == 30
    first = imported.get(name="Deltaker 1")
    assert Match.objects.get(participant=first).started_on == dt.date(2024, 9, 1)
    # The referral date of the file is the participant's first day with the service.
    assert referred_on(first) == dt.date(2024, 1, 2)
    assert "Flyttet inn fra regneark" in client.get(f"/deltakere/{first.pk}/").content.decode()
    assert imported.get(name="Deltaker 33").status == Participant.Status.REFERRED
    assert imported.get(name="Deltaker 31").status == Participant.Status.WAITING
    assert imported.get(name="Deltaker 31").substances == ["alcohol", "cannabis"]
    # The peers' logins have no password, and the peer worker role.
    peer = PeerWorker.objects.get(user__email="likeperson1@import.test")
    assert not is_password_usable(peer.user.password)
    assert Membership.objects.get(user=peer.user).role == Role.PEER_WORKER
    assert peer.interests == ["Fjelltur", "fiske"] and peer.languages == ["nb", "en"]
    assert client.get(f"/import/{upload_row.pk}/").status_code == 200


def test_importing_the_same_file_again_creates_nothing(client, personas, upload):
    rows, peers = sheets.people(participants=20, peers=4, matches=4)
    content = sheets.xlsx(rows, peers)
    upload(content)
    client.post(f"/import/{ImportUpload.objects.get().pk}/")
    before = counts()

    again = upload(content)

    assert again.status_code == 200
    assert again.context["outcome"].created == {}
    assert again.context["outcome"].plan.skipped == 24
    second = ImportUpload.objects.exclude(imported_at__isnull=False).get()
    client.post(f"/import/{second.pk}/")
    after = counts()
    assert {k: after[k] - before[k] for k in after if k != "audit"} == {
        "participants": 0,
        "peers": 0,
        "matches": 0,
        "consents": 0,
        "records": 0,
    }


def test_an_external_id_is_the_same_in_another_case(client, personas, upload):
    upload(sheets.xlsx([sheets.participant_row(1)]))
    client.post(f"/import/{ImportUpload.objects.get().pk}/")

    again = upload(sheets.xlsx([sheets.participant_row(1, **{"Ekstern ID": " d-0001 "})]))

    assert again.context["outcome"].plan.skipped == 1
    assert again.context["outcome"].created == {}


def test_pressing_import_twice_imports_once(client, personas, upload):
    rows, peers = sheets.people(participants=5, peers=2, matches=2)
    upload(sheets.xlsx(rows, peers))
    pk = ImportUpload.objects.get().pk
    client.post(f"/import/{pk}/")
    before = counts()

    response = client.post(f"/import/{pk}/")

    assert response.status_code == 200
    assert counts() == before


def test_an_error_in_the_middle_of_writing_leaves_nothing(personas, monkeypatch, upload):
    rows, peers = sheets.people(participants=20, peers=4, matches=8)
    upload(sheets.xlsx(rows, peers))
    kept = ImportUpload.objects.get()
    before = counts()
    real = services.match_create
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "match_create", failing)

    with pytest.raises(RuntimeError):
        services.import_apply(actor=personas.coordinator, upload=kept)

    assert counts() == before
    kept.refresh_from_db()
    assert kept.imported_at is None


def test_a_row_a_service_refuses_stops_the_whole_import(client, personas, upload):
    rows, peers = sheets.people(participants=6, peers=2, matches=2)
    # The peer worker has not completed the course: the matching core refuses the pair.
    peers[1]["Kurs fullført"] = None
    before = counts()

    response = upload(sheets.xlsx(rows, peers))

    assert response.status_code == 400
    problems = response.context["outcome"].problems
    assert problems and all(p.table == "Deltakere" for p in problems)
    assert counts() == before
    assert not ImportUpload.objects.exists()


def test_csv_files_import_peers_first_then_participants(client, personas, upload):
    rows, peers = sheets.people(participants=4, peers=1, matches=1)
    peer_csv = sheets.csv_text(peers, specs=columns.PEER_COLUMNS).encode("utf-8-sig")
    response = upload(peer_csv, name="likepersoner.csv")
    assert response.context["outcome"].plan.detected == "UTF-8 (BOM)"
    client.post(f"/import/{ImportUpload.objects.get().pk}/")

    response = upload(sheets.csv_text(rows).encode("utf-8"), name="deltakere.csv")

    assert response.status_code == 200
    assert response.context["outcome"].created["match"] == 1
