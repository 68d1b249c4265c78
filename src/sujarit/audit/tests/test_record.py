from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.test import Client

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.audit.actions import record
from sujarit.audit.models import AuditEvent, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_record_keeps_actor_action_target_and_data(coordinator: User, agency_a: Agency) -> None:
    event = record(actor=coordinator, action="agency.viewed", target=agency_a, data={"n": 1})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == coordinator
    assert stored.actor_label == coordinator.username
    assert stored.action == "agency.viewed"
    assert (stored.target_type, stored.target_id) == ("agencies.agency", str(agency_a.pk))
    assert stored.data == {"n": 1}
    assert stored.at is not None


@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_events_without_a_signed_in_actor_are_from_the_system(actor: object) -> None:
    event = record(actor=actor, action="geo.loaded", data={"provinces": 77})
    assert event.actor is None
    assert event.actor_label == "system"
    assert (event.target_type, event.target_id) == ("", "")


def test_a_written_event_cannot_be_changed_or_deleted(coordinator: User) -> None:
    event = record(actor=coordinator, action="x.done")
    event.action = "x.undone"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x.done"


def test_events_are_kept_in_the_order_written(coordinator: User) -> None:
    for n in range(3):
        record(actor=coordinator, action=f"step.{n}")
    steps = AuditEvent.objects.filter(action__startswith="step.")
    assert list(steps.values_list("action", flat=True)) == [
        "step.0",
        "step.1",
        "step.2",
    ]


def test_admin_lists_events_read_only(
    admin_user: User, verified_client: Callable[[User], Client]
) -> None:
    record(actor=admin_user, action="agency.imported")
    client = verified_client(admin_user)
    response = client.get("/admin/audit/auditevent/")
    assert response.status_code == 200
    assert "agency.imported" in response.content.decode()
    event = AuditEvent.objects.get(action="agency.imported")
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
