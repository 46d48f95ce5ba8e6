from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.areas import area_choices
from ettervern.lib import forms as safe
from ettervern.offers.models import Category, Offer, Suggestion
from ettervern.participants.models import Goal

WHOLE_CITY = _("The whole city")


class OfferForm(safe.SubmissionKeyMixin, forms.ModelForm):
    area = forms.ChoiceField(label=_("Area"), required=False)

    class Meta:
        model = Offer
        fields = [
            "name",
            "provider",
            "category",
            "target_group",
            "area",
            "address",
            "opening_hours",
            "price",
            "contact",
            "is_active",
        ]
        help_texts = {
            "provider": _("Who runs it: an organisation, NAV, the municipality, a group."),
            "target_group": _("Who it is for, e.g. “adults with substance-use problems”."),
            "price": _("E.g. “Free” or “50 kr”."),
            "contact": _("Phone, e-mail, web page, or “just turn up”."),
            "is_active": _("Untick to take the offer out of the directory."),
        }
        error_messages = {
            "name": {"required": _("Give the offer a name.")},
            "provider": {
                "required": _("Say who provides the offer (an organisation, NAV, a group…).")
            },
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.instance.area if self.instance.pk else ""
        self.fields["area"].choices = [("", WHOLE_CITY), *area_choices(organisation.pk, keep=keep)]
        if self.instance.pk is None:
            del self.fields["is_active"]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    stale = forms.BooleanField(label=_("Only offers not checked for six months"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Category.choices]
        areas = area_choices(organisation.pk) if organisation else []
        self.fields["area"].choices = [("", _("All areas")), *areas]


class SuggestForm(safe.SubmissionKeyMixin, forms.Form):
    goal = safe.ModelChoiceField(
        queryset=Goal.objects.none(),
        label=_("For which of her goals?"),
        required=False,
        empty_label=_("No particular goal"),
    )

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        goals = participant.goals.filter(status=Goal.Status.ACTIVE).order_by("life_area", "pk")
        self.fields["goal"].queryset = goals
        self.fields["goal"].label_from_instance = lambda g: (
            f"{g.get_life_area_display()}: {g.description[:60]}"
        )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Suggestion.Outcome.choices)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_("At most 5 MB and 1 000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, import nothing"), required=False, initial=True
    )


class SharingForm(forms.Form):
    partner_code = forms.CharField(
        label=_("The partner organisation's code"),
        max_length=60,
        help_text=_("The partner's administrator finds it on this page in their Ettervern."),
    )
