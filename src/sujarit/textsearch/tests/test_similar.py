"""The duplicate search on its own: Thai-aware shingles and the index (no database)."""

from __future__ import annotations

from sujarit.textsearch.similar import (
    SimilarityIndex,
    features,
    from_bytes,
    jaccard,
    shingles,
    to_bytes,
)
from sujarit.textsearch.tokens import forget_pieces, words

FIRST = "ชาวบ้านหมู่ที่ 6 ตำบลบางวัว ไม่มีน้ำประปาใช้ เจ้าหน้าที่บอกว่าไม่มีงบประมาณ ครับ"
# The same report as someone else writes it: Thai digits, abbreviations, another particle.
SECOND = "ประชาชนม.๖ ต.บางวัว ไม่มีน้ำประปาใช้ จนท.บอกว่าไม่มีงบประมาณ ค่ะ"
OTHER = "โรงเรียนวัดตะเคียน เรียกเงินค่าแป๊ะเจี๊ยะจากผู้ปกครองคนละ 20,000 บาท"


def test_piecewise_segmentation_gives_the_words_of_the_whole_text() -> None:
    forget_pieces()
    assert features(OTHER) == words(OTHER)  # nothing to write out or drop here
    assert features(OTHER) == features(OTHER)  # the second time from memory
    assert "ค่า" in features(OTHER)  # a fee, not a particle


def test_variants_of_one_report_share_their_shingles() -> None:
    assert features(SECOND)[:5] == features(FIRST)[:5] == ["ชาวบ้าน", "หมู่", "6", "ตำบล", "บางวัว"]
    assert "ครับ" not in features(FIRST) and "ค่ะ" not in features(SECOND)
    # Written out and without particles, the two spellings are the same text.
    assert jaccard(shingles(FIRST), shingles(SECOND)) == 1.0
    assert jaccard(shingles(FIRST), shingles(OTHER)) == 0.0


def test_fingerprint_bytes_round_trip() -> None:
    hashes = shingles(FIRST)
    assert list(from_bytes(to_bytes(hashes))) == hashes
    assert len(to_bytes(hashes)) == 4 * len(hashes)


def test_index_lists_the_variant_first_and_excludes_the_query() -> None:
    index = SimilarityIndex()
    for doc_id, text in ((1, FIRST), (2, OTHER), (3, SECOND)):
        index.add(doc_id, shingles(text))
    index.add(1, shingles(OTHER))  # a second add of an id changes nothing
    matches = index.top(shingles(SECOND), exclude=[3])
    assert [m.id for m in matches] == [1]
    assert matches[0].score == 1.0
    assert index.shingles_of(1) == shingles(FIRST)
    assert 3 in index and 4 not in index and index.last_id == 3
    assert index.top(shingles(OTHER), exclude=[2]) == []
    assert SimilarityIndex().top(shingles(FIRST)) == []


def test_amounts_written_differently_are_one_number() -> None:
    forms = [
        "ผู้รับเหมาเรียกเงิน 1,500,000 บาท",
        "ผู้รับเหมาเรียกเงิน ๑,๕๐๐,๐๐๐ บาท",
        "ผู้รับเหมาเรียกเงิน 1.5 ล้านบาท",
        "ผู้รับเหมาเรียกเงิน ประมาณ 1500000 บาท",
        "ผู้รับเหมาเรียกเงิน ราว 15 แสนบาท",
    ]
    assert {tuple(features(form)) for form in forms} == {
        ("ผู้รับเหมา", "เรียก", "เงิน", "1500000", "บาท")
    }
    # A different amount stays different; a hedge without a number is a word.
    assert "2500000" in features("เรียกเงิน 2.5 ล้านบาท")
    assert features("ราวสะพานพัง")[0] == "ราว"
    assert features("ร่วมประชุม 3 ครั้ง") == ["ร่วม", "ประชุม", "3", "ครั้ง"]


def test_dates_written_differently_are_one_month_of_the_buddhist_era() -> None:
    forms = [
        "ถนนพังเมื่อวันที่ 12 มีนาคม 2568",
        "ถนนพังเมื่อ 12 มี.ค. 68",
        "ถนนพังเมื่อ ๑๒ มี.ค. ๒๕๖๘",
        "ถนนพังเมื่อเดือนมีนาคม 2568",
        "ถนนพังเมื่อ 12 มีนาคม 2025",
    ]
    assert {tuple(features(form)) for form in forms} == {("ถนน", "พัง", "เมื่อ", "2568-03")}
    assert features("ตั้งแต่เดือนพฤศจิกายน") == ["ตั้งแต่", "เดือน11"]
    assert features("3 พ.ย. 67")[-1] == "2567-11"
    # A number after a month that is no year is left alone.
    assert features("มีนาคม 150 บาท") == ["เดือน03", "150", "บาท"]
    # มี and พ are words on their own outside the abbreviations.
    assert features("มีคนเห็น") == ["มี", "คน", "เห็น"]


def test_retellings_with_other_amount_and_date_forms_are_the_same_shingles() -> None:
    first = "อบต.บางวัว จ่ายค่าถนน 2,400,000 บาท เมื่อวันที่ 5 มกราคม 2568 แต่ถนนยังไม่เสร็จ"
    second = "อบต.บางวัว จ่ายค่าถนน 2.4 ล้านบาท เมื่อ 5 ม.ค. 68 แต่ถนนยังไม่เสร็จ"
    assert jaccard(shingles(first), shingles(second)) == 1.0
