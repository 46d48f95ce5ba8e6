"""Home page panels and navigation, contributed by each app.

Each app may have a ``panels`` module with two functions:

- ``home_panels(request, role) -> list[Panel]``: boxes on the home page for that role;
- ``nav_items(request, roles) -> list[NavItem]``: links in the main navigation.

So an app adds its own attention list or menu entry without editing the shell.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


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
