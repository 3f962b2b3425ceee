"""The audit log's hash chain: a rewrite, deletion or truncation shows, from which entry on.

Each entry stores its place in the chain (`seq`) and a SHA-256 over its content and the
previous entry's hash; the chain's head (one row) holds the last place and hash. Appends
take the head's row lock (PostgreSQL; SQLite writers are serialized by BEGIN IMMEDIATE) as
the very last thing before COMMIT, so many workstations appending at once form one chain,
and the lock is held for two statements only. The triggers and the database role stop a
rewrite through Kestrel's own connections; the chain catches one done around them (a
file edited by hand, the schema owner), unless whoever did it also recomputed every hash
after it and the head — which needs knowing this scheme, not just a SQL prompt.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core import driver_sql
from app.core.driver_sql import Prebuilt
from app.models import AuditChainHead, AuditEntry

GENESIS = ""
HEAD_ID = 1
_INSERT = insert(AuditEntry.__table__)


def entry_hash(previous: str, entry: dict[str, Any]) -> str:
    """The hash of one entry chained to the one before it (migration 0010 has a frozen
    copy, for the entries that were there before the chain)."""
    at: datetime = entry["at"]
    content = [
        entry["seq"],
        at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
        entry["user_id"],
        entry["user_name"],
        entry["workstation"],
        entry["action"],
        entry["subject"],
        entry["detail"],
    ]
    text = previous + "\n" + json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_HEAD = AuditChainHead.__table__
_LOCK_HEAD = Prebuilt(
    select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == HEAD_ID).with_for_update()
)
_MOVE_HEAD = Prebuilt(
    update(_HEAD)
    .where(_HEAD.c.id == HEAD_ID)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)
_ENTRIES = Prebuilt(_INSERT)


def _locked_head(session: Session) -> tuple[int, str]:
    """The head, row-locked until COMMIT; made on the first append of an empty log."""
    rows = driver_sql.execute(session, _LOCK_HEAD, {}).fetchall()
    if not rows:
        make = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
        session.execute(
            make(AuditChainHead)
            .values(id=HEAD_ID, seq=0, hash=GENESIS)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        rows = driver_sql.execute(session, _LOCK_HEAD, {}).fetchall()
    ((seq, previous),) = rows
    return int(seq), str(previous)


def append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Write `rows` (audit entries of one transaction) at the end of the chain: three
    statements on the cursor (driver_sql), the head's lock taken last."""
    session.flush()  # the transaction's own writes first: the head's lock is taken last
    seq, previous = _locked_head(session)
    for row in rows:
        seq += 1
        row["seq"] = seq
        row["hash"] = previous = entry_hash(previous, row)
    driver_sql.executemany(session, _ENTRIES, rows)
    driver_sql.execute(session, _MOVE_HEAD, {"new_seq": seq, "new_hash": previous})


@dataclass(frozen=True)
class Break:
    seq: int  # the first place in the chain that cannot be trusted
    message: str


def verify(session: Session, batch: int = 5000) -> list[Break]:
    """Walk the chain in order; every place where it does not hold, first one first."""
    breaks: list[Break] = []
    columns = (
        AuditEntry.id,
        AuditEntry.seq,
        AuditEntry.hash,
        AuditEntry.at,
        AuditEntry.user_id,
        AuditEntry.user_name,
        AuditEntry.workstation,
        AuditEntry.action,
        AuditEntry.subject,
        AuditEntry.detail,
    )
    rows: Iterable[Any] = session.execute(
        select(*columns)
        .where(AuditEntry.seq.is_not(None))
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=batch)
    )
    expected, previous = 1, GENESIS
    for row in rows:
        entry = row._asdict()
        if row.seq != expected:
            gone = f"#{expected}" if row.seq == expected + 1 else f"#{expected}-#{row.seq - 1}"
            breaks.append(Break(expected, f"entries {gone} are missing (deleted)"))
        if entry_hash(previous, entry) != row.hash:
            breaks.append(
                Break(row.seq, f"entry #{row.seq} (id {row.id}, {row.action}) was rewritten")
            )
        expected, previous = row.seq + 1, row.hash or ""
    last = expected - 1
    head = session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD_ID)
    ).first()
    if head is None and last:
        breaks.append(Break(last + 1, "the chain's head is missing: entries may be cut off"))
    elif head is not None and head.seq > last:
        gone = f"#{last + 1}" if head.seq == last + 1 else f"#{last + 1}-#{head.seq}"
        breaks.append(Break(last + 1, f"entries {gone} are missing (the log was cut off)"))
    elif head is not None and (head.seq < last or head.hash != previous):
        breaks.append(Break(min(head.seq, last) + 1, "the chain's head does not match its end"))
    outside = session.scalars(
        select(AuditEntry.id).where(AuditEntry.seq.is_(None)).order_by(AuditEntry.id).limit(1)
    ).first()
    if outside is not None:
        breaks.append(Break(last + 1, f"entries outside the chain (first id {outside})"))
    return sorted(breaks, key=lambda b: b.seq)
