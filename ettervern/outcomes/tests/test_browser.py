"""A participant answers BARC-10 twice on her phone with her own login and sees her change."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ettervern.outcomes.models import Mode, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer_barc10(page, choices: list[str]) -> None:
    questions = page.locator("fieldset")
    expect(questions).to_have_count(10)
    for n, choice in enumerate(choices):
        questions.nth(n).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Send svarene").click()
    page.wait_for_load_state()


def test_she_answers_barc10_twice_on_her_phone_and_sees_her_change(
    page, live_server, login, personas
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(5000)
    login(page, personas.participant_user)

    # Her home page says BARC-10 is waiting for her (her follow-up began a month ago).
    due = page.locator("#home-outcomes").locator("..").locator("#questionnaires-due")
    expect(due).to_contain_text("BARC-10")
    due.get_by_role("link", name="Svar nå").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Bedringskapital (BARC-10)")).to_be_visible()
    expect(page.get_by_text("Den norske oversettelsen er ikke validert.")).to_be_visible()
    _answer_barc10(page, ["Litt uenig"] * 10)
    expect(page.get_by_text("Takk! Svarene er lagret.")).to_be_visible()

    # That was three months ago (the server's data moved back, as if answered then).
    first = Response.objects.get()
    assert (first.total, first.mode, first.answered_by) == (
        30,
        Mode.OWN_LOGIN,
        personas.participant_user,
    )
    then = timezone.now() - dt.timedelta(days=91)
    Response.objects.filter(pk=first.pk).update(
        answered_at=then, answered_on=timezone.localdate(then)
    )

    # Today she answers again, from her own page.
    page.goto(f"{live_server.url}/sporreskjema/meg/")
    page.get_by_role("link", name="Bedringskapital (BARC-10)").click()
    page.wait_for_load_state()
    _answer_barc10(page, ["Enig"] * 9 + ["Helt enig"])
    expect(page.get_by_text("Takk! Svarene er lagret.")).to_be_visible()

    # Her change, in words and as a chart, readable on the phone.
    card = page.locator("article.outcome[data-instrument='barc10']").first
    expect(card).to_contain_text("BARC-10 steg fra 30 til 51")
    expect(card).to_contain_text(
        "Siste skår er på eller over grenseverdien 47 (den stiplede linjen)."
    )
    chart = card.locator("svg.chart").first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    card.get_by_text("Skårene som tabell").click()
    expect(card.locator("table")).to_contain_text("51")

    # And on her home page.
    page.goto(f"{live_server.url}/")
    home = page.locator("section[aria-labelledby='home-outcomes']")
    expect(home).to_contain_text("BARC-10 steg fra 30 til 51")
    expect(home.locator("svg.chart").first).to_be_visible()
    assert Response.objects.filter(complete=True).count() == 2
