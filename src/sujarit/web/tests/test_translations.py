"""Every app's Thai catalogue is complete, and the committed .mo matches its .po."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("*/locale/th/LC_MESSAGES/django.po"))


def test_the_site_shell_has_a_thai_catalogue() -> None:
    assert PACKAGE / "web/locale/th/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_fully_translated(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    assert not po.metadata_is_fuzzy
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]


def translations(catalogue: polib._BaseFile) -> dict[tuple[str | None, str], str]:
    return {
        (e.msgctxt, e.msgid): e.msgstr_plural[0] if e.msgid_plural else e.msgstr
        for e in catalogue
        if e.msgid and (e.msgstr or e.msgstr_plural)
    }


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_is_up_to_date(po_path: Path) -> None:
    source = translations(polib.pofile(str(po_path)))
    compiled = translations(polib.mofile(str(po_path.with_suffix(".mo"))))
    assert compiled == source, "the .mo is stale: run `make messages`"
