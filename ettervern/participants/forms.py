import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.areas import area_choices
from ettervern.lib import forms as safe
from ettervern.lib import labels
from ettervern.participants.models import (
    Consent,
    Goal,
    OtherService,
    Participant,
    PauseReason,
    PeerWish,
    Referral,
    StatusChange,
)

CONSENT_TEXT_VERSION = "2026-1"


# A transition (release, discharge) this far from today is a typing error.
TRANSITION_WINDOW_YEARS = 3
TRANSITION_DATE_ERRORS = {
    "date_too_early": _("The date is too far from today."),
    "date_too_late": _("The date is too far from today."),
}


def _transition_date_field(**kwargs) -> safe.DateField:
    return safe.DateField(
        years_back=TRANSITION_WINDOW_YEARS,
        years_ahead=TRANSITION_WINDOW_YEARS,
        error_messages=TRANSITION_DATE_ERRORS,
        **kwargs,
    )


def _check_transition(form: forms.Form, data: dict) -> None:
    if form.has_error("transition_date"):
        return
    if bool(data.get("transition")) != bool(data.get("transition_date")):
        raise forms.ValidationError(_("Give both the transition and its date, or neither."))


def _clean_phone(phone: str) -> str:
    phone = phone.strip()
    digits = phone.replace(" ", "").removeprefix("+")
    if phone and (not digits.isdigit() or not 8 <= len(digits) <= 15):
        raise forms.ValidationError(_("Enter a phone number with 8 to 15 digits."))
    return phone


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ParticipantDetailsForm(forms.ModelForm):
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, e.g. fishing, football. Used when matching."),
    )

    area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", _("Not stated"))],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the areas the organisation serves.")},
    )

    class Meta:
        model = Participant
        fields = ["phone", "email", "address", "area", "housing_stage", "transition"]
        fields += ["transition_date", "interests"]
        widgets = {"transition_date": DateInput()}
        field_classes = {"transition_date": _transition_date_field}
        error_messages = {"email": {"invalid": _("Enter a valid email address.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["interests"] = ", ".join(self.instance.interests or [])
        _offer_areas(self, self.instance.organisation_id, self.instance.area)

    def clean_interests(self) -> list[str]:
        parts = [" ".join(p.split()).lower() for p in self.cleaned_data["interests"].split(",")]
        return sorted({p for p in parts if p})

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        _check_transition(self, data)
        return data


def _offer_areas(form: forms.BaseForm, organisation_id: int, current: str) -> None:
    """The area field offers the organisation's own areas (and the stored one, if retired)."""
    field = form.fields["area"]
    field.choices = [field.choices[0], *area_choices(organisation_id, keep=current)]


def _birth_year(year: int | None) -> int | None:
    this_year = timezone.localdate().year
    if year is not None and not this_year - 100 <= year <= this_year - 12:
        raise forms.ValidationError(
            _("Enter a birth year between %(low)d and %(high)d.")
            % {"low": this_year - 100, "high": this_year - 12}
        )
    return year


def _checkboxes(label, codes: dict, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=labels.choices(codes),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=help_text,
        error_messages={"invalid_choice": _("Choose from the list.")},
    )


class MatchingProfileForm(forms.Form):
    """What matching compares, recorded by the coordinator at intake and later. Every field is
    optional: what is missing is said in the suggestions instead of silently not counting."""

    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("Not stated")), *labels.choices(labels.GENDER_LABELS)],
        required=False,
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    birth_year = forms.IntegerField(label=_("Birth year"), required=False)
    lived_experience = _checkboxes(_("Kinds of lived experience"), labels.LIVED_EXPERIENCE_LABELS)
    substances = _checkboxes(_("Substance history"), labels.SUBSTANCE_LABELS)
    treatment_paths = _checkboxes(_("Treatment paths"), labels.TREATMENT_PATH_LABELS)
    languages = _checkboxes(_("Languages"), labels.LANGUAGE_LABELS)
    availability_wanted = _checkboxes(
        _("Wanted availability"),
        labels.AVAILABILITY_LABELS,
        help_text=_("When the participant wants to meet their peer worker."),
    )
    area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", _("Not stated"))],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the areas the organisation serves.")},
    )

    @classmethod
    def for_participant(cls, participant: Participant, data=None) -> "MatchingProfileForm":
        initial = {name: getattr(participant, name) for name in cls.base_fields}
        form = cls(data, initial=initial)
        _offer_areas(form, participant.organisation_id, participant.area)
        return form

    def clean_birth_year(self) -> int | None:
        return _birth_year(self.cleaned_data["birth_year"])


class ReferralForm(forms.Form):
    """The coordinator's referral form."""

    name = forms.CharField(label=_("Name"), max_length=200)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    source = forms.ChoiceField(label=_("Source of the referral"), choices=Referral.Source.choices)
    referrer_name = forms.CharField(label=_("Referrer's name"), max_length=200, required=False)
    referrer_organisation = forms.CharField(
        label=_("Referrer's workplace"), max_length=200, required=False
    )
    referrer_phone = forms.CharField(label=_("Referrer's phone"), max_length=30, required=False)
    referrer_email = forms.EmailField(
        label=_("Referrer's email"),
        required=False,
        error_messages={"invalid": _("Enter a valid email address.")},
    )
    transition = forms.ChoiceField(
        label=_("Transition"),
        choices=[("", _("None"))] + list(Participant._meta.get_field("transition").choices),
        required=False,
    )
    transition_date = _transition_date_field(
        label=_("Date of the transition"), required=False, widget=DateInput()
    )
    housing_stage = forms.ChoiceField(
        label=_("Housing stage now"),
        choices=[("", _("Not known"))] + list(Participant._meta.get_field("housing_stage").choices),
        required=False,
    )
    wants_help_with = forms.CharField(
        label=_("What the person wants help with"), max_length=3000, widget=forms.Textarea
    )
    # One key per rendered form: the same form sent twice registers the person once.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programmes = {str(p.pk): p for p in programmes}
        if len(self.programmes) > 1:
            self.fields["programme"] = forms.ChoiceField(
                label=_("Service"), choices=[(pk, p.name) for pk, p in self.programmes.items()]
            )
            self.order_fields(["programme", *self.fields])

    def programme_of(self, chosen: str | None):
        """The chosen programme, or the only one the user has."""
        return self.programmes[chosen] if chosen else next(iter(self.programmes.values()))

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])

    def clean_referrer_phone(self) -> str:
        return _clean_phone(self.cleaned_data["referrer_phone"])

    def clean_birth_year(self) -> int | None:
        return _birth_year(self.cleaned_data["birth_year"])

    def clean(self):
        data = super().clean()
        _check_transition(self, data)
        return data


class ReferrerReferralForm(ReferralForm):
    """The short form a referrer (NAV, municipality, institution, prison) submits."""

    SOURCES = ("nav", "municipality", "treatment", "prison")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("referrer_name", "referrer_email"):
            del self.fields[name]
        self.fields["source"].label = _("You refer from")
        self.fields["source"].choices = [c for c in Referral.Source.choices if c[0] in self.SOURCES]
        self.fields["referrer_organisation"].label = _("Your workplace")
        self.fields["referrer_phone"].label = _("Your phone")


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Participant.Status.choices)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    method = forms.ChoiceField(
        label=_("How it was given"),
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        initial=Consent.Method.WRITTEN,
    )
    given_on = safe.DateField(
        label=_("Date"),
        widget=DateInput(),
        initial=timezone.localdate,
        years_ahead=0,
        error_messages={"date_too_late": _("The date cannot be in the future.")},
    )
    text_version = forms.CharField(
        label=_("Version of the consent text"), max_length=20, initial=CONSENT_TEXT_VERSION
    )


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["life_area", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class GoalUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Goal.Status.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Progress"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _wish_choices() -> list:
    groups = [
        (PeerWish.Kind.GENDER, labels.GENDER_LABELS),
        (PeerWish.Kind.SHARED_EXPERIENCE, labels.LIVED_EXPERIENCE_LABELS),
        (PeerWish.Kind.TREATMENT_PATH, labels.TREATMENT_PATH_LABELS),
        (PeerWish.Kind.LANGUAGE, labels.LANGUAGE_LABELS),
        (PeerWish.Kind.AVAILABILITY, labels.AVAILABILITY_LABELS),
    ]
    return [("", "–")] + [
        (kind.label, [(f"{kind.value}:{code}", label) for code, label in codes.items()])
        for kind, codes in groups
    ]


class WishForm(forms.Form):
    """One wish for a peer: a choice from the lists, or an age range."""

    wish = forms.ChoiceField(label=_("Wish"), choices=_wish_choices, required=False)
    age_from = forms.IntegerField(label=_("Age from"), required=False, min_value=18, max_value=99)
    age_to = forms.IntegerField(label=_("Age to"), required=False, min_value=18, max_value=99)
    must = forms.BooleanField(
        label=_("Must (otherwise: would like)"),
        required=False,
        help_text=_("A “must” is never broken when matching."),
    )

    def clean(self):
        data = super().clean()
        wish, low, high = data.get("wish"), data.get("age_from"), data.get("age_to")
        if self.errors:
            return data
        if bool(wish) == (low is not None or high is not None):
            raise forms.ValidationError(_("Choose either a wish from the list or an age range."))
        if wish:
            data["kind"], data["value"] = wish.split(":", 1)
        else:
            low, high = low or 18, high or 99
            if low > high:
                raise forms.ValidationError(_("The lowest age must not be above the highest."))
            data["kind"], data["value"] = PeerWish.Kind.AGE_RANGE, f"{low}-{high}"
        return data


class OtherServiceForm(forms.ModelForm):
    class Meta:
        model = OtherService
        fields = ["kind", "contact"]


class MatchForm(forms.Form):
    peer = forms.TypedChoiceField(label=_("Peer worker"), coerce=int)
    started_on = safe.DateField(
        label=_("The follow-up started"),
        years_ahead=0,
        initial=timezone.localdate,
        required=False,  # today
        help_text=_("Registered late? Give the day the pair actually began."),
        error_messages={
            "invalid": _("Enter a valid date."),
            "date_too_late": _("The start date cannot be in the future."),
        },
    )

    def __init__(self, *args, peers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.peers = {p.pk: p for p in peers}
        self.fields["peer"].choices = [
            (p.pk, f"{p.user.name} ({p.load}/{p.max_participants})") for p in peers
        ]


class PauseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why the pause"), choices=PauseReason.choices, widget=forms.RadioSelect
    )
    frees_slot = forms.BooleanField(
        label=_("Free the peer worker's slot while paused"), required=False
    )


class EndForm(forms.Form):
    end_reason = forms.ChoiceField(
        label=_("Why the follow-up ends"),
        choices=StatusChange.EndReason.choices,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_steps = forms.CharField(
        label=_("What happens next (other services)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    can_come_back = forms.BooleanField(label=_("Can come back"), required=False)


class OwnLoginInviteForm(safe.SubmissionKeyMixin, forms.Form):
    """Invite the participant to her own login (her e-mail; the record's address by default)."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "invalid": _("Enter a valid email address."),
            "required": _("Enter the participant's email address."),
        },
    )
