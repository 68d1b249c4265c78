"""The hash chain over the audit log: canonical form, hashing, the append lock and verification.

Every event's hash is SHA-256 over a canonical JSON serialisation of its content, its place in
the chain (``seq``) and the hash of the event before it (``prev_hash``). Changing an event's
content changes its hash; deleting one leaves a gap in ``seq``; moving one breaks the link
from the next event. ``verify_chain`` recomputes everything from the values read back from
the database, so the stored form is what is checked, never a cached copy.

The serialisation itself is in ``sujarit.audit.canonical``, which the data migration shares.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db import connection
from django.utils.translation import gettext as _

from sujarit.audit.canonical import GENESIS_HASH, canonical_time, event_hash
from sujarit.audit.models import AuditEvent

#: The key of the PostgreSQL advisory lock that serialises appends to the chain. Any fixed
#: 64-bit number works; this one spells "sujarit\x01" in ASCII, so it will not collide with a
#: lock another part of the project takes by accident.
CHAIN_LOCK_KEY = 0x73756A6172697401

#: Events read per query when verifying, so that memory stays bounded on any length of log.
BATCH_SIZE = 2000


class ChainedEvent(Protocol):
    """What hashing and verification read of an event: a model instance or a row of
    ``events_in_chain_order``."""

    @property
    def id(self) -> int: ...
    @property
    def seq(self) -> int: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def actor_label(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def target_type(self) -> str: ...
    @property
    def target_id(self) -> str: ...
    @property
    def data(self) -> Any: ...


#: The fields ``events_in_chain_order`` reads.
CHAIN_FIELDS = (
    "id",
    "seq",
    "prev_hash",
    "hash",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "data",
)


def hash_of(event: ChainedEvent) -> str:
    """The hash ``event`` should have, recomputed from its fields as they are now."""
    return event_hash(
        seq=event.seq,
        prev_hash=event.prev_hash,
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        data=event.data,
    )


def lock_chain() -> None:
    """Take the append lock until the current transaction ends.

    On PostgreSQL an advisory transaction lock: a second writer waits here until the first
    commits or rolls back, then reads the head the first one wrote (each statement of a READ
    COMMITTED transaction sees what was committed before it started). SQLite needs nothing:
    the project opens every transaction with ``BEGIN IMMEDIATE``, which already lets one writer
    in at a time. The unique ``seq`` is the last guard: a fork would fail to insert.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def head() -> AuditEvent | None:
    """The last event of the chain."""
    return AuditEvent.objects.order_by("-seq").first()


def head_link() -> tuple[int, str]:
    """The sequence number and hash a new event follows: the head's, or (0, genesis).

    Plain SQL on the unique index of ``seq``, reading two columns: this runs under the append
    lock on every write of the site, so it is kept as short as a query can be.
    """
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row is not None else (0, GENESIS_HASH)


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """Where and how the chain is broken."""

    #: ``changed``: the event's content no longer matches its hash;
    #: ``gap``: events are missing before this one (deleted);
    #: ``out_of_order``: this event was written before the one it follows;
    #: ``unlinked``: the event does not name the hash of the event before it;
    #: ``anchor_missing`` / ``anchor_changed``: the anchored event is gone or different.
    kind: str
    seq: int
    id: int | None
    detail: str


@dataclass(frozen=True)
class Verification:
    checked: int
    head_seq: int | None
    head_hash: str | None
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def events_in_chain_order(batch_size: int = BATCH_SIZE) -> Iterator[ChainedEvent]:
    """Every event by ``seq``, read in batches by keyset (never the whole log at once), as
    plain rows (no model instances: verification reads millions)."""
    after: int | None = None
    while True:
        rows = AuditEvent.objects.order_by("seq").values_list(*CHAIN_FIELDS, named=True)
        if after is not None:
            rows = rows.filter(seq__gt=after)
        batch = list(rows[:batch_size])
        if not batch:
            return
        yield from batch
        after = batch[-1].seq


def verify_chain(
    *,
    anchor: Mapping[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> Verification:
    """Walk the whole chain and report the first break, if any.

    ``anchor`` is a digest written earlier by ``anchor_digest``: its event must still be in
    the chain with the same hash (this catches a chain rewritten from that point on, or cut
    short, which the chain alone cannot show). ``progress`` is called with the number of
    events checked so far, every batch.
    """
    previous: ChainedEvent | None = None
    checked = 0
    anchor_seq = int(anchor["seq"]) if anchor is not None else None
    # Anchoring an empty log anchors the genesis, which every chain starts from.
    anchor_seen = anchor_seq == 0
    for event in events_in_chain_order(batch_size):
        broken = _check_link(previous, event)
        if broken is None and hash_of(event) != event.hash:
            broken = Break(
                "changed",
                event.seq,
                event.id,
                _("its content does not match its hash (changed after it was written)"),
            )
        if broken is None and anchor is not None and event.seq == anchor_seq:
            anchor_seen = True
            if event.hash != anchor["hash"]:
                broken = Break(
                    "anchor_changed",
                    event.seq,
                    event.id,
                    _("its hash differs from the anchor's"),
                )
        if broken is not None:
            return Verification(checked, _seq(previous), _hash(previous), broken)
        previous = event
        checked += 1
        if progress is not None and checked % batch_size == 0:
            progress(checked)
    if anchor is not None and not anchor_seen:
        return Verification(
            checked,
            _seq(previous),
            _hash(previous),
            Break(
                "anchor_missing",
                anchor_seq or 0,
                None,
                _("the anchored event is no longer in the chain (deleted, or the log cut short)"),
            ),
        )
    return Verification(checked, _seq(previous), _hash(previous), None)


def _check_link(previous: ChainedEvent | None, event: ChainedEvent) -> Break | None:
    expected_seq = 1 if previous is None else previous.seq + 1
    if event.seq < expected_seq:
        # Only a sequence number rewritten by hand comes before 1 (seq is unique otherwise).
        return Break(
            "out_of_order",
            event.seq,
            event.id,
            _("its sequence number comes before %(expected)s, the first expected")
            % {"expected": expected_seq},
        )
    if event.seq == expected_seq + 1:
        return Break(
            "gap",
            event.seq,
            event.id,
            _("event %(seq)s is missing (deleted)") % {"seq": expected_seq},
        )
    if event.seq > expected_seq:
        return Break(
            "gap",
            event.seq,
            event.id,
            _("events %(first)s–%(last)s are missing (deleted)")
            % {"first": expected_seq, "last": event.seq - 1},
        )
    if previous is not None and event.id < previous.id:
        return Break(
            "out_of_order",
            event.seq,
            event.id,
            _("it was written before event %(seq)s (id %(id)s), which it follows (reordered)")
            % {"seq": previous.seq, "id": previous.id},
        )
    expected_prev = GENESIS_HASH if previous is None else previous.hash
    if event.prev_hash != expected_prev:
        return Break(
            "unlinked",
            event.seq,
            event.id,
            _(
                "it does not carry the hash of the event before it (moved, or an event before "
                "it was replaced)"
            ),
        )
    return None


def _seq(event: ChainedEvent | None) -> int | None:
    return event.seq if event is not None else None


def _hash(event: ChainedEvent | None) -> str | None:
    return event.hash if event is not None else None


# --- anchors --------------------------------------------------------------------------------


def anchor_digest() -> dict[str, Any]:
    """The chain head as a small digest a third party can keep: whoever holds it can later
    check that the log still contains that event, unchanged, with everything before it."""
    last = head()
    if last is None:
        return {"seq": 0, "hash": GENESIS_HASH, "at": None}
    return {
        "seq": last.seq,
        "id": last.pk,
        "hash": last.hash,
        "at": canonical_time(last.at),
    }


def read_anchor(text: str) -> dict[str, Any]:
    """An anchor read back from its JSON; ``ValueError`` when it is not one."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(_("not JSON (%(error)s)") % {"error": error.msg}) from None
    if not isinstance(value, dict):
        raise ValueError(_("not a JSON object"))
    seq, digest = value.get("seq"), value.get("hash")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise ValueError(_("no sequence number"))
    if not isinstance(digest, str) or len(digest) != 64:
        raise ValueError(_("no hash"))
    return value
