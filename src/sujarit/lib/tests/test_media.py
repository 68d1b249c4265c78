"""Photos lose their EXIF (GPS, camera, maker notes) and text chunks before storage."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from sujarit.lib.media import JPEG, UnsupportedImage, sniff_image, strip_image_metadata

GPS_IFD = 0x8825
MAKE, MODEL, MAKER_NOTE, ORIENTATION = 0x010F, 0x0110, 0x927C, 0x0112


def jpeg_with_gps(*, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[MODEL] = "Model X 12"
    exif[ORIENTATION] = orientation
    exif[MAKER_NOTE] = b"serial-0042"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (13.0, 41.0, 15.0), 3: "E", 4: (101.0, 4.0, 30.0)})
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def test_a_real_jpeg_carries_gps_before_stripping() -> None:
    data = jpeg_with_gps()
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert exif[MAKE] == "PhoneMaker"
        assert exif.get_ifd(GPS_IFD)[1] == "N"
    assert b"PhoneMaker" in data


def test_jpeg_loses_gps_camera_and_maker_notes() -> None:
    clean = strip_image_metadata(jpeg_with_gps())
    assert sniff_image(clean) == JPEG
    for marker in (b"PhoneMaker", b"Model X 12", b"serial-0042", b"Exif"):
        assert marker not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.format == "JPEG"
        assert image.size == (40, 20)
        assert not image.getexif()
        assert "exif" not in image.info


def test_rotated_photo_is_turned_upright_since_its_orientation_tag_is_dropped() -> None:
    # Orientation 6: the camera was turned; viewers rotate the stored 40x20 pixels to 20x40.
    clean = strip_image_metadata(jpeg_with_gps(orientation=6))
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (20, 40)


def test_png_loses_its_text_chunks() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Somchai at home")
    info.add_text("XML:com.adobe.xmp", "<x:xmpmeta>GPS 13.68N</x:xmpmeta>")
    output = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 255, 128)).save(output, format="PNG", pnginfo=info)
    clean = strip_image_metadata(output.getvalue())
    assert b"Somchai" not in clean and b"xmpmeta" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"
        assert not image.info.get("Author") and "XML:com.adobe.xmp" not in image.info


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a\x01\x00\x01\x00",
        b"%PDF-1.7 not an image",
        b"",
        b"\xff\xd8\xff\xe0 truncated jpeg",
        b"\x89PNG\r\n\x1a\n broken",
    ],
)
def test_anything_but_a_decodable_jpeg_or_png_is_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedImage):
        strip_image_metadata(data)


def test_type_comes_from_the_content_not_the_name() -> None:
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    assert sniff_image(gif.getvalue()) is None
    assert sniff_image(jpeg_with_gps()) == JPEG and JPEG.content_type == "image/jpeg"
