from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ettervern.imports.reading import MAX_BYTES, MAX_ROWS
from ettervern.lib import forms as safe


class UploadForm(safe.SubmissionKeyMixin, forms.Form):
    programme = safe.ModelChoiceField(queryset=None, label=_("Programme"), empty_label=None)
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].initial = programmes.first()
        # Formatted here, in the language of the request.
        self.fields["file"].help_text = gettext(
            "At most %(mb)s MB and %(rows)s rows per sheet."
        ) % {"mb": MAX_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}".replace(",", " ")}
