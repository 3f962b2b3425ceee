"""Customers and suppliers (parties), their contacts and addresses.

A contact is a party linked to a company party (`company_id`). A customer merged into
another keeps its row, archived, with `merged_into_id` set: the audit log and old
documents still name it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import TOKEN_TYPE, Base, UTCDateTime, utcnow


class Party(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    is_customer: Mapped[bool] = mapped_column(Boolean, default=True)
    is_supplier: Mapped[bool] = mapped_column(Boolean, default=False)
    is_walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    # Minor units a customer may owe on account; None: no account (prepaid or on delivery).
    credit_limit: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    tax_id: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The language of the customer's e-mails and invoices; "" = the shop's.
    language: Mapped[str] = mapped_column(String(16), default="", server_default="")
    is_company: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    company_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    marketing_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    email_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    # supplier terms
    currency: Mapped[str] = mapped_column(String(3), default="", server_default="")
    lead_time_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    payment_terms: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # a supplier's short code (ACME), what `kestrel po create --supplier` and reorder rules
    # name it by; unique where set (a unique index: NULLs never collide)
    code: Mapped[str | None] = mapped_column(String(20), index=True, unique=True)

    addresses: Mapped[list[Address]] = relationship(
        back_populates="party", cascade="all, delete-orphan", order_by="Address.id"
    )


# the acceptance queue's look-alikes start from the page's names (migration 0031_lists)
Index("ix_parties_lower_name", func.lower(Party.name))


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="shipping")
    name: Mapped[str] = mapped_column(String(200), default="")
    line1: Mapped[str] = mapped_column(String(200), default="")
    line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    # indexed for the acceptance queue's look-alike customers (same name, same postcode)
    postcode: Mapped[str] = mapped_column(String(20), default="", index=True)
    region: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    party: Mapped[Party] = relationship(back_populates="addresses")


class PartyToken(Base):
    """Word index for customer search (names, e-mail, phone)."""

    __tablename__ = "party_tokens"

    token: Mapped[str] = mapped_column(TOKEN_TYPE, primary_key=True)
    party_id: Mapped[int] = mapped_column(
        ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True, index=True
    )
