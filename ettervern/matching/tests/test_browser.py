"""The matching engine in Chromium, on the demo data."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from ettervern.accounts.models import User
from ettervern.matching.models import Match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_gets_explained_suggestions_and_a_plan_better_than_greedy(
    page, live_server, login
):
    call_command("seed_demo", "--quiet-logins")
    coordinator = User.objects.get(email="koordinator@bergen.demo.ettervern.no")
    login(page, coordinator, password=settings.ETTERVERN_DEMO_PASSWORD)

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kobling").click()
    expect(page.get_by_role("heading", name="Koblingsplan")).to_be_visible()
    plan_matched = int(page.locator("td.plan-matched").inner_text())
    greedy_matched = int(page.locator("td.greedy-matched").inner_text())
    assert plan_matched > greedy_matched
    expect(page.locator(".plan-gain")).to_be_visible()

    # A waiting participant's page: ranked suggestions, each explained in plain Norwegian.
    page.locator("table.plan-pairs tbody tr").first.get_by_role("link").click()
    suggestions = page.locator("li.suggestion")
    assert suggestions.count() >= 2
    scores = [
        float(
            re.search(r"Poeng ([\d.,]+) av 100", suggestions.nth(i).inner_text())
            .group(1)
            .replace(",", ".")
        )
        for i in range(suggestions.count())
    ]
    assert scores == sorted(scores, reverse=True)
    suggestions.first.get_by_text("Hvorfor dette forslaget").click()
    assert suggestions.first.locator("ul.breakdown li").count() >= 5

    # Why not a peer who is not in the resource base?
    page.get_by_label("Hvorfor ikke denne likepersonen?").select_option(label=_inactive_peer_name())
    page.get_by_role("button", name="Forklar").click()
    expect(page.locator("#why-not-result").get_by_text("Kan ikke kobles:")).to_be_visible()

    # Propose the best suggestion and confirm: the match starts only then.
    suggestions.first.get_by_role("button", name=re.compile("^Foreslå")).click()
    expect(page.get_by_text("Likepersonen er foreslått.")).to_be_visible()
    assert not Match.objects.filter(status="active", participant__name=_heading(page)).exists()
    page.get_by_role("button", name="Bekreft og start koblingen").click()
    expect(page.get_by_text("Koblingen har startet.")).to_be_visible()
    assert Match.objects.filter(status="active", participant__name=_heading(page)).exists()

    # Back to the plan: accept all remaining pairs.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kobling").click()
    pairs = page.locator("table.plan-pairs tbody tr").count()
    page.get_by_role("button", name="Godta alle parene").click()
    expect(page.get_by_text(re.compile(rf"^{pairs} koblinger? startet\."))).to_be_visible()


def _heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _inactive_peer_name() -> str:
    from ettervern.peers.models import PeerWorker

    peer = (
        PeerWorker.objects.filter(programme__slug="likepersontjenesten-bergen")
        .exclude(resource_status=PeerWorker.ResourceStatus.ACTIVE)
        .select_related("user")
        .first()
    )
    assert peer is not None, "the demo has no peer outside the resource base"
    return peer.user.name
