"""Cycle counts: a count, its lines (one per bin and product), one row per scan, and the
bins held by open counts (a bin is in at most one open count: the primary key says so)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class StockCount(Base):
    __tablename__ = "stock_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(12), default="open")  # open|approved|cancelled
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    scope: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StockCountLine(Base):
    """`expected` is the book quantity at the line's first scan (NULL until scanned)."""

    __tablename__ = "stock_count_lines"
    __table_args__ = (UniqueConstraint("count_id", "location_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_counts.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot_id: Mapped[int | None] = mapped_column(Integer)  # unused: lots are counted per scan
    expected: Mapped[int | None] = mapped_column(Integer)


class StockCountScan(Base):
    """One row per scan or typed quantity: inserts never contend, undo deletes the last."""

    __tablename__ = "stock_count_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("stock_count_lines.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    book_on_hand: Mapped[int] = mapped_column(Integer)
    lot_id: Mapped[int | None] = mapped_column(Integer)  # the lot a GS1 scan named
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StockCountBin(Base):
    """A bin held by an open count; deleted when the count closes."""

    __tablename__ = "stock_count_bins"

    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_counts.id"), index=True)
