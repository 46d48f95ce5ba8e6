"""The home page as its user sees it: the page, with its deferred panels fetched and swapped in
the way htmx does after the first paint."""

import html
import re

DEFERRED = re.compile(
    r'<section class="card deferred-panel" data-deferred="[^"]*" '
    r'hx-get="(?P<url>[^"]+)".*?</section>',
    re.S,
)


def home_page(client, **extra):
    """GET the home page and fill in each deferred panel from its own request (a fragment, as
    htmx asks for it). Anything but a 200 is returned as it came."""
    response = client.get("/", **extra)
    if response.status_code != 200:
        return response

    def fill(match: re.Match) -> str:
        panel = client.get(html.unescape(match["url"]), headers={"HX-Request": "true"}, **extra)
        assert panel.status_code == 200, (match["url"], panel.status_code)
        return panel.content.decode()

    response.content = DEFERRED.sub(fill, response.content.decode()).encode()
    return response
