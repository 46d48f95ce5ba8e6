"""Every audit event type, declared once.

An event type has a code (unique across the whole product), the app that declares and renders
it, the keys its ``data`` carries, and what it records. Each app declares its own types in its
``events.py`` (imported when the audit app is ready), and renders its own rows on the
participant's timeline::

    @event("goal_added", keys={"life_area"}, says="A goal of the participant's own was added")
    def goal_added(data: dict) -> str:
        return _("New goal: %(area)s") % {...}

    CHECKINS_READ = declare("checkins_read", says="A coordinator read a peer's check-ins")

``audit_record(event=GOAL_ADDED, data={...})`` refuses a key the type does not declare, so the
timeline can trust what it reads. Data never carries note text.
"""

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Renderer = Callable[[dict], str | None]


class EventDeclarationError(Exception):
    """A duplicate code, or data with a key the event type does not declare."""


@dataclass(frozen=True)
class EventType:
    code: str
    app: str
    says: str
    keys: frozenset[str] = field(default_factory=frozenset)
    # The line on the participant's timeline (None: not shown there).
    render: Renderer | None = None

    def check(self, data: dict) -> None:
        undeclared = set(data) - self.keys
        if undeclared:
            raise EventDeclarationError(
                f"audit event {self.code!r} does not declare the keys {sorted(undeclared)}"
            )

    def text(self, data: dict) -> str | None:
        if self.render is None:
            return None
        return self.render({k: data.get(k) for k in self.keys})


_REGISTRY: dict[str, EventType] = {}


def _app_of(module: str) -> str:
    # "ettervern.participants.events" -> "participants"
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "ettervern" else parts[0]


def declare(
    code: str,
    *,
    says: str,
    keys: Iterable[str] = (),
    render: Renderer | None = None,
    app: str = "",
) -> EventType:
    """Declare an event type once; a second declaration of the same code is an error."""
    if code in _REGISTRY:
        raise EventDeclarationError(
            f"audit event {code!r} is declared twice ({_REGISTRY[code].app} and {app})"
        )
    if not app:
        app = _app_of(sys._getframe(1).f_globals.get("__name__", ""))
    event_type = EventType(code=code, app=app, says=says, keys=frozenset(keys), render=render)
    _REGISTRY[code] = event_type
    return event_type


def event(code: str, *, says: str, keys: Iterable[str] = ()) -> Callable[[Renderer], EventType]:
    """Declare an event type rendered on the timeline by the decorated function."""

    def wrap(render: Renderer) -> EventType:
        return declare(code, says=says, keys=keys, render=render, app=_app_of(render.__module__))

    return wrap


def event_type(code: str | None) -> EventType | None:
    return _REGISTRY.get(code or "")


def event_types() -> list[EventType]:
    return sorted(_REGISTRY.values(), key=lambda e: (e.app, e.code))
