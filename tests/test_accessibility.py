"""Accessibility: axe-core (vendored, MPL-2.0) run in Chromium on the main pages of every role.

Fails on any violation axe rates "serious" or "critical" (missing labels, contrast, landmarks,
names of buttons and links, …) on a laptop and on a phone-sized viewport.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ettervern.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")


def violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def pages_for(email: str) -> list[str]:
    return {
        "koordinator": [
            "/",
            "/deltakere/",
            "/likepersoner/",
            "/matching/plan/",
            "/arbeid/",
            "/sporreskjema/tidsplan/",
            "/arrangementer/",
            "/tilbud/",
            "/rekruttering/",
            "/varsler/",
        ],
        "likeperson": ["/", "/deltakere/", "/tilbud/", "/varsler/"],
        "deltaker": ["/", "/sporreskjema/meg/", "/arrangementer/"],
        "arbeidsgiver": ["/"],
        "admin": [
            "/",
            "/admin-org/",
            "/admin-org/inviter/",
            "/admin-org/tiltak/",
            "/admin-org/forskning/",
        ],
        "frivillig": ["/", "/arrangementer/"],
        "forsker": ["/", "/forskning/"],
    }[email.split("@")[0]]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    "local",
    ["koordinator", "likeperson", "deltaker", "arbeidsgiver", "admin", "frivillig", "forsker"],
)
def test_main_pages_have_no_serious_accessibility_violations(
    browser, live_server, login, width, local
):
    call_command("seed_demo", "--quiet-logins")
    # The strict CSP would block injecting axe; the pages themselves are unchanged.
    context = browser.new_context(
        bypass_csp=True, locale="nb-NO", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert violations(page) == []
    user = User.objects.get(email=f"{local}@oslo.demo.ettervern.no")
    login(page, user, password=settings.ETTERVERN_DEMO_PASSWORD)
    found = {}
    for path in pages_for(user.email):
        page.goto(f"{live_server.url}{path}")
        problems = violations(page)
        if problems:
            found[path] = problems
        # The first participant page reachable from here, and a questionnaire to answer.
        first_link = {
            "/deltakere/": "main table a, main ul.list a",
            "/sporreskjema/meg/": "main a[href*='svar']",
        }
        if path in first_link:
            link = page.locator(first_link[path]).first
            if link.count():
                link.click()
                if problems := violations(page):
                    found[page.url] = problems
        # The first event of the month calendar, and its attendance screen where there is one.
        if path == "/arrangementer/":
            link = page.locator("main a.event-line:visible").first
            if link.count():
                link.click()
                if problems := violations(page):
                    found[page.url] = problems
                attendance = page.get_by_role("link", name="Registrer oppmøte")
                if attendance.count():
                    attendance.click()
                    if problems := violations(page):
                        found[page.url] = problems
    context.close()
    assert found == {}
