"""Helpers for the outcomes tests: answering through the service, as the UI does."""

from ettervern.outcomes.models import Instrument, Item, Mode
from ettervern.outcomes.services import response_submit


def instrument(code: str) -> Instrument:
    return Instrument.objects.filter(code=code).order_by("-version").first()


def all_items(code: str, value: int) -> dict[str, int]:
    return {i.code: value for i in Item.objects.filter(instrument=instrument(code))}


def answer(actor, participant, code: str, values, *, mode=Mode.OWN_LOGIN, key=None):
    """Answer ``code`` with ``values`` (a dict, or one value for every item)."""
    if isinstance(values, int):
        values = all_items(code, values)
    return response_submit(
        actor=actor,
        participant=participant,
        instrument=instrument(code),
        values=values,
        mode=mode,
        submission_key=key,
    )
