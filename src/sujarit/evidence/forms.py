"""The file field every evidence upload goes through (intake, follow-up, staff, API).

Each file is read, sniffed, checked against the limits and stripped of identifying metadata
while the form is validated, so that a refused file is reported beside the field with the
rest of the form kept, and nothing is stored unless everything is valid. The file names the
sender used appear only in these messages; they are never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sujarit.evidence import sniffing
from sujarit.evidence.sniffing import FileKind
from sujarit.evidence.stripping import CannotStrip, strip
from sujarit.evidence.uploads import max_bytes, max_files

ACCEPTED_TEXT = _(
    "photos (JPEG, PNG, HEIC), PDF, Word, Excel, PowerPoint or OpenDocument files, and audio "
    "or video recordings (MP3, M4A, WAV, OGG, MP4, MOV, 3GP, WebM)"
)
#: The ``accept`` attribute of the file input: a hint for the phone's file picker only.
ACCEPT_ATTRIBUTE = ",".join(
    sorted({f".{kind.extension}" for kind in sniffing.KINDS.values()} | {".jpeg"})
)


@dataclass(frozen=True)
class PreparedFile:
    """An accepted file, stripped, ready to be sealed and stored."""

    kind: FileKind
    data: bytes


def _size(size: int) -> str:
    return str(filesizeformat(size))


def prepare(name: str, upload: UploadedFile[Any]) -> PreparedFile:
    """One upload, checked and stripped; ``ValidationError`` with a clear message if not."""
    size = upload.size or 0
    if size > max_bytes() or getattr(upload, "sujarit_truncated", False):
        raise ValidationError(
            _(
                "“%(name)s” is larger than %(size)s. Send a smaller file (for a video, a "
                "shorter clip)."
            ),
            code="too_large",
            params={"name": name, "size": _size(max_bytes())},
        )
    upload.seek(0)
    data = upload.read()
    if not data:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    kind = sniffing.sniff(data)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a kind of file we accept. We accept %(accepted)s."),
            code="kind",
            params={"name": name, "accepted": ACCEPTED_TEXT},
        )
    try:
        stripped, stored_kind = strip(data, kind)
    except CannotStrip:
        raise ValidationError(
            _(
                "“%(name)s” could not be read, so the details in it that may identify you "
                "could not be removed. Save it again or send it in another format."
            ),
            code="unreadable",
            params={"name": name},
        ) from None
    return PreparedFile(kind=stored_kind, data=stripped)


def prepare_all(uploads: list[UploadedFile[Any]]) -> list[PreparedFile]:
    """Every upload checked; all refusals are reported together."""
    if len(uploads) > max_files():
        raise ValidationError(
            ngettext(
                "You can attach at most %(max)d file at a time.",
                "You can attach at most %(max)d files at a time.",
                max_files(),
            ),
            code="too_many",
            params={"max": max_files()},
        )
    prepared: list[PreparedFile] = []
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            prepared.append(prepare(_display_name(upload), upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return prepared


def _display_name(upload: UploadedFile[Any]) -> str:
    name = (upload.name or "").strip()
    return name[:80] if name else str(_("the file"))


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Any number of files (up to ``SUJARIT_EVIDENCE_MAX_FILES``) → ``list[PreparedFile]``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos, documents or recordings"))
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[PreparedFile]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not uploads:
            if self.required:
                raise ValidationError(_("Choose at least one file."), code="required")
            return []
        return prepare_all([upload for upload in uploads if isinstance(upload, UploadedFile)])


def limits_text() -> str:
    return ngettext(
        "Up to %(count)d file, each at most %(size)s: %(accepted)s. Details inside the "
        "files that could identify you (such as where a photo was taken, or a document's "
        "author) are removed before they are stored.",
        "Up to %(count)d files, each at most %(size)s: %(accepted)s. Details inside the "
        "files that could identify you (such as where a photo was taken, or a document's "
        "author) are removed before they are stored.",
        max_files(),
    ) % {"count": max_files(), "size": _size(max_bytes()), "accepted": ACCEPTED_TEXT}


class EvidenceForm(forms.Form):
    """Files alone: the follow-up page's and the staff case page's form."""

    evidence = EvidenceField(required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = limits_text()
