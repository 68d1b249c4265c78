"""Evidence in an S3-compatible bucket, as ``SUJARIT_EVIDENCE_S3_BUCKET`` configures it: the
same sealed objects, the same permission-checked downloads, purge and sweep. The bucket is
moto's in-process imitation of S3: nothing leaves the machine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.test import Client
from django.utils import timezone

import pytest

from sujarit.accounts.models import User
from sujarit.cases.models import Case
from sujarit.cases.signals import personal_data_purge
from sujarit.evidence.models import EvidenceFile
from sujarit.evidence.storage import evidence_storage, read_sealed
from sujarit.evidence.sweep import sweep
from sujarit.evidence.tests import samples
from sujarit.lib.env import s3_storage

pytestmark = pytest.mark.django_db

BUCKET = "sujarit-evidence-test"


@pytest.fixture
def bucket(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A private bucket, configured the way the settings configure a real one."""
    # Test dependencies (the dev extra): a missing one is an error, not a skip.
    import boto3
    import moto

    for name, value in {
        "AWS_ACCESS_KEY_ID": "test-only",
        "AWS_SECRET_ACCESS_KEY": "test-only",
        "AWS_SESSION_TOKEN": "test-only",
        "AWS_DEFAULT_REGION": "ap-southeast-1",
    }.items():
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        client = boto3.client("s3", region_name="ap-southeast-1")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "evidence": s3_storage(bucket=BUCKET, region="ap-southeast-1"),
        }
        yield client


def _objects(client: Any) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listed
    }


def test_evidence_goes_to_the_bucket_sealed_and_private(
    bucket: Any,
    case_with_evidence: Callable[..., tuple[Case, EvidenceFile]],
    coordinator: User,
    verified_client: Callable[[User], Client],
) -> None:
    assert type(evidence_storage()).__name__ == "S3Storage"
    case, row = case_with_evidence()

    objects = _objects(bucket)
    assert list(objects) == [row.storage_name]
    stored = objects[row.storage_name]
    # Sealed: neither the photo nor anything from it is readable in the bucket.
    assert not stored.startswith(b"\xff\xd8")
    assert samples.MAKER.encode() not in stored
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=row.storage_name)
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in acl["Grants"])
    # Read back through the storage and through the permission-checked download.
    photo = read_sealed(row.storage_name, context=row.context)
    assert photo.startswith(b"\xff\xd8")
    response = verified_client(coordinator).get(f"/evidence/{row.uuid}/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    assert body == photo


def test_purge_and_sweep_delete_objects_from_the_bucket(
    bucket: Any,
    case_with_evidence: Callable[..., tuple[Case, EvidenceFile]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    case, row = case_with_evidence()
    _other_case, leftover = case_with_evidence()

    with django_capture_on_commit_callbacks(execute=True):
        personal_data_purge.send(sender=None, case=case, reason="retention")
    assert row.storage_name not in _objects(bucket)

    # A purge whose deletion failed leaves the object: the sweep finds it in the bucket.
    EvidenceFile.objects.filter(pk=leftover.pk).update(purged_at=timezone.now())
    report = sweep(delete=True)

    assert (report.examined, report.purged_leftovers, report.deleted) == (1, 1, 1)
    assert _objects(bucket) == {}
