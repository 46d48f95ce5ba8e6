from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.lib import forms as safe
from ettervern.outcomes.models import Mode, Point


@dataclass(frozen=True)
class AnswerSheet:
    """What the answer form shows: the questions (key, text) in the instrument's own words,
    the labels of the scale from ``scale_min``, and how the answers may be given."""

    questions: list[tuple[str, str]]
    labels: list[str]
    scale_min: int
    modes: list[str] = field(default_factory=list)


class AnswerForm(safe.SubmissionKeyMixin, forms.Form):
    """One radio group per question, none required: a half-answered form is saved as
    incomplete. An answer outside the scale is an error and nothing is saved."""

    def __init__(self, data=None, *, sheet: AnswerSheet, **kwargs):
        super().__init__(data, **kwargs)
        self.sheet = sheet
        low = sheet.scale_min
        high = low + len(sheet.labels) - 1
        choices = [(str(low + n), label) for n, label in enumerate(sheet.labels)]
        for number, (key, text) in enumerate(sheet.questions, start=1):
            message = _("The answer to question %(number)s must be between %(min)s and %(max)s.")
            self.fields[f"q_{key}"] = forms.TypedChoiceField(
                label=f"{number}. {text}",
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _lazy_format(message, number=number, min=low, max=high)
                },
            )
        if len(sheet.modes) > 1:
            self.fields["mode"] = forms.ChoiceField(
                label=_("How was it answered?"),
                choices=[(m, Mode(m).label) for m in sheet.modes],
                widget=forms.RadioSelect,
                initial=sheet.modes[0],
            )

    def values(self) -> dict[str, int | None]:
        return {key: self.cleaned_data.get(f"q_{key}") for key, _text in self.sheet.questions}

    def mode(self) -> str:
        return self.cleaned_data.get("mode") or (self.sheet.modes[0] if self.sheet.modes else "")


class _LazyFormat:
    """A translated message formatted when shown (so it follows the active language)."""

    def __init__(self, message, values: dict):
        self.message, self.values = message, values

    def __str__(self) -> str:
        return str(self.message) % self.values

    def __mod__(self, params):
        return str(self)


def _lazy_format(message, **values) -> _LazyFormat:
    return _LazyFormat(message, values)


class ScheduleForm(forms.Form):
    """When one programme asks one questionnaire."""

    programme = safe.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    instrument = forms.SlugField(widget=forms.HiddenInput, max_length=30)
    points = forms.MultipleChoiceField(
        label=_("Asked"),
        choices=Point.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, data=None, *, programmes, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["programme"].queryset = programmes
