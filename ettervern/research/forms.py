"""Forms of research: the org admin's project form and the researcher's filters."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Membership, Role
from ettervern.lib import forms as safe
from ettervern.participants.models import Participant
from ettervern.research.models import ResearchProject
from ettervern.research.selectors import Filters


def _researcher_label(membership: Membership) -> str:
    return f"{membership.user.name} ({membership.user.email})"


class ProjectForm(safe.SubmissionKeyMixin, forms.ModelForm):
    """A research project as the org admin registers it (it starts as proposed)."""

    def __init__(self, *args, programmes: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = programmes
        self.fields["researchers"] = safe.ModelMultipleChoiceField(
            label=_("Responsible researchers"),
            queryset=Membership.objects.filter(
                programme__in=programmes, role=Role.RESEARCHER, is_active=True
            )
            .select_related("user")
            .order_by("user__name"),
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Logins with the researcher role. Invite a researcher under Users."),
        )
        self.fields["researchers"].label_from_instance = _researcher_label
        self.fields["starts_on"].years_back = 5
        self.fields["ends_on"].years_ahead = 15
        self.order_fields(
            [
                "title",
                "purpose",
                "approval_reference",
                "starts_on",
                "ends_on",
                "programmes",
                "researchers",
            ]
        )

    class Meta:
        model = ResearchProject
        fields = [
            "title",
            "purpose",
            "approval_reference",
            "starts_on",
            "ends_on",
            "programmes",
        ]
        field_classes = {
            "starts_on": safe.DateField,
            "ends_on": safe.DateField,
            "programmes": safe.ModelMultipleChoiceField,
        }
        widgets = {"programmes": forms.CheckboxSelectMultiple}

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The project cannot end before it starts."))
        return data


class ApproveForm(forms.Form):
    approval_reference = forms.CharField(
        label=_("Approval reference"),
        max_length=60,
        required=False,
        help_text=_("E.g. the REK number of the approval by the ethics committee."),
    )


class FilterForm(forms.Form):
    """The researcher's filters. Any combination is allowed: small counts are suppressed."""

    programme = safe.ModelChoiceField(
        label=_("Programme"), queryset=None, required=False, empty_label=_("All programmes")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Participant.Status.choices],
    )
    period_from = safe.DateField(label=_("Referred from"), required=False, years_back=30)
    period_to = safe.DateField(label=_("Referred until"), required=False, years_back=30)

    def __init__(self, *args, programmes: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        programme = data.get("programme")
        return Filters(
            programme_ids=(programme.pk,) if programme else (),
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            status=data.get("status") or "",
        )
