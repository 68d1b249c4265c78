"""What stripping and sealing cost per evidence file, against copying the bytes.

    PYTHONPATH=src DEBUG=true python bench/evidence/run.py

Prints, for a phone-sized photo (4032×3024 JPEG with GPS EXIF), a 2 MP HEIC photo, a 50-page PDF
and a 10 MB MP4, the time to sniff + strip, to seal (AES-GCM), and the ratio of each to a
plain in-memory copy of the same bytes measured in the same run.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sujarit.settings")
django.setup()

from PIL import Image  # noqa: E402

from sujarit.evidence import sniffing  # noqa: E402
from sujarit.evidence.stripping import strip  # noqa: E402
from sujarit.evidence.tests import samples  # noqa: E402
from sujarit.lib.crypto import seal  # noqa: E402


def best(action: Callable[[], object], rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def photo(image_format: str, size: tuple[int, int]) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    noise = Image.effect_noise(size, 60).convert("RGB")
    output = io.BytesIO()
    noise.save(output, format=image_format, exif=samples._exif(), quality=90)
    return output.getvalue()


def pdf(pages: int) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Author": samples.AUTHOR})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def movie(size: int) -> bytes:
    small = samples.mp4_with_location()
    at = small.index(b"mdat") - 4
    payload = os.urandom(size)
    # One big mdat after the movie box: offsets still point at its start.
    head = small[:at]
    return head + (8 + len(payload)).to_bytes(4, "big") + b"mdat" + payload


def main() -> None:
    files = {
        "JPEG 12 MP": photo("JPEG", (4032, 3024)),
        # HEVC encoding of the sample itself is slow on a small machine: a 2 MP photo.
        "HEIC 2 MP": photo("HEIF", (1632, 1224)),
        "PDF 50 pages": pdf(50),
        "MP4 10 MB": movie(10 * 2**20),
    }
    print(
        f"{'file':<14}{'bytes':>12}{'copy ms':>10}{'strip ms':>10}{'seal ms':>9}"
        f"{'strip/copy':>12}{'seal/copy':>11}",
        flush=True,
    )
    for name, data in files.items():
        kind = sniffing.sniff(data)
        assert kind is not None, name
        copy = best(lambda data=data: bytearray(data))
        stripped = best(lambda data=data, kind=kind: strip(data, kind), rounds=2)
        sealed = best(lambda data=data: seal(data, context="evidence:bench"))
        print(
            f"{name:<14}{len(data):>12,}{copy * 1000:>10.2f}{stripped * 1000:>10.1f}"
            f"{sealed * 1000:>9.1f}{stripped / copy:>12.0f}{sealed / copy:>11.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
