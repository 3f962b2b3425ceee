"""Payments (and refunds) and cash sessions, one till from opening float to Z report."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class CashSession(Base):
    """One till from its opening float to its counted close. At most one open per till:
    a partial unique index says so to every workstation at once."""

    __tablename__ = "cash_sessions"
    __table_args__ = (
        Index(
            "uq_cash_sessions_open_till",
            "till",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    till: Mapped[str] = mapped_column(String(40), index=True)
    workstation: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(12), default="open")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opening_float: Mapped[int] = mapped_column(Integer, default=0)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expected_cash: Mapped[int | None] = mapped_column(Integer)
    counted_cash: Mapped[int | None] = mapped_column(Integer)
    counted_detail: Mapped[str] = mapped_column(Text, default="")


class Payment(Base):
    """Money in (or out, for a refund). Cash records what was tendered and the change."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_kind_created_at", "kind", "created_at"),)  # reports

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    cash_session_id: Mapped[int | None] = mapped_column(ForeignKey("cash_sessions.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12), default="payment")
    amount: Mapped[int] = mapped_column(Integer)
    tendered: Mapped[int | None] = mapped_column(Integer)
    change: Mapped[int | None] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(100), default="")
    refund_of_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CreditEntry(Base):
    """Store credit of a customer: a ledger of entries, the balance is their sum. A refund
    to store credit adds; paying with it takes away. Never edited, only added to."""

    __tablename__ = "credit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GiftCard(Base):
    """A card with a code and money on it. The balance is kept on the row and only ever
    changed by one conditional UPDATE (balance >= amount), so two tills cannot spend the
    same euro; every change is also written to GiftCardEntry, which explains the balance."""

    __tablename__ = "gift_cards"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    balance: Mapped[int] = mapped_column(Integer, default=0)
    issued_amount: Mapped[int] = mapped_column(Integer, default=0)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GiftCardEntry(Base):
    """One change of a gift card's balance: + when sold or topped up, - when spent."""

    __tablename__ = "gift_card_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    gift_card_id: Mapped[int] = mapped_column(ForeignKey("gift_cards.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ParkedSale(Base):
    """A cart put aside at a till, kept in the database so it survives a restart and can
    be resumed at any till of the shop. The cart is plain JSON: lines are what was on the
    counter, not yet an order."""

    __tablename__ = "parked_sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    till: Mapped[str] = mapped_column(String(40), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    total: Mapped[int] = mapped_column(Integer, default=0)
    cart: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OfflineSale(Base):
    """A counter sale made while the shared database was unreachable, once it is synced.
    The key is the sale's idempotency key: a journal synced twice, or by two processes at
    once, makes one order, never two (unique)."""

    __tablename__ = "offline_sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    workstation: Mapped[str] = mapped_column(String(64), default="")
    sold_at: Mapped[datetime] = mapped_column(UTCDateTime)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shortfalls: Mapped[str] = mapped_column(Text, default="")  # JSON {sku: units}, "" if none
