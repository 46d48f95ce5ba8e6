from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Area, Programme, Role, User
from ettervern.lib import forms as safe
from ettervern.orgadmin.services import PROGRAMME_FIELDS

RESET_REASON_CHOICES = [
    ("lost_device", _("The phone or key was lost or stolen")),
    ("new_device", _("New phone: the app was not moved")),
    ("locked_out", _("Locked out for another reason")),
    ("other", _("Other reason")),
]


def _bokmal(error: forms.ValidationError) -> forms.ValidationError:
    """Django's bokmål catalogue lacks the plural of the too-short message: say it ourselves."""
    if error.code == "password_too_short":
        return forms.ValidationError(
            _("The password is too short: use at least %(min_length)d characters."),
            code=error.code,
            params=error.params,
        )
    return error


class InviteForm(safe.SubmissionKeyMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"), error_messages={"invalid": _("Enter a valid email address.")}
    )
    programme = safe.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class SecondFactorResetForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=RESET_REASON_CHOICES)


class ProgrammeCreateForm(safe.SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "kind"]


class ProgrammeSettingsForm(forms.ModelForm):
    """The name and every setting of a programme (each explained by its model field)."""

    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        widgets = {
            "office_opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "office_closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "office_opens": {"invalid": _("Enter a time, e.g. 08:00.")},
            "office_closes": {"invalid": _("Enter a time, e.g. 16:00.")},
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("office_opens"), data.get("office_closes")
        if opens and closes and opens >= closes:
            raise forms.ValidationError(_("Office hours must end after they start."))
        return data


class AcceptInvitationForm(forms.Form):
    """Choose a password for a new login (Django's password validators apply)."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Not a common password, and not only digits."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.person = User(email=email, name=name)

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            try:
                password_validation.validate_password(first, self.person)
            except forms.ValidationError as exc:
                self.add_error("password1", [_bokmal(e) for e in exc.error_list])
        return data


class AreaForm(forms.ModelForm):
    """An area's name and optional map point (the code is set when it is added)."""

    class Meta:
        model = Area
        fields = ["name", "latitude", "longitude"]
        error_messages = {
            "latitude": {"invalid": _("Enter a number, e.g. 60.39.")},
            "longitude": {"invalid": _("Enter a number, e.g. 5.32.")},
        }

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class AreaCreateForm(safe.SubmissionKeyMixin, AreaForm):
    class Meta(AreaForm.Meta):
        fields = ["name", "code", "latitude", "longitude"]
        help_texts = {
            "code": _(
                "A short code without spaces, e.g. midtbyen. Records store it; it cannot be "
                "changed later."
            )
        }


class InterestMergeForm(forms.Form):
    """Merge tags in use into one spelling."""

    tags = forms.MultipleChoiceField(
        label=_("Tags to merge"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose from the list."),
            "required": _("Choose the tags to merge."),
        },
    )
    into = forms.CharField(
        label=_("Spelling to keep"),
        max_length=40,
        help_text=_("Every chosen tag becomes this one, for all participants and peer workers."),
    )

    def __init__(self, *args, tags: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [(t, t) for t in tags]

    def clean_into(self) -> str:
        into = " ".join(self.cleaned_data["into"].split())
        if not into:
            raise forms.ValidationError(_("Write the spelling to keep."))
        return into
