"""Buying: what a supplier sells us (its code for a product, the cost, how it ships),
purchase orders with their lines, and the reorder rules that draft them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class SupplierProduct(Base):
    """One supplier's terms for one product (unique per pair): cost in minor units, the
    minimum order quantity and the pack size orders are rounded up to."""

    __tablename__ = "supplier_products"
    __table_args__ = (
        UniqueConstraint("supplier_id", "product_id"),
        CheckConstraint("cost >= 0", name="cost_not_negative"),
        CheckConstraint("min_order_qty >= 1", name="min_order_qty_positive"),
        CheckConstraint("pack_size >= 1", name="pack_size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    supplier_sku: Mapped[str] = mapped_column(String(64), default="")
    cost: Mapped[int] = mapped_column(Integer, default=0)
    min_order_qty: Mapped[int] = mapped_column(Integer, default=1)
    pack_size: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PurchaseStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


# Purchase orders whose outstanding lines count as incoming stock (reorder, stock overview).
OPEN_PURCHASE_STATUSES = (
    PurchaseStatus.DRAFT,
    PurchaseStatus.SENT,
    PurchaseStatus.PARTLY_RECEIVED,
)


class PurchaseOrder(Base):
    """An order to one supplier for one warehouse. `number` is PO-000123; `origin` says
    whether a person or the reorder run made it; `version` guards concurrent edits."""

    __tablename__ = "purchase_orders"
    __table_args__ = (Index("ix_purchase_orders_status_warehouse_id", "status", "warehouse_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    status: Mapped[str] = mapped_column(String(20), default=PurchaseStatus.DRAFT.value)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    origin: Mapped[str] = mapped_column(String(20), default="manual")  # manual | reorder
    note: Mapped[str] = mapped_column(Text, default="")
    expected_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class PurchaseOrderLine(Base):
    """What was ordered of one product and how much of it has arrived; `unit_cost` in the
    order's currency, minor units. Outstanding = max(ordered - received, 0) while the
    order is open."""

    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("ordered > 0", name="ordered_positive"),
        CheckConstraint("received >= 0", name="received_not_negative"),
        CheckConstraint("unit_cost >= 0", name="unit_cost_not_negative"),
        Index("ix_purchase_order_lines_product_id_order_id", "product_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    supplier_sku: Mapped[str] = mapped_column(String(64), default="")
    ordered: Mapped[int] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer, default=0)
    unit_cost: Mapped[int] = mapped_column(Integer, default=0)


class ReorderRule(Base):
    """Min/max per product and warehouse: when on_hand - reserved + incoming < min, order
    up to max, rounded up to `multiple`, from the preferred supplier."""

    __tablename__ = "reorder_rules"
    __table_args__ = (
        UniqueConstraint("product_id", "warehouse_id"),
        CheckConstraint("min_qty >= 0", name="min_not_negative"),
        CheckConstraint("max_qty >= min_qty", name="max_at_least_min"),
        CheckConstraint("multiple >= 1", name="multiple_positive"),
        CheckConstraint("lead_time_days >= 0", name="lead_time_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    min_qty: Mapped[int] = mapped_column(Integer, default=0)
    max_qty: Mapped[int] = mapped_column(Integer, default=0)
    multiple: Mapped[int] = mapped_column(Integer, default=1)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    lead_time_days: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
