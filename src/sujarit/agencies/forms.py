from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

#: Larger than any province's agency list; a bigger upload is a mistake, not a directory.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class AgencySearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), max_length=100, required=False)


class AgencyImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with a header line; the columns are described in docs/agencies.md."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check and report, write nothing"), required=False, initial=True
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload
