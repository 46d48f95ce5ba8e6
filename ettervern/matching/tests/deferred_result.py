"""A page whose slow result is computed only when htmx asks for it: the plan and the
recruitment radar (the radar's tests import this; matching does not import the radar)."""

import html
import importlib
import re


def assert_page_then_htmx_result(
    client, monkeypatch, *, computes: str, page: str, link: str, progress: str, shown: str
) -> None:
    """The page at ``page`` comes at once: it shows ``progress`` and computes nothing
    (``computes``: the dotted name of the function the result calls, counted). A ``<div>`` of
    it has htmx load the result from ``link`` (as written in the HTML), and it links there
    without JavaScript. Asked by htmx, the result computes once and is the fragment that
    replaces that ``<div>`` (the same id), showing ``shown``, without the layout; asked without
    htmx it is the whole page."""
    module_name, name = computes.rsplit(".", 1)
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    calls = []
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(1) or real(*a, **k))
    shell = client.get(page).content.decode()
    assert calls == []  # the page itself computes nothing
    assert progress in shell
    placeholder = re.search(rf'<div id="([\w-]+)" hx-get="{re.escape(link)}"', shell)
    assert placeholder is not None, f"no <div> loading {link} in the page"
    assert f'href="{link}"' in shell  # without JavaScript
    url = html.unescape(link)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert calls == [1]
    assert fragment.startswith(f'<div id="{placeholder[1]}">') and "<html" not in fragment
    assert shown in fragment
    whole = client.get(url).content.decode()
    assert "<html" in whole and shown in whole
