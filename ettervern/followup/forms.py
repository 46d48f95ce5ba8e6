import datetime as dt
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.followup.models import Agreement, Contact
from ettervern.followup.services import MAX_MINUTES
from ettervern.lib import forms as safe

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _now_local() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class ContactForm(forms.Form):
    """Built to be filled in on a phone in seconds: everything but the kind has a default."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Contact.Kind.choices)
    occurred_at = safe.DateTimeField(
        years_ahead=1,
        label=_("When"),
        input_formats=[LOCAL_MINUTE],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
        initial=_now_local,
        error_messages={"invalid": _("Enter a date and time.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        initial=60,
        min_value=1,
        error_messages={
            "min_value": _("A contact lasts at least one minute."),
            "invalid": _("Enter the duration in whole minutes."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Contact.Outcome.choices,
        initial=Contact.Outcome.HELD,
        widget=forms.RadioSelect,
    )
    initiative = forms.ChoiceField(
        label=_("Who took the initiative"),
        choices=Contact.Initiative.choices,
        initial=Contact.Initiative.PEER,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (only you and the coordinator see it)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if minutes > MAX_MINUTES:
            raise forms.ValidationError(_("A contact cannot last more than 24 hours."))
        return minutes


class AgreementForm(forms.Form):
    goals = safe.ModelMultipleChoiceField(
        label=_("Goals the agreement covers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_kinds = forms.MultipleChoiceField(
        label=_("Kinds of contact wanted"),
        choices=Agreement.ContactKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of contact.")},
    )
    rhythm = forms.CharField(
        label=_("Rhythm"),
        max_length=200,
        help_text=_("For example: weekly, and a call on Mondays."),
    )
    availability = forms.CharField(
        label=_("Availability and limits"),
        max_length=1000,
        required=False,
        help_text=_("For example: not after 22:00."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    joins_responsibility_group = forms.BooleanField(
        label=_("The peer worker joins responsibility group meetings"), required=False
    )
    review_on = safe.DateField(label=_("Review date"), widget=DateInput())

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = participant.goals.exclude(status="dropped").order_by(
            "life_area"
        )
        self.fields["goals"].label_from_instance = lambda g: (
            f"{g.get_life_area_display()}: {g.description}"
        )

    def clean_review_on(self) -> dt.date:
        day = self.cleaned_data["review_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The review date cannot be in the past."))
        return day


class ContactCloseForm(forms.Form):
    """How a planned contact went; the duration and the note may be adjusted at the same time."""

    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[
            (Contact.Outcome.HELD, _("Held")),
            (Contact.Outcome.CANCELLED, _("Cancelled")),
            (Contact.Outcome.NO_SHOW, _("Did not show up")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it went.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        error_messages={
            "min_value": _("A contact lasts at least one minute."),
            "invalid": _("Enter the duration in whole minutes."),
        },
    )
    note_addition = forms.CharField(
        label=_("Add to the note (only you and the coordinator see it)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_duration_minutes(self) -> int | None:
        minutes = self.cleaned_data["duration_minutes"]
        if minutes is not None and minutes > MAX_MINUTES:
            raise forms.ValidationError(_("A contact cannot last more than 24 hours."))
        return minutes
