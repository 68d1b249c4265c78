"""The canonical serialisation of an audit event and its hash (see docs/audit.md).

Pure functions with no database access, shared by ``record()``, ``sujarit audit verify`` and
the migration that chained the events written before the chain existed. Changing anything
here breaks every existing chain: a new form would need a version number in the hash.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

#: ``prev_hash`` of the first event of the chain.
GENESIS_HASH = "0" * 64

#: Integers beyond this would lose precision as JSON numbers in some readers (and PostgreSQL's
#: jsonb would write them back differently): audit data keeps counts and ids, never such values.
MAX_SAFE_INTEGER = 2**53 - 1


class AuditDataError(ValueError):
    """Raised by ``canonical_data`` for values that would not read back the same."""


def canonical_data(value: Any) -> Any:
    """``value`` as plain JSON types that read back identically from SQLite and PostgreSQL.

    PostgreSQL's ``jsonb`` reorders keys (the hash sorts them anyway) and rewrites numbers as
    decimals: ``1e+16`` comes back as ``10000000000000000``, an integer. So whole floats become
    integers here, before the event is stored, and values that cannot be kept exactly (NaN,
    infinities, integers beyond 2**53) are refused. Mapping keys become strings, as JSON
    makes them anyway.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise AuditDataError("Audit data holds an integer too large to keep exactly.")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AuditDataError("Audit data holds a number that is not finite.")
        if value.is_integer():
            return canonical_data(int(value))
        return value
    if isinstance(value, Mapping):
        return {str(key): canonical_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_data(item) for item in value]
    raise AuditDataError(f"Audit data holds a {type(value).__name__}, which is not JSON.")


def canonical_time(at: datetime) -> str:
    """ISO 8601 in UTC with microseconds, the precision both databases keep."""
    if at.tzinfo is None:
        raise ValueError("An audit event's time must be aware.")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(
    *,
    seq: int,
    prev_hash: str,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    data: Any,
) -> str:
    """The hex SHA-256 of one event's canonical serialisation: JSON with sorted keys, no
    spaces, UTF-8 (no ``\\u`` escapes, so Thai text hashes as it reads)."""
    body = {
        "seq": seq,
        "prev_hash": prev_hash,
        "at": canonical_time(at),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "data": canonical_data(data),
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
