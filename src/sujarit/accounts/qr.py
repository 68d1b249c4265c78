"""QR codes drawn on the server as inline SVG, so enrolment needs no network and no script."""

from __future__ import annotations

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(text: str) -> str:
    """An ``<svg>`` element (no XML declaration) encoding ``text``."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=4)
    return str(image.to_string(encoding="unicode"))
