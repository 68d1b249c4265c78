"""The hash chain: a fresh chain verifies on both databases; any change, deletion or
reordering made behind the ORM's back is found and named; appends from concurrent writers
stay one contiguous chain."""

from __future__ import annotations

import json
import multiprocessing
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.audit.actions import record
from sujarit.audit.canonical import GENESIS_HASH, AuditDataError, event_hash
from sujarit.audit.chain import anchor_digest, verify_chain
from sujarit.audit.models import AuditEvent, ChainCheck

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="truly concurrent writers need PostgreSQL (SQLite serialises them)",
)


def write_events(actor: User, agency: Agency, count: int = 5) -> list[AuditEvent]:
    """Events with what the databases tend to rewrite: Thai text, nested mappings whose keys
    are out of order, fractions, whole floats, negative numbers, nulls and lists."""
    return [
        record(
            actor=actor if n % 2 else None,
            action=f"test.step_{n}",
            target=agency if n % 3 else None,
            data={
                "zeta": n,
                "alpha": f"ตรวจสอบ ครั้งที่ {n}",
                "nested": {"b": [1, 2.5, None, True], "a": {"y": -n, "x": 0.1 * n}},
                "whole": 3.0,
                "big": 1e15,
            },
        )
        for n in range(count)
    ]


def raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def json_param() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


# --- a fresh chain ---------------------------------------------------------------------------


def test_a_fresh_chain_verifies_from_the_values_read_back(
    coordinator: User, agency_a: Agency
) -> None:
    before = AuditEvent.objects.count()
    events = write_events(coordinator, agency_a, 6)
    result = verify_chain()
    assert result.ok, result.broken
    assert result.checked == before + 6
    assert result.head_seq == events[-1].seq == before + 6
    assert result.head_hash == events[-1].hash
    stored = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in stored] == list(range(1, before + 7))
    assert stored[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(stored, stored[1:], strict=False))


def test_each_event_links_to_the_one_before(coordinator: User, agency_a: Agency) -> None:
    first, second = write_events(coordinator, agency_a, 2)
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    assert len(second.hash) == 64 and second.hash != first.hash


def test_the_hash_covers_every_field(coordinator: User) -> None:
    event = record(actor=coordinator, action="x.done", data={"n": 1})
    fields = {
        "seq": event.seq,
        "prev_hash": event.prev_hash,
        "at": event.at,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "data": event.data,
    }
    assert event_hash(**fields) == event.hash
    changed = {
        "seq": event.seq + 1,
        "prev_hash": "f" * 64,
        "at": datetime(2026, 1, 1, tzinfo=UTC),
        "actor_id": None,
        "actor_label": "someone",
        "action": "x.undone",
        "target_type": "cases.case",
        "target_id": "7",
        "data": {"n": 2},
    }
    for name, value in changed.items():
        assert event_hash(**{**fields, name: value}) != event.hash, name


def test_whole_floats_are_stored_as_integers_and_unkeepable_numbers_refused(
    coordinator: User,
) -> None:
    event = record(actor=coordinator, action="x.counted", data={"n": 2.0, "f": 0.5})
    assert AuditEvent.objects.get(pk=event.pk).data == {"n": 2, "f": 0.5}
    for bad in (float("nan"), float("inf"), 2**60, {1, 2}):
        with pytest.raises(AuditDataError):
            record(actor=coordinator, action="x.counted", data={"n": bad})
    assert verify_chain().ok


# --- tampering -------------------------------------------------------------------------------


def test_data_changed_with_raw_sql_is_found_at_that_event(
    coordinator: User, agency_a: Agency
) -> None:
    events = write_events(coordinator, agency_a)
    victim = events[2]
    raw(
        f"UPDATE audit_auditevent SET data = {json_param()} WHERE id = %s",  # noqa: S608
        [json.dumps({**victim.data, "zeta": 99}), victim.pk],
    )
    result = verify_chain()
    assert result.broken is not None
    assert (result.broken.kind, result.broken.seq, result.broken.id) == (
        "changed",
        victim.seq,
        victim.pk,
    )
    assert result.checked == victim.seq - 1


def test_an_action_renamed_with_raw_sql_is_found(coordinator: User, agency_a: Agency) -> None:
    victim = write_events(coordinator, agency_a)[0]
    raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.nothing", victim.pk])
    broken = verify_chain().broken
    assert broken is not None and (broken.kind, broken.seq) == ("changed", victim.seq)


def test_a_deleted_event_leaves_a_gap_named_by_sequence(
    coordinator: User, agency_a: Agency
) -> None:
    events = write_events(coordinator, agency_a)
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    broken = verify_chain().broken
    assert broken is not None
    assert (broken.kind, broken.seq, broken.id) == ("gap", events[3].seq, events[3].pk)
    assert str(events[2].seq) in broken.detail


def test_events_deleted_from_the_start_leave_a_gap(coordinator: User, agency_a: Agency) -> None:
    write_events(coordinator, agency_a)
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [1])
    broken = verify_chain().broken
    assert broken is not None and (broken.kind, broken.seq) == ("gap", 2)


def test_swapped_sequence_numbers_are_found_at_the_first_moved_event(
    coordinator: User, agency_a: Agency
) -> None:
    events = write_events(coordinator, agency_a)
    a, b = events[1], events[3]
    # Through a free number, since two events may not share one.
    raw("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [-1, a.pk])
    raw("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
    raw("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
    broken = verify_chain().broken
    assert broken is not None
    assert (broken.seq, broken.id) == (a.seq, b.pk)


def test_rows_whose_whole_contents_were_swapped_are_out_of_order(
    coordinator: User, agency_a: Agency
) -> None:
    """Swapping every column but the id keeps each row's hash right and every link intact
    when read by sequence: only the ids, which grow with the sequence, show it."""
    events = write_events(coordinator, agency_a)
    a, b = events[1], events[2]
    columns = ["at", "actor_id", "actor_label", "action", "target_type", "target_id", "data"]
    columns += ["seq", "prev_hash", "hash"]

    def put(event: AuditEvent, pk: int, seq: int) -> None:
        values = [getattr(event, c) for c in columns]
        values[columns.index("data")] = json.dumps(event.data)
        values[columns.index("seq")] = seq
        assignments = ", ".join(f"{c} = {json_param() if c == 'data' else '%s'}" for c in columns)
        # Column names from the list above, values as parameters.
        raw(f"UPDATE audit_auditevent SET {assignments} WHERE id = %s", [*values, pk])  # noqa: S608

    put(a, a.pk, -1)
    put(a, b.pk, a.seq)
    put(b, a.pk, b.seq)
    broken = verify_chain().broken
    assert broken is not None
    assert (broken.kind, broken.seq, broken.id) == ("out_of_order", b.seq, a.pk)


# --- anchors ---------------------------------------------------------------------------------


def test_an_anchor_catches_the_log_cut_short(coordinator: User, agency_a: Agency) -> None:
    events = write_events(coordinator, agency_a)
    anchor = anchor_digest()
    assert (anchor["seq"], anchor["hash"]) == (events[-1].seq, events[-1].hash)
    assert verify_chain(anchor=anchor).ok
    record(actor=coordinator, action="x.later")
    assert verify_chain(anchor=anchor).ok
    # Deleting the newest events leaves a shorter chain that is intact in itself.
    raw("DELETE FROM audit_auditevent WHERE seq >= %s", [events[-1].seq])
    assert verify_chain().ok
    broken = verify_chain(anchor=anchor).broken
    assert broken is not None and (broken.kind, broken.seq) == ("anchor_missing", anchor["seq"])


def test_an_anchor_catches_a_chain_rewritten_after_a_change(
    coordinator: User, agency_a: Agency
) -> None:
    """Whoever can write to the database can change an event and recompute every hash after
    it; the chain then verifies, but no longer contains the anchored hash."""
    events = write_events(coordinator, agency_a)
    anchor = anchor_digest()
    rows = list(AuditEvent.objects.filter(seq__gte=events[1].seq).order_by("seq"))
    prev_hash = events[0].hash
    for event in rows:
        event.action = "test.rewritten" if event.pk == events[1].pk else event.action
        event.prev_hash = prev_hash
        event.hash = event_hash(
            seq=event.seq,
            prev_hash=prev_hash,
            at=event.at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            data=event.data,
        )
        raw(
            "UPDATE audit_auditevent SET action = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.action, event.prev_hash, event.hash, event.pk],
        )
        prev_hash = event.hash
    assert verify_chain().ok
    broken = verify_chain(anchor=anchor).broken
    assert broken is not None and (broken.kind, broken.seq) == ("anchor_changed", anchor["seq"])


# --- the command -----------------------------------------------------------------------------


def test_verify_command_counts_an_intact_chain(
    coordinator: User, agency_a: Agency, capsys: pytest.CaptureFixture[str]
) -> None:
    events = write_events(coordinator, agency_a)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert str(AuditEvent.objects.count()) in out
    assert events[-1].hash in out


def test_verify_command_fails_naming_the_break(coordinator: User, agency_a: Agency) -> None:
    events = write_events(coordinator, agency_a)
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    assert raised.value.returncode == 1
    # The message is in the site's language (Thai): it names the event by sequence and id.
    message = str(raised.value)
    assert f"{events[2].seq} (รหัส {events[2].pk})" in message
    assert f"ลำดับที่ {events[1].seq} หายไป" in message


def test_anchor_command_writes_a_digest_that_verify_checks(
    coordinator: User, agency_a: Agency, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = write_events(coordinator, agency_a)
    path = tmp_path / "anchor.json"
    call_command("audit", "anchor", "--output", str(path))
    printed = json.loads(capsys.readouterr().out)
    assert json.loads(path.read_text()) == printed
    assert (printed["seq"], printed["hash"]) == (events[-1].seq, events[-1].hash)
    call_command("audit", "verify", "--anchor", str(path))
    assert str(events[-1].seq) in capsys.readouterr().out
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    with pytest.raises(CommandError, match=str(events[-1].seq)):
        call_command("audit", "verify", "--anchor", str(path))


def test_verify_command_refuses_a_file_that_is_not_an_anchor(tmp_path: Path) -> None:
    path = tmp_path / "anchor.json"
    path.write_text('{"seq": "x"}')
    with pytest.raises(CommandError, match="anchor.json"):
        call_command("audit", "verify", "--anchor", str(path))
    with pytest.raises(CommandError, match="missing.json"):
        call_command("audit", "verify", "--anchor", str(tmp_path / "missing.json"))


def test_anchor_of_an_empty_log_is_the_genesis() -> None:
    AuditEvent.objects.all().delete()  # the queryset's delete: only a test empties the log
    anchor = anchor_digest()
    assert (anchor["seq"], anchor["hash"]) == (0, GENESIS_HASH)
    assert verify_chain(anchor=anchor).ok


# --- concurrent writers ----------------------------------------------------------------------


def assert_contiguous_and_intact(expected: int) -> None:
    result = verify_chain()
    assert result.ok, result.broken
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert result.checked == len(seqs) >= expected


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_threads_append_one_contiguous_chain(agency_a: Agency) -> None:
    threads_count, per_thread = 6, 15
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                # Each in a transaction that does other work after recording, as actions do,
                # so that writers really overlap while one holds the chain lock.
                with transaction.atomic():
                    record(actor=None, action="test.concurrent", target=agency_a, data={"n": n})
                    Agency.objects.filter(pk=agency_a.pk).exists()
                if i % 5 == 0:
                    record(actor=None, action="test.autocommit", data={"n": n})
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 90
    assert_contiguous_and_intact(90 + 18)


def _write_in_child(count: int) -> None:
    # A forked child must not use the parent's connection: it opens its own.
    connections.close_all()
    for n in range(count):
        record(actor=None, action="test.process", data={"n": n})
    connections.close_all()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_append_one_contiguous_chain() -> None:
    connections.close_all()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_write_in_child, args=(20,)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    assert AuditEvent.objects.filter(action="test.process").count() == 80
    assert_contiguous_and_intact(80)


def test_verify_command_keeps_its_outcome_for_the_status_page(
    coordinator: User, agency_a: Agency
) -> None:
    events = write_events(coordinator, agency_a)
    call_command("audit", "verify")
    call_command("audit", "verify", "--no-save")
    assert ChainCheck.objects.count() == 1
    assert ChainCheck.objects.get().ok
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    latest = ChainCheck.objects.first()
    assert latest is not None and not latest.ok
    assert (latest.break_kind, latest.break_seq, latest.break_event_id) == (
        "gap",
        events[2].seq,
        events[2].pk,
    )


def test_several_deleted_events_are_named_as_a_range(coordinator: User, agency_a: Agency) -> None:
    events = write_events(coordinator, agency_a)
    raw("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[1].pk, events[2].pk])
    broken = verify_chain().broken
    assert broken is not None and (broken.kind, broken.seq) == ("gap", events[3].seq)
    assert f"{events[1].seq}–{events[2].seq}" in broken.detail


def test_a_sequence_number_moved_before_the_start_is_out_of_order(
    coordinator: User, agency_a: Agency
) -> None:
    events = write_events(coordinator, agency_a)
    raw("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [0, events[2].pk])
    broken = verify_chain().broken
    assert broken is not None and (broken.kind, broken.seq, broken.id) == (
        "out_of_order",
        0,
        events[2].pk,
    )
