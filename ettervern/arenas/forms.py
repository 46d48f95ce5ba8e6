import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Programme, User
from ettervern.arenas.models import Audience, Kind
from ettervern.lib import forms as safe
from ettervern.participants.models import Participant

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
CAPACITY_ERRORS = {
    "min_value": _("The capacity must be at least 1."),
    "max_value": _("The capacity can be at most %(limit_value)s."),
    "invalid": _("Enter the number of places as a whole number."),
}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _capacity() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Places"), min_value=1, max_value=1000, error_messages=CAPACITY_ERRORS
    )


class _EventFields(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    place = forms.CharField(label=_("Place"), max_length=200)
    day = safe.DateField(label=_("Date"), years_back=1, years_ahead=2)
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput)
    capacity = _capacity()
    audience = forms.ChoiceField(label=_("For whom"), choices=Audience.choices)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The event must end after it starts."))
            else:
                tz = timezone.get_current_timezone()
                data["starts_at"] = dt.datetime.combine(day, start, tzinfo=tz)
                data["ends_at"] = dt.datetime.combine(day, end, tzinfo=tz)
        return data

    def event_fields(self) -> dict:
        data = self.cleaned_data
        names = ("title", "kind", "place", "starts_at", "ends_at", "capacity", "audience")
        return {name: data[name] for name in names}


class EventForm(safe.SubmissionKeyMixin, _EventFields):
    programme = safe.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())

    field_order = ["programme"]

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk


class EventEditForm(_EventFields):
    """One event, or one occurrence of a recurring event."""


class SeriesForm(safe.SubmissionKeyMixin, forms.Form):
    programme = safe.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    place = forms.CharField(label=_("Place"), max_length=200)
    weekday = forms.TypedChoiceField(label=_("Every"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=15,
        max_value=24 * 60,
        initial=120,
        error_messages={"min_value": _("An event lasts at least 15 minutes.")},
    )
    capacity = _capacity()
    audience = forms.ChoiceField(label=_("For whom"), choices=Audience.choices)
    starts_on = safe.DateField(label=_("First date"), years_back=1, years_ahead=2)
    ends_on = safe.DateField(label=_("Last date"), required=False, years_back=1, years_ahead=5)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk


class SignUpForm(safe.SubmissionKeyMixin, forms.Form):
    """Sign up oneself, or (``participants`` given) a participant one may sign up."""

    participant = safe.ModelChoiceField(
        label=_("Participant"), queryset=Participant.objects.none(), required=False
    )
    visible = forms.BooleanField(
        label=_("Other participants may see that I come"),
        required=False,
        help_text=_("Without this, only staff and the volunteers at the event see the name."),
    )

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        if participants is None:
            del self.fields["participant"]
        else:
            self.fields["participant"].queryset = participants
            self.fields["participant"].required = True
            self.fields["visible"].label = _(
                "The participant lets other participants see that they come"
            )


class HelperForm(forms.Form):
    user = safe.ModelChoiceField(label=_("Helper"), queryset=User.objects.none())

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["user"].queryset = users


class VolunteerInviteForm(safe.SubmissionKeyMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"), error_messages={"invalid": _("Enter a valid email address.")}
    )
    programme = safe.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk
