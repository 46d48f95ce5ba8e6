"""The table behind the URL walker: for each id kwarg in the URL conf, which object to try.

Each app may add ``tests/access_objects.py`` with ``OBJECTS = {kwarg: AccessObject(...)}``.
``foreign`` gives an object of organisation B (nobody in organisation A may reach it);
``local`` an object of organisation A, reachable only by the persona names in ``entitled``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccessObject:
    foreign: Callable
    local: Callable
    entitled: frozenset[str] = field(default_factory=frozenset)
