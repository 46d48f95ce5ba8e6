from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.employment.models import (
    AgreementVersion,
    Company,
    ContactPerson,
    CriterionStatus,
    IntentAgreement,
    Meeting,
    MeetingAction,
    Party,
    Placement,
)
from ettervern.lib import forms as safe


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CompanyForm(safe.SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = Company
        fields = ["name", "industry", "org_number", "address", "notes"]


class ContactPersonForm(safe.SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "title", "phone", "email"]
        error_messages = {"email": {"invalid": _("Enter a valid email address.")}}


class IntentAgreementForm(safe.SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = IntentAgreement
        fields = ["valid_from", "valid_to", "places", "kinds_of_work", "notes"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        field_classes = {"valid_from": safe.DateField, "valid_to": safe.DateField}

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The intent agreement cannot end before it starts."))
        return data


class PlacementForm(safe.SubmissionKeyMixin, forms.ModelForm):
    intensified_days = forms.IntegerField(
        label=_("Days of intensified follow-up at the start"),
        min_value=1,
        max_value=60,
        initial=7,
        help_text=_("A contact is expected every day of this period; missing days are shown."),
    )

    class Meta:
        model = Placement
        fields = [
            "company",
            "contact_person",
            "kind",
            "started_on",
            "position_percent",
            "tasks",
            "adaptations",
            "goals",
        ]
        widgets = {"started_on": DateInput(), "goals": forms.CheckboxSelectMultiple}
        field_classes = {
            "company": safe.ModelChoiceField,
            "contact_person": safe.ModelChoiceField,
            "started_on": safe.DateField,
            "goals": safe.ModelMultipleChoiceField,
        }
        labels = {
            "company": _("Company"),
            "contact_person": _("Contact person"),
            "goals": _("The participant's goals this placement works towards"),
        }
        error_messages = {
            "started_on": {"date_too_late": _("The start can be at most a year from today.")}
        }

    def __init__(self, *args, participant, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].years_ahead = 1
        self.fields["company"].queryset = companies
        self.fields["contact_person"].queryset = ContactPerson.objects.filter(
            company__in=companies, is_active=True
        ).select_related("company")
        self.fields["contact_person"].label_from_instance = lambda c: f"{c.name} ({c.company})"
        self.fields["goals"].queryset = participant.goals.filter(status="active")
        self.fields["goals"].label_from_instance = lambda g: g.description
        self.fields["position_percent"].min_value = 1
        self.fields["position_percent"].max_value = 100

    def clean_position_percent(self):
        value = self.cleaned_data["position_percent"]
        if not 1 <= value <= 100:
            raise forms.ValidationError(_("The position must be between 1 and 100 %."))
        return value

    def clean(self):
        data = super().clean()
        company, person = data.get("company"), data.get("contact_person")
        if company and person and person.company_id != company.pk:
            self.add_error("contact_person", _("The contact person does not work in this company."))
        return data


class PlacementEditForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["contact_person", "position_percent", "tasks", "adaptations", "goals"]
        widgets = {"goals": forms.CheckboxSelectMultiple}
        field_classes = {
            "contact_person": safe.ModelChoiceField,
            "goals": safe.ModelMultipleChoiceField,
        }
        labels = {
            "contact_person": _("Contact person"),
            "goals": _("The participant's goals this placement works towards"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placement = self.instance
        self.fields["contact_person"].queryset = ContactPerson.objects.filter(
            company_id=placement.company_id, is_active=True
        )
        self.fields["goals"].queryset = placement.participant.goals.all()
        self.fields["goals"].label_from_instance = lambda g: g.description

    def clean_position_percent(self):
        value = self.cleaned_data["position_percent"]
        if not 1 <= value <= 100:
            raise forms.ValidationError(_("The position must be between 1 and 100 %."))
        return value


class AgreementForm(forms.ModelForm):
    class Meta:
        model = AgreementVersion
        fields = list(AgreementVersion.TEXT_FIELDS)
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in AgreementVersion.TEXT_FIELDS
            if f not in ("meeting_interval_days", "share_relapse_with_employer")
        }


class ConfirmForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)


class ConfirmOnBehalfForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    party = forms.ChoiceField(label=_("Confirmation for"), choices=Party.choices)
    reason = forms.CharField(
        label=_("Why you record it on their behalf"),
        max_length=300,
        help_text=_("Shown with the confirmation, also on the printed agreement."),
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [c for c in Party.choices if c[0] in parties]


class MeetingScheduleForm(safe.SubmissionKeyMixin, forms.Form):
    scheduled_for = safe.DateField(label=_("Date"), widget=DateInput())


class MeetingRecordForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The meeting was"),
        choices=[(Meeting.Status.HELD, _("Held")), (Meeting.Status.CANCELLED, _("Cancelled"))],
        widget=forms.RadioSelect,
        initial=Meeting.Status.HELD,
    )
    held_on = safe.DateField(label=_("Held on"), widget=DateInput(), required=False)
    participant_attended = forms.BooleanField(label=_("The participant attended"), required=False)
    employer_attended = forms.BooleanField(label=_("The employer attended"), required=False)
    advisor_attended = forms.BooleanField(label=_("The advisor attended"), required=False)
    participant_raised = forms.CharField(
        label=_("What the participant raised"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )
    employer_raised = forms.CharField(
        label=_("What the employer raised"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )
    advisor_raised = forms.CharField(
        label=_("What the advisor raised"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )

    def __init__(self, *args, criteria: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for index, criterion in enumerate(criteria):
            self.fields[f"criterion_{index}"] = forms.ChoiceField(
                label=criterion,
                choices=CriterionStatus.choices,
                widget=forms.RadioSelect,
                required=False,
            )
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        if data.get("status") == Meeting.Status.HELD:
            if not data.get("held_on"):
                self.add_error("held_on", _("Give the date the meeting was held."))
            for index in range(len(self.criteria)):
                if not data.get(f"criterion_{index}"):
                    self.add_error(f"criterion_{index}", _("Choose met, at risk or not met."))
        return data

    def criteria_review(self) -> dict[str, str]:
        return {c: self.cleaned_data.get(f"criterion_{i}", "") for i, c in enumerate(self.criteria)}


class ActionForm(safe.SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = MeetingAction
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DateInput()}
        field_classes = {"due_on": safe.DateField}


class RelapseForm(safe.SubmissionKeyMixin, forms.Form):
    occurred_on = safe.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note (only for the advisor and the coordinator)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
    )
    intensified_days = forms.IntegerField(
        label=_("Step up the follow-up for (days)"), min_value=1, max_value=60, initial=7
    )


class PlacementEndForm(forms.Form):
    ended_on = safe.DateField(label=_("End date"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Why it ends"), choices=Placement.EndReason.choices)
