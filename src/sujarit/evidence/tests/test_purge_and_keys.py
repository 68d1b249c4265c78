"""Purging a case's personal data deletes its files; rotating keys re-seals them."""

from __future__ import annotations

from typing import Any

import pytest

from sujarit.cases.signals import personal_data_purge
from sujarit.evidence.models import EvidenceFile
from sujarit.evidence.storage import read_sealed
from sujarit.evidence.tests.conftest import stored_files
from sujarit.lib.crypto import DataKey, current_key_name, key_name_of

pytestmark = pytest.mark.django_db


def test_purge_deletes_the_files_once_committed_and_keeps_the_rows(
    case_with_evidence, evidence_dir, django_capture_on_commit_callbacks
):
    case, row = case_with_evidence()
    other_case, other_row = case_with_evidence()
    assert len(stored_files(evidence_dir)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        responses = personal_data_purge.send(sender=None, case=case, reason="retention")

    counts: list[Any] = [count for _receiver, count in responses]
    assert 1 in counts
    row.refresh_from_db()
    assert row.purged_at is not None
    assert [path.name for path in stored_files(evidence_dir)] == [
        other_row.storage_name.rsplit("/", 1)[1]
    ]
    # A second purge finds nothing left to delete.
    with django_capture_on_commit_callbacks(execute=True):
        again = personal_data_purge.send(sender=None, case=case, reason="retention")
    counts = [count for _receiver, count in again]
    assert 0 in counts and 1 not in counts


def test_a_purge_that_rolls_back_deletes_nothing(case_with_evidence, evidence_dir):
    from django.db import transaction

    case, row = case_with_evidence()
    with pytest.raises(RuntimeError), transaction.atomic():
        personal_data_purge.send(sender=None, case=case, reason="retention")
        raise RuntimeError("purge failed")
    row.refresh_from_db()
    assert row.purged_at is None
    assert len(stored_files(evidence_dir)) == 1


def test_reseal_moves_a_file_to_the_current_key(
    case_with_evidence, evidence_dir, settings, django_capture_on_commit_callbacks
):
    case, row = case_with_evidence()
    old_key = current_key_name()
    plaintext = read_sealed(row.storage_name, context=row.context)
    old_name = row.storage_name
    assert EvidenceFile.sealed_key_field == "key_name"

    settings.SUJARIT_DATA_KEYS = (DataKey("k2", b"\x02" * 32), *settings.SUJARIT_DATA_KEYS)
    with django_capture_on_commit_callbacks(execute=True):
        row.reseal()

    row.refresh_from_db()
    assert row.key_name == "k2" != old_key
    assert row.storage_name != old_name
    assert key_name_of((evidence_dir / row.storage_name).read_bytes()) == "k2"
    assert read_sealed(row.storage_name, context=row.context) == plaintext
    assert not (evidence_dir / old_name).exists()
    assert len(stored_files(evidence_dir)) == 1
    # Once on the current key, resealing changes nothing.
    name = row.storage_name
    row.reseal()
    assert row.storage_name == name
