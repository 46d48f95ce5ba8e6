from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.lib import forms as safe


class UploadForm(safe.SubmissionKeyMixin, forms.Form):
    programme = safe.ModelChoiceField(queryset=None, label=_("Programme"), empty_label=None)
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        # The limits of ettervern.imports.reading (a test keeps the two in step).
        help_text=_("At most 5 MB and 1 000 rows per sheet."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].initial = programmes.first()
