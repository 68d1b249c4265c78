"""Sealed evidence files in Django's storage (``STORAGES["evidence"]``, or ``default``).

Each file is written once under a random name with no extension, as the output of
``sujarit.lib.crypto.seal`` bound to its row (``evidence:<uuid>``): the storage directory
(or bucket) alone shows neither what a file is nor what it holds. Storage writes are not
part of a database transaction, so callers write the file first, insert the row, and delete
the file again if the transaction fails (``written_files``); a crash in between leaves an
unreadable orphan, never a row without its file.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction

from sujarit.lib import crypto

#: Folder of the storage that holds evidence.
FOLDER = "evidence"


def evidence_storage() -> Storage:
    alias = "evidence" if "evidence" in settings.STORAGES else "default"
    return storages[alias]


def new_storage_name() -> str:
    # Two levels of folders keep directories small on a local disk.
    token = secrets.token_hex(20)
    return f"{FOLDER}/{token[:2]}/{token}"


def write_sealed(data: bytes, *, context: str) -> tuple[str, str]:
    """Seal ``data`` and store it under a new name; returns (storage name, key name)."""
    token = crypto.seal(data, context=context)
    name = new_storage_name()
    stored = evidence_storage().save(name, ContentFile(token))
    if stored != name:
        # The storage refused our name (it would add a suffix to avoid overwriting): a
        # collision of 160 random bits means something is wrong; do not guess.
        evidence_storage().delete(stored)
        raise OSError("the storage did not keep the evidence file's name")
    return name, crypto.key_name_of(token)


def read_sealed(name: str, *, context: str) -> bytes:
    with evidence_storage().open(name, "rb") as handle:
        token = handle.read()
    return crypto.unseal(token, context=context)


def delete_stored(name: str) -> None:
    evidence_storage().delete(name)


@contextmanager
def written_files() -> Iterator[list[str]]:
    """Collects the names written inside the block; if the block fails, deletes them.

    Used around the transaction that inserts the rows, so that a refused or failed
    transaction leaves no file behind.
    """
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            delete_stored(name)
        raise


def reseal_file(evidence: object) -> None:
    """Write ``evidence``'s file again under the current key: new file, then the row, then
    the old file is deleted once the row is committed. A crash before the commit leaves the
    old file and row as they were (plus an orphan); after it, an orphan old file at worst."""
    from sujarit.evidence.models import EvidenceFile

    assert isinstance(evidence, EvidenceFile)
    if evidence.purged_at is not None or evidence.key_name == crypto.current_key_name():
        return
    plaintext = read_sealed(evidence.storage_name, context=evidence.context)
    old_name = evidence.storage_name
    with written_files() as names, transaction.atomic():
        new_name, key_name = write_sealed(plaintext, context=evidence.context)
        names.append(new_name)
        evidence.storage_name = new_name
        evidence.key_name = key_name
        evidence.save(update_fields=["storage_name", "key_name"])
        transaction.on_commit(lambda: delete_stored(old_name))
