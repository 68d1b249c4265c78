from __future__ import annotations

import base64
from typing import Any

import pytest

from sujarit.lib import crypto

#: The key set the test settings carry (pyproject's pytest env): one key named test1.
CONTEXT = "cases.complainant.phone:42"


def _key(name: str, fill: int) -> str:
    return f"{name}:{base64.urlsafe_b64encode(bytes([fill]) * 32).decode().rstrip('=')}"


def test_sealed_text_opens_to_the_same_bytes() -> None:
    token = crypto.seal("0812345678 นางสมศรี".encode(), context=CONTEXT)
    assert crypto.unseal(token, context=CONTEXT).decode() == "0812345678 นางสมศรี"
    assert crypto.key_name_of(token) == "test1" and crypto.is_current(token)


def test_a_token_shows_nothing_of_its_plaintext() -> None:
    token = crypto.seal(b"somsri@example.com", context=CONTEXT)
    assert b"somsri" not in token and b"example" not in token


def test_sealing_twice_gives_different_tokens() -> None:
    assert crypto.seal(b"same", context=CONTEXT) != crypto.seal(b"same", context=CONTEXT)


@pytest.mark.parametrize(
    "context", ["cases.complainant.phone:43", "cases.complainant.email:42", ""]
)
def test_a_token_moved_to_another_row_or_column_does_not_open(context: str) -> None:
    token = crypto.seal(b"0812345678", context=CONTEXT)
    with pytest.raises(crypto.TamperedData):
        crypto.unseal(token, context=context)


def test_every_altered_byte_of_the_nonce_or_ciphertext_is_detected() -> None:
    token = crypto.seal(b"0812345678", context=CONTEXT)
    header = len(crypto.MAGIC) + 1 + len("test1")
    for position in range(header, len(token)):
        altered = bytearray(token)
        altered[position] ^= 0x01
        with pytest.raises(crypto.TamperedData):
            crypto.unseal(bytes(altered), context=CONTEXT)


def test_a_truncated_token_does_not_open() -> None:
    token = crypto.seal(b"0812345678", context=CONTEXT)
    with pytest.raises(crypto.TamperedData):
        crypto.unseal(token[:-1], context=CONTEXT)


@pytest.mark.parametrize("token", [b"", b"SJ", b"plain text", b"XX1\x05test1"])
def test_what_is_not_a_token_is_refused(token: bytes) -> None:
    with pytest.raises(crypto.TamperedData):
        crypto.unseal(token, context=CONTEXT)


def test_a_token_under_an_unknown_key_says_which_key(settings: Any) -> None:
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(_key("gone", 7))
    token = crypto.seal(b"0812345678", context=CONTEXT)
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(_key("k2", 8))
    with pytest.raises(crypto.UnknownKey, match="'gone'"):
        crypto.unseal(token, context=CONTEXT)


def test_a_key_with_the_same_name_but_other_bytes_does_not_open(settings: Any) -> None:
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(_key("k1", 1))
    token = crypto.seal(b"0812345678", context=CONTEXT)
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(_key("k1", 2))
    with pytest.raises(crypto.TamperedData):
        crypto.unseal(token, context=CONTEXT)


def test_the_old_key_still_opens_after_a_new_key_is_put_first(settings: Any) -> None:
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(_key("k1", 1))
    old = crypto.seal(b"0812345678", context=CONTEXT)
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(f"{_key('k2', 2)},{_key('k1', 1)}")
    assert crypto.current_key_name() == "k2"
    assert crypto.unseal(old, context=CONTEXT) == b"0812345678"
    assert not crypto.is_current(old)
    new = crypto.seal(b"0812345678", context=CONTEXT)
    assert crypto.key_name_of(new) == "k2" and crypto.is_current(new)


def test_keys_parse_in_order_with_spaces_and_padding_left_out() -> None:
    keys = crypto.parse_keys(f" {_key('k2', 2)} , {_key('k1', 1)},")
    assert [key.name for key in keys] == ["k2", "k1"]
    assert keys[0].secret == bytes([2]) * 32


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "no key given"),
        (" , ", "no key given"),
        ("AAAA", "name:base64"),
        (":" + _key("x", 1).split(":")[1], "name:base64"),
        ("bad-name:" + _key("x", 1).split(":")[1], "name:base64"),
        ("ชื่อ:" + _key("x", 1).split(":")[1], "name:base64"),
        ("k" * 33 + ":" + _key("x", 1).split(":")[1], "name:base64"),
        ("short:" + base64.urlsafe_b64encode(b"x" * 16).decode(), "must be 32 bytes"),
        (f"{_key('k1', 1)},{_key('k1', 2)}", "listed twice"),
    ],
)
def test_bad_key_settings_are_refused_with_a_reason(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        crypto.parse_keys(value)


def test_a_new_key_line_parses_and_is_random() -> None:
    first, second = crypto.new_key_text("k3"), crypto.new_key_text("k3")
    assert first != second
    (key,) = crypto.parse_keys(first)
    assert key.name == "k3" and len(key.secret) == crypto.KEY_BYTES


def test_the_development_key_is_derived_from_the_secret_key() -> None:
    one = crypto.derived_development_key("secret one")
    assert one == crypto.derived_development_key("secret one")
    assert one.secret != crypto.derived_development_key("secret two").secret
    assert one.name == "dev" and len(one.secret) == crypto.KEY_BYTES
