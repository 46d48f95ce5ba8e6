"""The matching engine in Chromium, on a waiting list the test builds itself.

The scenario is the ``crunch`` fixture (see ``conftest.py``) plus a peer outside the resource
base. Per is full; Olga (a woman) and Magnus (a man) have one free slot each. Vera has waited
longest, needs no particular peer and scores Olga above Magnus; Nina must have a woman.
Taking one at a time, longest waiting first, Vera takes Olga and Nina is left with nobody:
1 matched. The best plan gives Vera Magnus and Nina Olga: 2 matched. Nothing here depends on the
date: every time in the scenario is relative to now.
"""

import re

import pytest
from playwright.sync_api import expect

from conftest import make_peer, make_user, member
from ettervern.accounts.models import Role
from ettervern.matching.models import Match
from ettervern.peers.models import PeerWorker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN_MATCHED, GREEDY_MATCHED = 2, 1


@pytest.fixture
def paused_peer(personas):
    user = make_user("pause@a.test", "Paula Pause")
    member(user, personas.programme_a, Role.PEER_WORKER)
    return make_peer(user, personas.programme_a, resource_status=PeerWorker.ResourceStatus.PAUSED)


def test_coordinator_gets_explained_suggestions_and_a_plan_better_than_greedy(
    page, live_server, login, personas, crunch, paused_peer
):
    first, later, woman, man = crunch["first"], crunch["later"], crunch["woman"], crunch["man"]
    login(page, personas.coordinator)

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kobling").click()
    expect(page.get_by_role("heading", name="Koblingsplan")).to_be_visible()
    expect(page.locator("td.plan-matched")).to_have_text(str(PLAN_MATCHED))
    expect(page.locator("td.greedy-matched")).to_have_text(str(GREEDY_MATCHED))
    expect(page.locator(".plan-gain")).to_be_visible()
    rows = page.locator("table.plan-pairs tbody tr")
    expect(rows).to_have_count(PLAN_MATCHED)
    expect(rows.filter(has_text=first.name)).to_contain_text(man.user.name)
    expect(rows.filter(has_text=later.name)).to_contain_text(woman.user.name)

    # The longest-waiting participant's page: ranked suggestions, each explained in Norwegian.
    rows.filter(has_text=first.name).get_by_role("link", name=first.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first.name)
    suggestions = page.locator("li.suggestion")
    expect(suggestions).to_have_count(2)  # Olga and Magnus; Per is full
    expect(suggestions.first).to_contain_text(woman.user.name)
    scores = [
        float(
            re.search(r"Poeng ([\d.,]+) av 100", suggestions.nth(i).inner_text())
            .group(1)
            .replace(",", ".")
        )
        for i in range(2)
    ]
    assert scores[0] > scores[1]
    suggestions.first.get_by_text("Hvorfor dette forslaget").click()
    assert suggestions.first.locator("ul.breakdown li").count() >= 5

    # Why not a peer who is not in the resource base?
    page.get_by_label("Hvorfor ikke denne likepersonen?").select_option(label=paused_peer.user.name)
    page.get_by_role("button", name="Forklar").click()
    expect(page.locator("#why-not-result").get_by_text("Kan ikke kobles:")).to_be_visible()

    # Follow the plan, not the top suggestion: propose Magnus and confirm; it starts only then.
    suggestions.filter(has_text=man.user.name).get_by_role(
        "button", name=f"Foreslå {man.user.name}"
    ).click()
    expect(page.get_by_text("Likepersonen er foreslått.")).to_be_visible()
    assert not Match.objects.filter(status="active", participant=first).exists()
    page.get_by_role("button", name="Bekreft og start koblingen").click()
    expect(page.get_by_text("Koblingen har startet.")).to_be_visible()
    assert Match.objects.filter(status="active", participant=first, peer=man).exists()

    # Back to the plan: the remaining pair is Nina with Olga; accept it.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kobling").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(later.name)
    page.get_by_role("button", name="Godta alle parene").click()
    expect(page.get_by_text(re.compile(r"^1 kobling startet\."))).to_be_visible()

    # Both waited, both are matched: more than one-by-one matching could have managed.
    started = Match.objects.filter(status="active", participant__in=[first, later])
    assert started.count() == PLAN_MATCHED > GREEDY_MATCHED
    assert started.get(participant=later).peer == woman
