"""Helpers shared by the network actions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext as _

from sujarit.accounts.queries import AnyUser
from sujarit.lib.media import UnsupportedImage, sniff_image, strip_image_metadata

#: A photo larger than this is refused (phones write 3–8 MB; the stored copy is smaller).
MAX_PHOTO_BYTES = 15 * 1024 * 1024
#: A signed document larger than this is refused.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def ensure(allowed: bool) -> None:
    """Raise ``PermissionDenied`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied


def apply_values(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the fields whose value differs; return their names (for the audit log)."""
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            # Compare ids: reading an unset relation of a new row would raise.
            current = getattr(instance, field.attname)
            differs = current != (value.pk if isinstance(value, models.Model) else value)
        else:
            differs = getattr(instance, name) != value
        if differs:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def changed_m2m(current: Iterable[Any], wanted: Iterable[Any]) -> bool:
    return {item.pk for item in current} != {item.pk for item in wanted}


def clean_photo(data: bytes) -> tuple[ContentFile[bytes], str]:
    """The photo without metadata, ready to store, and its content type.

    Raises ``ValidationError`` with a message for the uploader.
    """
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is larger than %(size)s MB.") % {"size": MAX_PHOTO_BYTES // 2**20}
        )
    kind = sniff_image(data)
    try:
        clean = strip_image_metadata(data)
    except UnsupportedImage:
        raise ValidationError(_("Only JPEG and PNG photos can be uploaded.")) from None
    assert kind is not None
    return ContentFile(clean, name=f"photo.{kind.extension}"), kind.content_type


def clean_document(data: bytes) -> tuple[ContentFile[bytes], str]:
    """A signed document (PDF, or a scan as JPEG/PNG with its metadata stripped)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The document is larger than %(size)s MB.") % {"size": MAX_DOCUMENT_BYTES // 2**20}
        )
    if data.startswith(b"%PDF-"):
        return ContentFile(data, name="document.pdf"), "application/pdf"
    if sniff_image(data) is not None:
        return clean_photo(data)
    raise ValidationError(_("The signed document must be a PDF file or a JPEG or PNG scan."))


def actor(by: AnyUser | None) -> Any:
    """The account to record as the actor (None for the system: commands, demo data)."""
    return by if by is not None and getattr(by, "is_authenticated", False) else None
