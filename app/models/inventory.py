"""Warehouses, the location tree, the stock-move ledger and the stock-level cache."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class LocationKind(StrEnum):
    VIEW = "view"  # a grouping node (warehouse, zone, aisle): holds no stock itself
    INTERNAL = "internal"  # a bin or shelf that holds stock
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    LOSS = "loss"
    RETURNS = "returns"
    TRANSIT = "transit"  # goods on their way between two warehouses


VIRTUAL_KINDS = (
    LocationKind.SUPPLIER,
    LocationKind.CUSTOMER,
    LocationKind.LOSS,
    LocationKind.RETURNS,
    LocationKind.TRANSIT,
)


class MoveState(StrEnum):
    RESERVED = "reserved"
    DONE = "done"
    CANCELLED = "cancelled"


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Location(Base):
    """A node of the location tree; `code` is what a bin's label barcode carries."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    pick_sequence: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StockMove(Base):
    """The ledger. Stock is never edited in place: it moves from one location to another."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("from_location_id <> to_location_id", name="distinct_locations"),
        Index("ix_stock_moves_product_id_state", "product_id", "state"),
        Index("ix_stock_moves_product_id_id", "product_id", "id"),
        Index("ix_stock_moves_origin_type_origin_id", "origin_type", "origin_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    from_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    to_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    state: Mapped[str] = mapped_column(String(12))
    origin_type: Mapped[str] = mapped_column(String(20), default="")
    origin_id: Mapped[int | None] = mapped_column(Integer)
    # lots.id; no foreign key, so adding the column did not copy a million-row ledger on
    # SQLite (the lot services write it, the integrity check verifies it)
    lot_id: Mapped[int | None] = mapped_column(Integer, index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StockLevel(Base):
    """Cache of the ledger per product and internal location, kept in the same transaction
    as the moves. The CHECKs are the last line of defence against overselling."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    )

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id"), primary_key=True, index=True
    )
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
