from django import forms
from django.utils.translation import gettext_lazy as _

HOUR_ERROR = _("Choose an hour from 0 to 23.")


class DigestSettingsForm(forms.Form):
    digest_enabled = forms.BooleanField(
        label=_("Send me a daily summary by e-mail"),
        required=False,
        help_text=_("Initials and links only: never names or what was said."),
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Hour"),
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        error_messages={"invalid_choice": HOUR_ERROR, "required": HOUR_ERROR},
        help_text=_("The summary comes within this hour (Norwegian time)."),
    )
