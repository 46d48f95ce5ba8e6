from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.participants.models import Participant


class ParticipantDetailsForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["phone", "email", "address", "area"]
        error_messages = {"email": {"invalid": _("Enter a valid email address.")}}

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = phone.replace(" ", "").removeprefix("+")
        if phone and (not digits.isdigit() or not 8 <= len(digits) <= 15):
            raise forms.ValidationError(_("Enter a phone number with 8 to 15 digits."))
        return phone
