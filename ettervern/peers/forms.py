from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.areas import area_choices
from ettervern.lib import forms as safe
from ettervern.lib import labels
from ettervern.peers.models import (
    SUPERVISION_TOPICS,
    Candidate,
    CheckIn,
    Course,
    PeerWorker,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"


def _checkboxes(label, choices, required=False):
    return forms.MultipleChoiceField(
        label=label,
        choices=labels.choices(choices) if isinstance(choices, dict) else choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
    )


class ProgrammeFormMixin:
    """A programme field, hidden when the coordinator has just one programme."""

    def setup_programme(self, programmes) -> None:
        field = safe.ModelChoiceField(queryset=programmes, label=_("Programme"))
        if len(programmes) == 1:
            field.initial = programmes[0].pk
            field.widget = forms.HiddenInput()
        self.fields = {"programme": field, **self.fields}


class CourseForm(safe.SubmissionKeyMixin, ProgrammeFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = safe.DateField(label=_("Starts"), widget=DateInput())
    ends_on = safe.DateField(label=_("Ends"), widget=DateInput(), required=False)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_programme(programmes)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The course cannot end before it starts."))
        return data


class CourseSessionForm(safe.SubmissionKeyMixin, forms.Form):
    held_on = safe.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    topic = forms.CharField(label=_("Topic"), max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error(
                "ends_at", _("The hours do not add up: the session must end after it starts.")
            )
        return data


class CandidateForm(safe.SubmissionKeyMixin, ProgrammeFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Enter a valid email address.")},
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    heard_via = forms.ChoiceField(label=_("How they heard of us"), choices=Candidate.HeardVia)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", "–"), *labels.choices(labels.GENDER_LABELS)],
        required=False,
        help_text=_("Carried into the profile at admission, so matching can use it."),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), min_value=1920, max_value=2015, required=False
    )
    lived_experience = _checkboxes(_("Lived experience"), labels.LIVED_EXPERIENCE_LABELS)
    in_recovery_since = safe.DateField(
        label=_("In recovery since"),
        widget=DateInput(),
        required=False,
        earliest=safe.EARLIEST_HISTORY,
        years_ahead=0,
        error_messages={"date_too_late": _("The recovery date cannot be in the future.")},
    )
    course = safe.ModelChoiceField(
        label=_("Peer course"), queryset=Course.objects.none(), required=False
    )

    def __init__(self, *args, programmes, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.setup_programme(programmes)


class AdvisorForm(safe.SubmissionKeyMixin, ProgrammeFormMixin, forms.Form):
    """An advisor (veileder) without lived experience: no peer course, straight in."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Email for the login"),
        error_messages={"invalid": _("Enter a valid email address.")},
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", "–"), *labels.choices(labels.GENDER_LABELS)],
        required=False,
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), min_value=1920, max_value=2015, required=False
    )
    max_participants = forms.IntegerField(
        label=_("Maximum number of participants"), min_value=1, max_value=10, initial=2
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_programme(programmes)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class CandidateCourseForm(forms.Form):
    course = safe.ModelChoiceField(
        label=_("Peer course"), queryset=Course.objects.none(), required=False
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


class CompleteCourseForm(forms.Form):
    completed_on = safe.DateField(label=_("Course completed on"), widget=DateInput())


class AdmitForm(forms.Form):
    email = forms.EmailField(
        label=_("Email for the login"),
        error_messages={"invalid": _("Enter a valid email address.")},
    )
    max_participants = forms.IntegerField(
        label=_("Maximum number of participants"), min_value=1, max_value=10, initial=2
    )


class ResourceStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Resource base"),
        choices=[
            (PeerWorker.ResourceStatus.ACTIVE, _("Active in the resource base")),
            (PeerWorker.ResourceStatus.PAUSED, _("Paused")),
            (PeerWorker.ResourceStatus.ENDED, _("Ended")),
        ],
    )


class ProfileForm(forms.Form):
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", "–"), *labels.choices(labels.GENDER_LABELS)],
        required=False,
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), min_value=1920, max_value=2015, required=False
    )
    lived_experience = _checkboxes(_("Lived experience"), labels.LIVED_EXPERIENCE_LABELS)
    substances = _checkboxes(_("Substance history"), labels.SUBSTANCE_LABELS)
    treatment_paths = _checkboxes(_("Treatment paths"), labels.TREATMENT_PATH_LABELS)
    years_in_recovery = forms.IntegerField(
        label=_("Years in recovery"), min_value=0, max_value=80, required=False
    )
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        help_text=_("Separate with commas, e.g. fishing, football."),
    )
    strengths = _checkboxes(_("Strengths"), labels.LIFE_AREA_LABELS)
    languages = _checkboxes(_("Languages"), labels.LANGUAGE_LABELS)
    area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", "–")],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the areas the organisation serves.")},
    )
    availability = _checkboxes(_("Availability"), labels.AVAILABILITY_LABELS)
    max_participants = forms.IntegerField(
        label=_("Maximum number of participants"), min_value=0, max_value=10
    )

    @classmethod
    def for_peer(cls, peer: PeerWorker, data=None):
        initial = {name: getattr(peer, name) for name in cls.base_fields}
        initial["interests"] = ", ".join(peer.interests)
        form = cls(data, initial=initial)
        area = form.fields["area"]
        area.choices = [area.choices[0], *area_choices(peer.organisation_id, keep=peer.area)]
        return form

    def clean_interests(self) -> list[str]:
        raw = self.cleaned_data["interests"]
        return [i.strip().lower() for i in raw.split(",") if i.strip()]


class SupervisionForm(safe.SubmissionKeyMixin, forms.Form):
    held_on = safe.DateField(label=_("Date"), widget=DateInput())
    topics = _checkboxes(_("Topics"), SUPERVISION_TOPICS)
    notes = forms.CharField(
        label=_("Private notes"),
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text=_("Only you and the peer worker can read these."),
    )


class GroupSupervisionForm(safe.SubmissionKeyMixin, ProgrammeFormMixin, forms.Form):
    held_on = safe.DateField(label=_("Date"), widget=DateInput())
    theme = forms.CharField(label=_("Theme"), max_length=200)
    guest_speaker = forms.CharField(label=_("Guest speaker"), max_length=200, required=False)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_programme(programmes)


class GroupAttendanceForm(forms.Form):
    attendees = safe.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=PeerWorker.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = peers
        self.fields["attendees"].label_from_instance = lambda p: p.user.name


class CheckInForm(safe.SubmissionKeyMixin, forms.Form):
    workload = forms.ChoiceField(
        label=_("How is the workload?"), choices=CheckIn.Workload, widget=forms.RadioSelect
    )
    boundaries = forms.TypedChoiceField(
        label=_("How is it going with setting boundaries?"),
        choices=CheckIn.Scale,
        coerce=int,
        widget=forms.RadioSelect,
    )
    own_recovery = forms.TypedChoiceField(
        label=_("How is your own recovery going?"),
        choices=CheckIn.Scale,
        coerce=int,
        widget=forms.RadioSelect,
    )
    support_wanted = forms.BooleanField(label=_("I would like a conversation"), required=False)
    text = forms.CharField(
        label=_("Anything else you want to tell your coordinator?"),
        widget=forms.Textarea,
        required=False,
        max_length=3000,
    )
