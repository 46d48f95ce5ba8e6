"""Choosing a report's period, writing its summary, asking for a PDF or Excel copy."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ettervern.lib import forms as safe
from ettervern.lib.periods import Period
from ettervern.reports import periods
from ettervern.reports.models import Export


class PeriodForm(forms.Form):
    """A month, a quarter, a year or dates of one's own; ``period`` after validation."""

    KINDS = [
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
        ("custom", _("Dates of my own")),
    ]
    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, initial="month")
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )
    quarter = forms.ChoiceField(
        label=_("Quarter"),
        required=False,
        choices=[
            ("", "–"),
            ("1", _("1st quarter")),
            ("2", _("2nd quarter")),
            ("3", _("3rd quarter")),
            ("4", _("4th quarter")),
        ],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    start = safe.DateField(label=_("From"), required=False)
    end = safe.DateField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        try:
            if kind == "month":
                if not data.get("month"):
                    raise ValidationError(_("Choose a month."))
                data["period"] = periods.parse(data["month"])
            elif kind in ("quarter", "year"):
                if not data.get("year"):
                    raise ValidationError(_("Write the year."))
                if kind == "year":
                    data["period"] = periods.year(data["year"])
                elif not data.get("quarter"):
                    raise ValidationError(_("Choose a quarter."))
                else:
                    data["period"] = periods.quarter(data["year"], int(data["quarter"]))
            elif kind == "custom":
                if not (data.get("start") and data.get("end")):
                    raise ValidationError(_("Write both the first and the last day."))
                data["period"] = periods.span(data["start"], data["end"])
        except ValidationError as exc:
            if self.errors:
                return data
            raise exc
        return data

    @classmethod
    def for_period(cls, period: Period) -> "PeriodForm":
        """The form showing a period already chosen (e.g. from the short code in a link)."""
        code = periods.code(period)
        if periods.MONTH.match(code):
            initial = {"kind": "month", "month": code}
        elif periods.QUARTER.match(code):
            initial = {"kind": "quarter", "year": period.start.year, "quarter": code[-1]}
        elif periods.YEAR.match(code):
            initial = {"kind": "year", "year": period.start.year}
        else:
            initial = {"kind": "custom", "start": period.start, "end": period.end}
        return cls(initial=initial)


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Summary for the funder"),
        help_text=_("In your own words: what happened in the period. Shown with the figures."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ExportForm(safe.SubmissionKeyMixin, forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=Export.Format.choices)
    shared = forms.BooleanField(
        label=_("To be shared outside the organisation"),
        help_text=_("Counts from 1 to 4 are shown as “<5”."),
        required=False,
    )
