"""Receipt codes: the 16 digits with which a citizen follows a report without an account.

The code is *derived* from the submission's idempotency key under a secret key from the
environment (``SUJARIT_RECEIPT_KEY``, or one derived from ``SECRET_KEY``): a form or API call
that is sent twice carries the same idempotency key, finds the same report and shows the same
code, so a retry after a timeout never loses the code the citizen never saw. The database
holds neither the idempotency key nor the code, only keyed hashes of each (HMAC-SHA256 under a
second derived key), so a database dump alone reveals neither. Lookups go by the keyed hash;
the final comparison is constant-time.

The code is 15 digits from the HMAC plus a Luhn check digit, so that a mistyped code is told
apart from a wrong one.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

CODE_DIGITS = 16
_NON_DIGITS = re.compile(r"[^0-9]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _root_key() -> bytes:
    configured: str = getattr(settings, "SUJARIT_RECEIPT_KEY", "")
    if configured:
        return configured.encode()
    # Without a key of its own, the receipt key is derived from SECRET_KEY: changing
    # SECRET_KEY then invalidates every receipt code, which the settings docs warn about.
    return hmac.new(settings.SECRET_KEY.encode(), b"sujarit.receipts.root", "sha256").digest()


def _subkey(purpose: str) -> bytes:
    return hmac.new(_root_key(), f"sujarit.receipts.{purpose}".encode(), "sha256").digest()


def _hmac_hex(purpose: str, value: str) -> str:
    return hmac.new(_subkey(purpose), value.encode(), hashlib.sha256).hexdigest()


def luhn_check_digit(digits: str) -> str:
    """The Luhn digit that makes ``digits + check`` valid."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def is_well_formed(code: str) -> bool:
    """Sixteen digits whose last is the Luhn check digit of the others."""
    return (
        len(code) == CODE_DIGITS
        and code.isdigit()
        and code.isascii()
        and luhn_check_digit(code[:-1]) == code[-1]
    )


def code_for(idempotency_key: str) -> str:
    """The receipt code of the submission with this idempotency key."""
    number = int(_hmac_hex("code", idempotency_key), 16) % 10 ** (CODE_DIGITS - 1)
    body = f"{number:0{CODE_DIGITS - 1}d}"
    return body + luhn_check_digit(body)


def hash_code(code: str) -> str:
    """What the database stores of a receipt code."""
    return _hmac_hex("code-hash", code)


def hash_idempotency_key(idempotency_key: str) -> str:
    """What the database stores of a submission's idempotency key."""
    return _hmac_hex("idempotency", idempotency_key)


def normalise(text: str) -> str:
    """A typed code as digits only: Thai digits become Arabic; spaces and dashes go."""
    return _NON_DIGITS.sub("", text.translate(_THAI_DIGITS))


def matches(code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_code(code), stored_hash)


def display(code: str) -> str:
    """The code in four groups of four, as printed for the citizen: ``1234 5678 9012 3456``."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
