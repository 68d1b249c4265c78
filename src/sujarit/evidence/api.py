"""``POST /api/v1/reports/evidence``: a citizen's app adds files to a report, given its
receipt code (and passphrase) as multipart form fields beside the files.

The receipt code is checked first, with the same throttle as every follow-up endpoint, so
that nobody can make the server read and strip files without holding a code. The answer
lists what the report now holds from the complainant (kinds and times, never a download:
see ``sujarit.evidence.queries``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status

from sujarit.cases.api.reports import (
    ACCEPT_LANGUAGE,
    RECEIPT_REFUSALS,
    _form_errors,
    _language,
    _open,
    _private,
    _refuse,
)
from sujarit.evidence.actions import add_citizen_evidence
from sujarit.evidence.forms import EvidenceForm
from sujarit.evidence.queries import sent_by_complainant
from sujarit.evidence.uploads import max_bytes, max_files, use_evidence_handler

router = Router(tags=["reports"])

#: Form fields besides the files.
TEXT_FIELDS = ("code", "passphrase")


class SentFileOut(Schema):
    family: str = Field(description="image, document, audio or video.")
    kind: str = Field(description="The file's kind as stored, e.g. jpeg, pdf, mp4.")
    at: str = Field(description="When it was received (ISO 8601).")


class EvidenceAddedOut(Schema):
    added: int = Field(description="How many files this request added.")
    files: list[SentFileOut] = Field(
        description="Every file the complainant has sent with this report, oldest first."
    )


def _request_body() -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["code", "evidence"],
                        "properties": {
                            "code": {
                                "type": "string",
                                "description": "The 16-digit receipt code.",
                            },
                            "passphrase": {
                                "type": "string",
                                "description": "The report's passphrase, if it has one.",
                            },
                            "evidence": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "description": (
                                    f"Up to {max_files()} files (SUJARIT_EVIDENCE_MAX_FILES), "
                                    f"each at most {max_bytes()} bytes "
                                    "(SUJARIT_EVIDENCE_MAX_BYTES): JPEG, PNG, HEIC, PDF, "
                                    "docx, xlsx, pptx, odt, ods, odp, MP3, M4A, WAV, OGG, MP4, "
                                    "MOV, 3GP, WebM, recognised by content. Identifying "
                                    "metadata is removed before storage; a file that cannot "
                                    "be read is refused (422) and nothing is stored."
                                ),
                            },
                        },
                    }
                }
            },
        }
    }


@router.post(
    "",
    url_name="reports-evidence",
    summary="Add evidence files to a report",
    response={201: EvidenceAddedOut, **RECEIPT_REFUSALS},
    openapi_extra={**_request_body(), "parameters": [ACCEPT_LANGUAGE]},
)
def add_evidence(request: HttpRequest, response: HttpResponse) -> Status[Any]:
    """Add photos, documents or recordings to a report, given its receipt code (and
    passphrase) in multipart form fields. Answers 201 with the files the complainant has
    sent; 422 names each refused file (too large, a kind not accepted, unreadable) and then
    no file of the request is stored."""
    # Before anything reads the body: files are kept in memory, within the limits.
    use_evidence_handler(request)
    language = _language(request)
    _private(response, language)
    with translation.override(language):
        if not request.content_type or not request.content_type.startswith("multipart/"):
            return Status(
                400,
                _refuse("__all__", _("Send the files as multipart/form-data."), "invalid_body"),
            )
        # The code and passphrase go straight to ``_open``, which keeps them out of error
        # reports (sensitive_variables).
        opened = _open(
            request, {name: request.POST.get(name, "") for name in TEXT_FIELDS}, response
        )
        if isinstance(opened, Status):
            return opened
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            return Status(422, _form_errors(form))
        rows = add_citizen_evidence(case=opened, files=form.cleaned_data["evidence"])
        return Status(
            201,
            {
                "added": len(rows),
                "files": [
                    {"family": item.family, "kind": item.kind, "at": item.at.isoformat()}
                    for item in sent_by_complainant(opened)
                ],
            },
        )
