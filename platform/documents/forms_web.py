"""The upload form of the web pages: a plain multipart POST handled by the server. The bytes go through
``services.attach_bytes``, the same path as every other upload: the type allow-list, the size limit, the staging key,
the move to the document's own key and the check of the file's signature (magic bytes)."""

from __future__ import annotations

import mimetypes

from django import forms
from django.utils.translation import gettext_lazy as _

from ostoja.platform.documents import services

# Browsers send these when they do not know a file's type: the file name's extension decides then (the signature
# is checked by the service whatever the declared type).
_UNKNOWN_TYPES = {"", "application/octet-stream", "application/x-download", "binary/octet-stream"}
# A service error about the upload names "content_type", "size" or "file_name", or no field at all (the file's
# content): all of them belong next to the file input.
SERVICE_FIELDS = {"content_type": "file", "size": "file", "file_name": "file", "": "file"}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted({*services.ALLOWED_TYPES.values()}))}),
    )
    title = forms.CharField(
        label=_("Title"), required=False, max_length=200, help_text=_("What the document is (optional).")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, JPEG, PNG, TIFF, DOCX or ODT, at most %(max)s MB.") % {
            "max": services.MAX_SIZE // (1024 * 1024)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > services.MAX_SIZE:  # refused before its bytes are read into memory
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB."),
                code="file_too_large",
                params={"max": services.MAX_SIZE // (1024 * 1024)},
            )
        return upload


def content_type_of(upload) -> str:
    """The type the browser declared, or the one the file name's extension gives when it declared none."""
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared in _UNKNOWN_TYPES:
        guessed, _encoding = mimetypes.guess_type(upload.name or "")
        return guessed or declared
    return declared


def attach(actor, owner_field: str, owner_id, form: UploadForm):
    """Store the uploaded file on the record through the documents service (every check is the service's)."""
    upload = form.cleaned_data["file"]
    return services.attach_bytes(
        actor,
        owner_field,
        owner_id,
        file_name=upload.name,
        content_type=content_type_of(upload),
        data=upload.read(),
        title=form.cleaned_data.get("title") or "",
    )
