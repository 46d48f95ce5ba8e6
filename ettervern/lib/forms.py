"""Form fields and a form mixin that every app's forms use for hostile or repeated input.

- ``ModelChoiceField`` / ``ModelMultipleChoiceField``: an id that is not a whole number, or is
  outside the 64-bit range of the database's keys, is a form error before any query is made
  (the database would otherwise fail with an overflow: a 500).
- ``DateField`` / ``DateTimeField``: a date must lie in a plausible window around today (year 1
  or 9999 is a typing error, and would overflow the date arithmetic of the services).
- ``SubmissionKeyMixin``: a hidden, per-render key, so that a form sent twice creates one object
  (see ``ettervern.audit.submissions``).
"""

import datetime as dt
import uuid

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Keys are BigAutoField (``DEFAULT_AUTO_FIELD``): 1 .. 2**63 - 1.
MAX_ID = 2**63 - 1

# How far from today an event (a meeting, a contact, a placement) may lie.
EVENT_YEARS = 10
# The earliest date a date about a person's history (recovery since …) may have.
EARLIEST_HISTORY = dt.date(1900, 1, 1)


def _plausible_id(value) -> bool:
    if isinstance(value, models.Model):
        value = value.pk
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID


class ModelChoiceField(forms.ModelChoiceField):
    """A model choice whose value must be a database id before the database is asked."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and self.to_field_name is None
            and not _plausible_id(value)
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several model choices; each value must be a database id before the database is asked."""

    def _check_values(self, value):
        if self.to_field_name is None:
            try:
                values = frozenset(value)
            except TypeError:
                values = frozenset()
            for pk in values:
                if not _plausible_id(pk):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _PlausibleRange:
    """Checks a date against [earliest, latest], both computed from today when cleaning."""

    default_error_messages = {
        "date_too_early": _("The date must be on or after %(date)s."),
        "date_too_late": _("The date must be on or before %(date)s."),
    }

    def _setup_range(self, *, years_back: int, years_ahead: int, earliest: dt.date | None):
        self.years_back = years_back
        self.years_ahead = years_ahead
        self.earliest = earliest

    def bounds(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        low = self.earliest or _years_from(today, -self.years_back)
        return low, _years_from(today, self.years_ahead)

    def check_day(self, day: dt.date) -> None:
        low, high = self.bounds()
        if day < low:
            raise forms.ValidationError(
                self.error_messages["date_too_early"],
                code="date_too_early",
                params={"date": date_format(low, "SHORT_DATE_FORMAT")},
            )
        if day > high:
            raise forms.ValidationError(
                self.error_messages["date_too_late"],
                code="date_too_late",
                params={"date": date_format(high, "SHORT_DATE_FORMAT")},
            )


class DateField(_PlausibleRange, forms.DateField):
    """A date within ``years_back`` years before and ``years_ahead`` years after today.

    ``earliest`` fixes the lower bound instead (a person's history: not before 1900).
    """

    widget = DateInput

    def __init__(
        self,
        *,
        years_back: int = EVENT_YEARS,
        years_ahead: int = EVENT_YEARS,
        earliest: dt.date | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._setup_range(years_back=years_back, years_ahead=years_ahead, earliest=earliest)

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None:
            self.check_day(value)


class DateTimeField(_PlausibleRange, forms.DateTimeField):
    """A date and time whose (local) date lies in a plausible window, as ``DateField``."""

    def __init__(self, *, years_back: int = EVENT_YEARS, years_ahead: int = EVENT_YEARS, **kwargs):
        super().__init__(**kwargs)
        self._setup_range(years_back=years_back, years_ahead=years_ahead, earliest=None)

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None:
            self.check_day(timezone.localdate(value) if timezone.is_aware(value) else value.date())


class SubmissionKeyMixin:
    """A hidden ``submission_key``, new for every rendered form and sent back with it.

    Put it first among the bases (``class XForm(SubmissionKeyMixin, forms.Form)``). The view
    passes ``cleaned_data`` (which then carries the key) to a create service wrapped by
    ``ettervern.audit.submissions.once_per_submission``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_key"] = forms.UUIDField(
            widget=forms.HiddenInput, initial=uuid.uuid4, required=False
        )
