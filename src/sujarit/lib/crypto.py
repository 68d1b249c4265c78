"""Authenticated encryption of personal data at rest (complainant contacts, evidence files).

Keys come only from the environment (``SUJARIT_DATA_KEYS``), never from the database, so a
database dump or a copy of the storage directory alone reveals nothing. Each key has a short
name; the first key listed encrypts, every key listed decrypts. Rotating means: put a new key
first, keep the old one after it, run ``sujarit rotate-keys`` (which re-encrypts everything
under the new key), then remove the old key.

A sealed value ("token") is::

    b"SJ1" | len(key name) (1 byte) | key name (ASCII) | nonce (12 bytes) | AES-256-GCM output

The caller passes a ``context`` (for example ``"cases.complainant.phone:42"``) that is bound to
the token as associated data: a token copied into another row or column fails to open instead
of showing another person's details.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"SJ1"
NONCE_BYTES = 12
KEY_BYTES = 32


class SealError(Exception):
    """A token cannot be opened."""


class UnknownKey(SealError):
    """The token was sealed under a key that is not in ``SUJARIT_DATA_KEYS`` any more."""


class TamperedData(SealError):
    """The token is damaged, was altered, or belongs to another context."""


@dataclass(frozen=True)
class DataKey:
    name: str
    secret: bytes


def parse_keys(value: str) -> tuple[DataKey, ...]:
    """``"k2:<base64url of 32 bytes>,k1:<...>"`` → keys, current first. Raises ``ValueError``."""
    keys: list[DataKey] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, encoded = part.partition(":")
        name = name.strip()
        if not sep or not name or len(name) > 32 or not name.isascii() or not name.isalnum():
            raise ValueError("each key is name:base64 with a short alphanumeric name")
        secret = base64.urlsafe_b64decode(encoded.strip() + "=" * (-len(encoded.strip()) % 4))
        if len(secret) != KEY_BYTES:
            raise ValueError(f"key {name} must be {KEY_BYTES} bytes")
        if any(key.name == name for key in keys):
            raise ValueError(f"key name {name} is listed twice")
        keys.append(DataKey(name, secret))
    if not keys:
        raise ValueError("no key given")
    return tuple(keys)


def derived_development_key(secret_key: str) -> DataKey:
    """The key of a development site with no ``SUJARIT_DATA_KEYS``: derived from SECRET_KEY."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"sujarit data key")
    return DataKey("dev", hkdf.derive(secret_key.encode()))


def new_key_text(name: str) -> str:
    """A fresh random key as ``SUJARIT_DATA_KEYS`` expects it (``rotate-keys --new-key``)."""
    return f"{name}:{base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip('=')}"


def _keys() -> tuple[DataKey, ...]:
    from django.conf import settings

    return tuple(settings.SUJARIT_DATA_KEYS)


@lru_cache(maxsize=16)
def _cipher(secret: bytes) -> AESGCM:
    return AESGCM(secret)


def current_key_name() -> str:
    return _keys()[0].name


def key_name_of(token: bytes) -> str:
    """The name of the key a token was sealed under (without opening it)."""
    if not token.startswith(MAGIC) or len(token) < len(MAGIC) + 1:
        raise TamperedData("not a sealed value")
    length = token[len(MAGIC)]
    name = token[len(MAGIC) + 1 : len(MAGIC) + 1 + length]
    return name.decode("ascii", errors="replace")


def seal(plaintext: bytes, *, context: str) -> bytes:
    key = _keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    name = key.name.encode("ascii")
    body = _cipher(key.secret).encrypt(nonce, plaintext, context.encode())
    return MAGIC + bytes([len(name)]) + name + nonce + body


def unseal(token: bytes, *, context: str) -> bytes:
    name = key_name_of(token)
    key = next((key for key in _keys() if key.name == name), None)
    if key is None:
        raise UnknownKey(f"sealed under key {name!r}, which is not configured")
    start = len(MAGIC) + 1 + len(name)
    nonce, body = token[start : start + NONCE_BYTES], token[start + NONCE_BYTES :]
    try:
        return _cipher(key.secret).decrypt(nonce, body, context.encode())
    except InvalidTag:
        raise TamperedData("the sealed value was altered or belongs elsewhere") from None


def is_current(token: bytes) -> bool:
    """Whether the token is already sealed under the current key (rotation skips it)."""
    return key_name_of(token) == current_key_name()
