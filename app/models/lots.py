"""Lots (batches with an expiry date) and serial numbers, and how many of each lot sit in
each bin. A serial-tracked product's serials are lots of one unit (`is_serial`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class Lot(Base):
    """One lot or serial of one product (the code is unique per product)."""

    __tablename__ = "lots"
    __table_args__ = (
        UniqueConstraint("product_id", "code"),
        Index("ix_lots_expires_on", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    code: Mapped[str] = mapped_column(String(40))
    expires_on: Mapped[date | None] = mapped_column(Date)
    is_serial: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LotLevel(Base):
    """Cache of the ledger per lot and internal location (moves carry `lot_id`), kept in
    the same transaction as the moves, like StockLevel one level up."""

    __tablename__ = "lot_levels"
    __table_args__ = (CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),)

    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id"), primary_key=True, index=True
    )
    on_hand: Mapped[int] = mapped_column(Integer, default=0)


class PickLineLot(Base):
    """Which lots (or serials) the scans of one pick line took, and how many of each: the
    picked units move bin -> packing in these lots when the line is finished."""

    __tablename__ = "pick_line_lots"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    pick_line_id: Mapped[int] = mapped_column(ForeignKey("pick_lines.id"), primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
