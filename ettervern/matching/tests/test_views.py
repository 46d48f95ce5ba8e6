import datetime as dt

import pytest
from django.utils import timezone

from ettervern.audit.models import AuditEvent
from ettervern.matching.models import Exclusion, Match, MatchingSettings, PlanConstraint
from ettervern.matching.tests.deferred_result import assert_page_then_htmx_result
from ettervern.participants.models import Participant
from ettervern.web.tests.home import home_page


def detail(client, participant):
    return client.get(f"/deltakere/{participant.pk}/")


def test_coordinator_sees_ranked_explained_suggestions(client, personas, crunch):
    client.force_login(personas.coordinator)
    response = detail(client, crunch["first"])
    panel = next(
        p for p in response.context["panels"] if p.template == "matching/_participant_panel.html"
    )
    suggestions = panel.context["suggestions"]
    assert [s.peer for s in suggestions] == [crunch["woman"], crunch["man"]]
    assert suggestions[0].score > suggestions[1].score
    body = response.content.decode()
    assert "Felles interesser: fiske og turgåing" in body or "Felles interesser" in body
    assert "Begge har erfaring med LAR" in body


def test_full_peer_is_never_suggested(client, personas, crunch):
    client.force_login(personas.coordinator)
    panel = next(
        p
        for p in detail(client, crunch["first"]).context["panels"]
        if p.template == "matching/_participant_panel.html"
    )
    assert personas.peer not in [s.peer for s in panel.context["suggestions"]]


def test_why_not_names_the_hard_constraint(client, personas, crunch):
    client.force_login(personas.coordinator)
    url = f"/matching/deltaker/{crunch['later'].pk}/hvorfor-ikke/?peer={crunch['man'].pk}"
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["answer"].eligible
    assert response.context["answer"].reasons


def test_propose_then_confirm_starts_the_match_and_audits(client, personas, crunch):
    client.force_login(personas.coordinator)
    first, woman = crunch["first"], crunch["woman"]
    response = client.post(f"/matching/deltaker/{first.pk}/foresla/", {"peer": woman.pk})
    assert response.status_code == 302
    proposal = Match.objects.get(participant=first, status="proposed")
    first.refresh_from_db()
    assert first.status == "waiting"  # nothing starts automatically
    client.post(f"/matching/forslag/{proposal.pk}/bekreft/")
    proposal.refresh_from_db()
    first.refresh_from_db()
    assert proposal.status == "active" and first.status == "matched"
    events = set(
        AuditEvent.objects.filter(object_type="matching.match").values_list(
            "data__event", flat=True
        )
    )
    assert {"match_proposed", "match_started"} <= events


def test_confirm_waits_for_peer_acceptance_when_required(client, personas, crunch):
    MatchingSettings.objects.create(
        organisation=personas.org_a, programme=personas.programme_a, require_peer_acceptance=True
    )
    client.force_login(personas.coordinator)
    client.post(f"/matching/deltaker/{crunch['first'].pk}/foresla/", {"peer": crunch["woman"].pk})
    proposal = Match.objects.get(status="proposed")
    response = client.post(f"/matching/forslag/{proposal.pk}/bekreft/", follow=True)
    assert "Likepersonen har ikke godtatt forslaget ennå." in response.content.decode()
    assert Match.objects.get(pk=proposal.pk).status == "proposed"
    client.force_login(personas.other_peer_user)
    assert "Foreslått for deg" in home_page(client).content.decode()
    client.post(f"/matching/forslag/{proposal.pk}/godta/")
    client.force_login(personas.coordinator)
    client.post(f"/matching/forslag/{proposal.pk}/bekreft/")
    assert Match.objects.get(pk=proposal.pk).status == "active"


def test_another_peer_cannot_accept_a_proposal(client, personas, crunch):
    client.force_login(personas.coordinator)
    client.post(f"/matching/deltaker/{crunch['first'].pk}/foresla/", {"peer": crunch["woman"].pk})
    proposal = Match.objects.get(status="proposed")
    client.force_login(personas.peer_user)
    assert client.post(f"/matching/forslag/{proposal.pk}/godta/").status_code == 404
    assert Match.objects.get(pk=proposal.pk).peer_accepted_at is None


def test_proposing_an_excluded_peer_is_refused_in_norwegian(client, personas, crunch):
    client.force_login(personas.coordinator)
    first, woman = crunch["first"], crunch["woman"]
    response = client.post(
        f"/matching/deltaker/{first.pk}/utelukk/",
        {"peer": woman.pk, "kind": "known", "reason": "Kjenner hverandre fra før"},
    )
    assert response.status_code == 302
    assert Exclusion.objects.filter(participant=first, peer=woman).exists()
    response = client.post(
        f"/matching/deltaker/{first.pk}/foresla/", {"peer": woman.pk}, follow=True
    )
    assert not Match.objects.filter(participant=first).exists()
    assert "utelukket" in response.content.decode().lower()


def test_exclusion_needs_a_reason(client, personas, crunch):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/matching/deltaker/{crunch['first'].pk}/utelukk/",
        {"peer": crunch["woman"].pk, "kind": "conflict", "reason": ""},
        follow=True,
    )
    assert "Oppgi en kort grunn for utelukkelsen." in response.content.decode()
    assert not Exclusion.objects.exists()


def test_plan_page_matches_more_than_greedy(client, personas, crunch):
    client.force_login(personas.coordinator)
    response = client.get("/matching/plan/resultat/")
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.comparison.plan_matched == 2
    assert plan.comparison.greedy_matched == 1
    pairs = {(p.participant, p.peer) for p in plan.pairs}
    assert pairs == {(crunch["first"], crunch["man"]), (crunch["later"], crunch["woman"])}
    assert "Denne planen kobler 1 person flere enn å ta én om gangen." in response.content.decode()


def test_plan_page_shows_progress_and_loads_the_plan_with_htmx(
    client, personas, crunch, monkeypatch
):
    client.force_login(personas.coordinator)
    tiltak = personas.programme_a.pk
    assert_page_then_htmx_result(
        client,
        monkeypatch,
        computes="ettervern.matching.engine.batch_plan_for",
        page="/matching/plan/?side=2",
        link=f"/matching/plan/resultat/?tiltak={tiltak}&amp;side=2",
        progress="Beregner plan …",
        shown="Denne planen kobler 1 person flere enn å ta én om gangen.",
    )


def test_forbidding_a_pair_replans_without_it(client, personas, crunch):
    client.force_login(personas.coordinator)
    client.post(
        "/matching/plan/par/",
        {"participant": crunch["later"].pk, "peer": crunch["woman"].pk, "kind": "forbid"},
    )
    assert PlanConstraint.objects.filter(kind="forbid").count() == 1
    plan = client.get("/matching/plan/resultat/").context["plan"]
    assert (crunch["later"], crunch["woman"]) not in {(p.participant, p.peer) for p in plan.pairs}


def test_locking_a_pair_keeps_it_in_the_plan(client, personas, crunch):
    client.force_login(personas.coordinator)
    client.post(
        "/matching/plan/par/",
        {"participant": crunch["first"].pk, "peer": crunch["woman"].pk, "kind": "lock"},
    )
    plan = client.get("/matching/plan/resultat/").context["plan"]
    assert (crunch["first"], crunch["woman"]) in {(p.participant, p.peer) for p in plan.pairs}
    assert plan.comparison.plan_matched == 1  # the lock costs the woman-only participant


def test_accepting_a_stale_plan_refuses_only_the_pairs_that_no_longer_hold(
    client, personas, crunch
):
    client.force_login(personas.coordinator)
    pairs = [
        f"{crunch['first'].pk}-{crunch['man'].pk}",
        f"{crunch['later'].pk}-{crunch['woman'].pk}",
    ]
    # Meanwhile someone else matched the later participant's only possible peer.
    from conftest import make_match, make_participant

    other = make_participant(personas.programme_a, "Siri Samtidig")
    make_match(other, crunch["woman"])
    response = client.post(
        "/matching/plan/godta/", {"tiltak": personas.programme_a.pk, "pair": pairs}, follow=True
    )
    body = response.content.decode()
    assert "1 kobling startet." in body
    assert "Ikke startet: Likepersonen har ikke ledig kapasitet." in body
    assert Match.objects.filter(participant=crunch["first"], peer=crunch["man"]).exists()
    assert not Match.objects.filter(participant=crunch["later"]).exists()
    crunch["later"].refresh_from_db()
    assert crunch["later"].status == Participant.Status.WAITING


def test_weights_are_validated_in_norwegian(client, personas):
    client.force_login(personas.coordinator)
    data = {
        f"w_{c}": "1"
        for c in (
            "wishes",
            "gender",
            "age",
            "substances",
            "treatment_path",
            "lived_experience",
            "interests",
            "goals",
            "availability",
            "language",
            "distance",
            "continuity",
            "load",
        )
    }
    data.update({"suggestions_shown": "5", "w_gender": "-1", "w_age": "mye"})
    response = client.post("/matching/innstillinger/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "En vekt kan ikke være negativ." in body
    assert "Skriv inn et tall, for eksempel 2 eller 0,5." in body
    assert not MatchingSettings.objects.exists()
    data.update({"w_gender": "0", "w_age": "2,5"})
    assert client.post("/matching/innstillinger/", data).status_code == 302
    assert MatchingSettings.objects.get().weights["age"] == 2.5


@pytest.mark.parametrize("persona", ["peer_user", "participant_user", "employer", "coordinator_b"])
def test_only_the_programme_coordinator_uses_matching_pages(client, personas, crunch, persona):
    client.force_login(personas.user(persona))
    own = 200 if persona == "coordinator_b" else 404  # coordinator B plans their own programme
    assert client.get("/matching/plan/").status_code == own
    assert client.get("/matching/innstillinger/").status_code == own
    tiltak = personas.programme_a.pk
    assert client.get(f"/matching/plan/?tiltak={tiltak}").status_code == 404
    response = client.post(
        f"/matching/deltaker/{crunch['first'].pk}/foresla/", {"peer": crunch["woman"].pk}
    )
    assert response.status_code == 404
    assert not Match.objects.filter(status="proposed").exists()


def test_wrong_method_on_matching_pages(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(f"/matching/deltaker/{personas.waiting.pk}/foresla/").status_code == 405
    assert client.post("/matching/plan/").status_code == 405


def test_plan_page_query_count_is_bounded(client, personas, crunch, django_assert_max_num_queries):
    from conftest import make_participant

    client.force_login(personas.coordinator)
    for url in ("/matching/plan/", "/matching/plan/resultat/"):
        client.get(url)
        with django_assert_max_num_queries(25):
            client.get(url)
    for i in range(15):
        make_participant(personas.programme_a, f"Venter {i}")
    for url in ("/matching/plan/", "/matching/plan/resultat/"):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


def test_continuity_favours_the_previous_peer_after_a_pause(personas, crunch):
    from ettervern.matching import engine

    first = crunch["first"]
    Match.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        participant=first,
        peer=crunch["man"],
        status="ended",
        started_on=timezone.localdate() - dt.timedelta(days=300),
        ended_on=timezone.localdate() - dt.timedelta(days=100),
    )
    answer = engine.why_not_for(first, crunch["man"])
    texts = [line.text for line in answer.lines]
    assert "Har vært likeperson for deltakeren før" in texts
    other = engine.why_not_for(first, crunch["woman"])
    assert "Ikke tidligere likeperson for deltakeren" in [line.text for line in other.lines]
