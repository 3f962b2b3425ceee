"""Printers (per workstation) and the persistent print queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class Printer(Base):
    __tablename__ = "printers"

    id: Mapped[int] = mapped_column(primary_key=True)
    workstation: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(80))
    uri: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    profile: Mapped[str] = mapped_column(String(60), default="default")
    paper_width_mm: Mapped[int] = mapped_column(Integer, default=80)
    dpi: Mapped[int] = mapped_column(Integer, default=203)
    language: Mapped[str] = mapped_column(String(10), default="escpos")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class PrintJob(Base):
    """A job is stored before it is sent, so a printer that is off delays it, never loses it."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_state_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))
    workstation: Mapped[str] = mapped_column(String(64), default="")
    document: Mapped[str] = mapped_column(String(30))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    # What to draw when the payload is left empty at enqueue time (a counter receipt is
    # drawn by the print worker after the sale commits): JSON, empty once drawn or unused.
    render_spec: Mapped[str] = mapped_column(Text, default="", server_default="")
    state: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
