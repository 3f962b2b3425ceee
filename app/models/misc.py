"""Outgoing e-mail, shared business settings and document number sequences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """An e-mail waiting to be sent; kept and retried until the server takes it.

    Written in the transaction of the change that causes it (services/notify/outbox.py),
    with its Message-ID made then and reused on every retry. A sender claims a row
    (claimed_by/claimed_at, state "sending") before it talks to the server; a claim older
    than the lease is taken again and counted in `interrupted` (the customer may have had
    it once already). `attachment` names what is rendered at send time ("invoice:<id>").
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_state_id", "state", "id"),
        Index("ix_outbox_messages_message_id", "message_id", unique=True),
        Index("ix_outbox_messages_order_id_id", "order_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(String(250))
    event: Mapped[str] = mapped_column(String(30), default="", server_default="")
    kind: Mapped[str] = mapped_column(String(20), default="transactional", server_default="")
    html_body: Mapped[str] = mapped_column(Text, default="", server_default="")
    from_address: Mapped[str] = mapped_column(String(254), default="", server_default="")
    reply_to: Mapped[str] = mapped_column(String(254), default="", server_default="")
    headers: Mapped[str] = mapped_column(Text, default="", server_default="")  # JSON object
    attachment: Mapped[str] = mapped_column(String(60), default="", server_default="")
    claimed_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    interrupted: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Setting(Base):
    """A shared business setting (company name, currency...), value stored as JSON."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NumberSequence(Base):
    """Human document numbers (SO-000123). One row per series; incremented atomically."""

    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(10))
    width: Mapped[int] = mapped_column(Integer, default=6)
    next_value: Mapped[int] = mapped_column(Integer, default=1)


class IdempotencyKey(Base):
    """The key of a write a user may retry (a counter sale, online or synced from a till's
    journal), stored in the write's own transaction. Unique: a retry after a lost COMMIT
    answer finds the key and answers with the earlier result instead of writing again."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))
    result: Mapped[str] = mapped_column(Text, default="")  # JSON: what a replay answers
    workstation: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """Who did what, when, on which workstation. Append-only: database triggers refuse
    every UPDATE and DELETE (migration 0006), and on PostgreSQL the workstations' role may
    only INSERT and SELECT. Chained (migration 0010): `seq` is the entry's place in the
    chain and `hash` covers its content and the previous entry's hash, so a rewrite, a
    deletion or a truncation done around Kestrel shows in `kestrel check`."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_action_id", "action", "id"),
        Index("ix_audit_log_subject_id", "subject", "id"),
        Index("ix_audit_log_seq", "seq", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer)  # no FK: users may go, entries stay
    user_name: Mapped[str] = mapped_column(String(64), default="")
    workstation: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(60), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
    seq: Mapped[int | None] = mapped_column(Integer)  # None only if written around Kestrel
    hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The chain's last entry (one row, id 1), updated with every append under a row lock,
    so appends from many workstations form one chain and a cut-off tail shows."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
