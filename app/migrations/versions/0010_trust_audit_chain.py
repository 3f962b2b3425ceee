"""hash-chained audit log (issue 13: an audit log that cannot be rewritten unseen)

Each entry gets its place in the chain and a hash over its content and the previous
entry's hash; `audit_chain` holds the head. Entries already there are chained in id order
(the append-only triggers are lifted for that, as the owner, and put back).

Revision ID: 0010
Revises: 0009
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGERS = {
    event: f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    for event in ("UPDATE", "DELETE")
}


def _hash(previous: str, seq: int, row: sa.Row) -> str:
    """A frozen copy of app.core.audit_chain.entry_hash as of this revision."""
    at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    content = [
        seq,
        at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        row.user_id,
        row.user_name,
        row.workstation,
        row.action,
        row.subject,
        row.detail,
    ]
    text = previous + "\n" + json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _set_triggers(on: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        state = "ENABLE" if on else "DISABLE"
        op.execute(f"ALTER TABLE audit_log {state} TRIGGER audit_log_append_only")
        return
    for event, create in _SQLITE_TRIGGERS.items():
        op.execute(create if on else f"DROP TRIGGER IF EXISTS audit_log_no_{event.lower()}")


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_audit_log_seq", ["seq"], unique=True)
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain")),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, at, user_id, user_name, workstation, action, subject, detail "
            "FROM audit_log ORDER BY id"
        )
    ).all()
    if not rows:
        return  # the head is made by the first append
    _set_triggers(on=False)
    previous, seq, chained = "", 0, []
    for row in rows:
        seq += 1
        previous = _hash(previous, seq, row)
        chained.append({"seq": seq, "hash": previous, "id": row.id})
    chain = sa.text("UPDATE audit_log SET seq = :seq, hash = :hash WHERE id = :id")
    for start in range(0, len(chained), 5000):  # executemany, a batch at a time
        bind.execute(chain, chained[start : start + 5000])
    _set_triggers(on=True)
    bind.execute(
        sa.text("INSERT INTO audit_chain (id, seq, hash) VALUES (1, :seq, :hash)"),
        {"seq": seq, "hash": previous},
    )


def downgrade() -> None:
    op.drop_table("audit_chain")
    _set_triggers(on=False)
    with op.batch_alter_table("audit_log", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_audit_log_seq")
        batch_op.drop_column("hash")
        batch_op.drop_column("seq")
    _set_triggers(on=True)
