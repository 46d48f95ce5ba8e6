"""Home page panels and navigation, contributed by each app.

Each app may have a ``panels`` module with two functions:

- ``home_panels(request, role) -> list[Panel]``: boxes on the home page for that role;
- ``nav_items(request, roles) -> list[NavItem]``: links in the main navigation.

So an app adds its own attention list or menu entry without editing the shell.

A panel whose work grows with what a user oversees (a coordinator's attention list over whole
programmes) is *deferred*: the home page shows its heading at once and fetches the panel as a
fragment after the first paint (htmx; a link without JavaScript). The app registers the panel's
loader with ``@deferred("key")`` and returns ``Panel.later("key", title, order)`` from
``home_panels``; the loader is only called for the fragment, so the page itself does none of that
work.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50

    @classmethod
    def later(cls, key: str, title: str, order: int) -> "Panel":
        """A placeholder for the deferred panel ``key``, headed by ``title`` while it loads."""
        assert key in _LOADERS, f"no deferred panel {key!r}"
        return cls("web/_deferred_panel.html", {"key": key, "title": title}, order)


Loader = Callable[..., list[Panel]]
_LOADERS: dict[str, Loader] = {}


def deferred(key: str) -> Callable[[Loader], Loader]:
    """Register ``loader(request, role) -> list[Panel]`` as the deferred panel ``key``. It decides
    for itself whom the panel is for, and returns no panels for anybody else."""

    def register(loader: Loader) -> Loader:
        assert key not in _LOADERS or _LOADERS[key] is loader, f"deferred panel {key!r} twice"
        _LOADERS[key] = loader
        return loader

    return register


def deferred_panels(request, role: str, key: str) -> list[Panel] | None:
    """The panels of the deferred panel ``key`` for this user, or None if there is no such key."""
    list(_panel_modules())  # the loaders register when their module is imported
    loader = _LOADERS.get(key)
    if loader is None:
        return None
    return sorted(loader(request, role), key=lambda p: p.order)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 50


def _panel_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("ettervern."):
            try:
                yield import_module(f"{config.name}.panels")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.panels":
                    raise


def panels_for(request, role: str) -> list[Panel]:
    panels: list[Panel] = []
    for module in _panel_modules():
        if hasattr(module, "home_panels"):
            panels.extend(module.home_panels(request, role))
    return sorted(panels, key=lambda p: p.order)


def nav_for(request, roles: set[str]) -> list[NavItem]:
    items: list[NavItem] = []
    for module in _panel_modules():
        if hasattr(module, "nav_items"):
            items.extend(module.nav_items(request, roles))
    return sorted(items, key=lambda i: i.order)


def object_panels(request, hook: str, obj) -> list[Panel]:
    """Panels other apps add to an object's page, e.g. ``participant_panels(request, participant)``
    on the participant page or ``peer_panels(request, peer)`` on the peer page."""
    panels: list[Panel] = []
    for module in _panel_modules():
        if hasattr(module, hook):
            panels.extend(getattr(module, hook)(request, obj))
    return sorted(panels, key=lambda p: p.order)
