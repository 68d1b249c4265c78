"""Removing identifying metadata from uploaded photos before they are stored.

A phone photo carries EXIF: the GPS position where it was taken, the time, the camera's make,
model and serial number, and maker notes; PNG files carry text chunks and XMP. A volunteer's
photo of a public project must not tell who took it or where they live, so every photo is
decoded and written again with none of that: only the pixels survive (turned upright first,
since the orientation tag goes with the rest).

The type is decided from the content, never from the file name or the browser's content
type, and only JPEG and PNG are accepted by ``strip_image_metadata``. ``heif_to_jpeg`` turns
an iPhone's HEIC photo into a JPEG made of its pixels alone, for the evidence files.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

#: Larger images are refused rather than decoded (a "decompression bomb" costs memory).
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 90


class UnsupportedImage(ValueError):
    """The data is not a JPEG or PNG image that can be decoded."""


@dataclass(frozen=True)
class ImageKind:
    format: str
    extension: str
    content_type: str


JPEG = ImageKind("JPEG", "jpg", "image/jpeg")
PNG = ImageKind("PNG", "png", "image/png")


def sniff_image(data: bytes) -> ImageKind | None:
    """The kind of image by its first bytes (its "magic number"), or ``None``."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def strip_image_metadata(data: bytes) -> bytes:
    """The same picture as a new file of the same type, without any metadata.

    Raises ``UnsupportedImage`` for anything that is not a decodable JPEG or PNG.
    """
    kind = sniff_image(data)
    if kind is None:
        raise UnsupportedImage("not a JPEG or PNG image")
    return _encode(_pixels(data, kind.format), kind)


def heif_to_jpeg(data: bytes) -> bytes:
    """A HEIC/HEIF photo as a JPEG of its pixels only (no EXIF, XMP, depth maps or
    thumbnails). Raises ``UnsupportedImage`` if it cannot be decoded."""
    import pillow_heif

    # Registering is idempotent; done here so that Pillow opens HEIF only where we ask it to.
    pillow_heif.register_heif_opener()
    return _encode(_pixels(data, "HEIF"), JPEG)


def _pixels(data: bytes, image_format: str) -> Image.Image:
    """The decoded picture, upright, as a fresh image that carries no metadata."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (rather than fails) between its limit and twice its limit.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[image_format]) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise UnsupportedImage("the image is too large")
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                # A fresh image made from the pixels alone holds no info, EXIF or text chunks.
                clean = Image.new(upright.mode, upright.size)
                clean.paste(upright)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        if isinstance(error, UnsupportedImage):
            raise
        raise UnsupportedImage("the image cannot be decoded") from error
    except Image.DecompressionBombWarning as error:
        raise UnsupportedImage("the image is too large") from error
    return clean


def _encode(image: Image.Image, kind: ImageKind) -> bytes:
    output = io.BytesIO()
    if kind is JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(output, format="PNG", optimize=True)
    return output.getvalue()
