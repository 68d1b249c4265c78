"""Thai normalisation and segmentation: the edge cases that make two spellings of one word
differ, and the words this domain needs kept whole."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sujarit.textsearch.tokens import DOMAIN_WORDS, normalize, segmented, words


def test_thai_digits_become_arabic_digits() -> None:
    assert normalize("๑๖ มีนาคม ๒๕๖๖") == "16 มีนาคม 2566"
    assert words("ถนนพัง๑๐๐เมตร") == ["ถนน", "พัง", "100", "เมตร"]


def test_thousands_separators_are_dropped_so_amounts_match_either_way() -> None:
    assert words("ราคา ๑,๕๐๐,๐๐๐ บาท") == ["ราคา", "1500000", "บาท"]
    assert words("ราคา 1500000 บาท") == ["ราคา", "1500000", "บาท"]
    assert "1500.50" in words("1,500.50")


def test_zero_width_and_format_characters_are_removed() -> None:
    # Zero-width space, zero-width joiner, byte-order mark, soft hyphen, left-to-right mark.
    assert normalize("ทุจ\u200bริต\u200d\ufeff\u00ad\u200e") == "ทุจริต"
    assert words("การ\u200bทุจริต") == words("การทุจริต")


def test_duplicated_tone_marks_and_vowels_are_collapsed() -> None:
    assert normalize("เก่่า") == "เก่า"
    assert normalize("เเปลก") == "แปลก"  # two sara e typed for sara ae
    assert words("ทุจริตต่่อหน้าที่") == words("ทุจริตต่อหน้าที่")


def test_tone_mark_before_upper_vowel_is_put_in_standard_order() -> None:
    # กิ่ typed as tone mark (U+0E48) then sara i (U+0E34) renders the same as the standard order.
    assert normalize("ก\u0e48\u0e34ง") == normalize("ก\u0e34\u0e48ง") == "กิ่ง"


def test_sara_am_typed_as_two_characters_is_composed() -> None:
    # Nikhahit + sara aa (with the tone mark before or between them) is sara am.
    assert normalize("ท\u0e4d\u0e32") == "ทำ"
    assert normalize("น\u0e4d\u0e49\u0e32") == normalize("น\u0e49\u0e4d\u0e32") == "น้ำ"
    assert words("น\u0e49\u0e4d\u0e32ท่วม") == words("น้ำท่วม")


def test_decomposed_input_is_composed_nfc() -> None:
    assert normalize("cafe\u0301") == "caf\u00e9"


def test_case_and_whitespace_are_normalised() -> None:
    assert normalize("  Road\tBROKEN \n\n ถนน  ") == "road broken ถนน"


def test_mixed_thai_and_english_keep_english_words_and_numbers() -> None:
    assert words("ถนนพังroadที่หมู่3 COVID-19") == ["ถนน", "พัง", "road", "ที่", "หมู่", "3", "covid", "19"]
    assert words("ติดต่อ e-mail: a@b.co") == ["ติดต่อ", "e-mail", "a", "b.co"]


def test_punctuation_and_whitespace_are_not_words() -> None:
    assert words("(ด่วน)“เงินทอน” !!! ...") == ["ด่วน", "เงินทอน"]
    assert words("   \n\t ") == []
    assert words("") == []


def test_repetition_sign_is_not_a_word() -> None:
    assert words("ดีๆ") == ["ดี"]


@pytest.mark.parametrize("word", ["ศูนย์ดำรงธรรม", "สังคมสุจริต", "ป.ป.ช.", "เงินทอน", "แป๊ะเจี๊ยะ"])
def test_domain_words_stay_whole(word: str) -> None:
    assert word in DOMAIN_WORDS
    assert word in words(f"ร้องเรียน{word}เมื่อวานนี้")


def test_agency_sentence_is_segmented_with_domain_dictionary() -> None:
    assert words("ร้องเรียนศูนย์ดำรงธรรมและป.ป.ช.เพื่อสังคมสุจริต") == [
        "ร้องเรียน",
        "ศูนย์ดำรงธรรม",
        "และ",
        "ป.ป.ช.",
        "เพื่อ",
        "สังคมสุจริต",
    ]


@pytest.mark.parametrize(
    "place", ["บางคล้า", "ท่าตะเกียบ", "พนมสารคาม", "แปลงยาว", "คลองเขื่อน", "บางตีนเป็ด"]
)
def test_chachoengsao_place_names_stay_whole(place: str) -> None:
    assert place in words(f"ถนนในตำบล{place}ชำรุด")


def test_segmented_joins_words_with_single_spaces() -> None:
    assert segmented("ถนน  พัง\nมาก") == "ถนน พัง มาก"


def test_long_text_is_segmented_piece_by_piece() -> None:
    text = "ชาวบ้านร้องเรียนถนนพัง " * 2000
    assert words(text) == ["ชาวบ้าน", "ร้องเรียน", "ถนน", "พัง"] * 2000


def test_pythainlp_writes_nothing_to_home(tmp_path: Path) -> None:
    """Segmenting must not create ~/pythainlp-data or download anything."""
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n    raise RuntimeError('network used')\n"
        "socket.socket.connect = refuse\n"
        "from sujarit.textsearch.tokens import words\n"
        "assert words('ศูนย์ดำรงธรรม') == ['ศูนย์ดำรงธรรม']\n"
    )
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)  # noqa: S603
    assert list(tmp_path.iterdir()) == []
