"""Receiving uploaded evidence: in memory only, and never more than the limits allow.

Django's default handlers write an upload larger than 2.5 MB to a temporary file: a
citizen's photo, GPS position and all, would sit on the server's disk in clear until the
request ends. The evidence handler keeps every file in memory instead, and stops keeping a
file's bytes once it passes ``SUJARIT_EVIDENCE_MAX_BYTES`` (or once the request's files
together pass the limit of the whole submission): such a file arrives with its real size and
no content, and the form refuses it with a clear message while keeping the rest.

Only the views that take evidence use this handler (``evidence_uploads``); other uploads
on the site keep Django's defaults.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect


def max_bytes() -> int:
    return int(settings.SUJARIT_EVIDENCE_MAX_BYTES)


def max_files() -> int:
    return int(settings.SUJARIT_EVIDENCE_MAX_FILES)


class EvidenceUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.kept_total = 0
        self.buffer = io.BytesIO()
        self.received = 0
        self.too_big = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.received = 0
        self.too_big = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if not self.too_big:
            over_file = self.received > max_bytes()
            over_request = self.kept_total + self.received > max_bytes() * max_files()
            if over_file or over_request:
                self.too_big = True
                self.buffer = io.BytesIO()
            else:
                self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        if not self.too_big:
            self.kept_total += self.received
        self.buffer.seek(0)
        upload = InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            # The real size, also when the content was dropped: the form refuses by size.
            size=max(file_size, max_bytes() + 1) if self.too_big else file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        upload.sujarit_truncated = self.too_big  # type: ignore[attr-defined]
        return upload


View = Callable[..., HttpResponse]


def evidence_uploads(view: View) -> View:
    """Read the request's files with ``EvidenceUploadHandler``.

    The handlers must be set before anything reads ``request.POST``, and the CSRF check
    reads it: so the CSRF check is made here, after the handlers are in place (Django's
    documented pattern for changing upload handlers in a view).
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers = [EvidenceUploadHandler(request)]
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def use_evidence_handler(request: HttpRequest) -> None:
    """For API endpoints, which have no CSRF check: set the handler before reading files."""
    request.upload_handlers = [EvidenceUploadHandler(request)]
