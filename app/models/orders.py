"""Sales orders, their lines and their timeline of events."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow


class OrderStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    CONFIRMED = "confirmed"
    PICKING = "picking"
    PACKED = "packed"
    SHIPPED = "shipped"
    PARTLY_SHIPPED = "partly_shipped"  # some units left; the rest is on backorder
    DELIVERED = "delivered"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"
    COMPLETED = "completed"  # a paid counter sale
    PARTLY_REFUNDED = "partly_refunded"  # a counter sale some of which came back
    REFUNDED = "refunded"  # a counter sale all of which came back


class Channel(StrEnum):
    COUNTER = "counter"
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    MARKETPLACE = "marketplace"


class SalesOrder(Base):
    __tablename__ = "sales_orders"
    __table_args__ = (
        Index("ix_sales_orders_status_id", "status", "id"),
        Index("ix_sales_orders_channel_id", "channel", "id"),
        Index("ix_sales_orders_customer_id_id", "customer_id", "id"),
        Index("ix_sales_orders_status_channel_id", "status", "channel", "id"),
        Index("ix_sales_orders_status_due_at", "status", "due_at"),  # the dashboard's late
        Index("ix_sales_orders_total_id", "total", "id"),
        Index("ix_sales_orders_customer_name_id", "customer_name", "id"),
        Index("ix_sales_orders_created_at", "created_at"),
        Index("ix_sales_orders_source_id_external_id", "source_id", "external_id", unique=True),
        Index("ix_sales_orders_tracking_token", "tracking_token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    held_from: Mapped[str] = mapped_column(String(20), default="")
    customer_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    ship_name: Mapped[str] = mapped_column(String(200), default="")
    ship_line1: Mapped[str] = mapped_column(String(200), default="")
    ship_line2: Mapped[str] = mapped_column(String(200), default="")
    ship_city: Mapped[str] = mapped_column(String(100), default="")
    ship_postcode: Mapped[str] = mapped_column(String(20), default="")
    ship_region: Mapped[str] = mapped_column(String(100), default="")
    ship_country: Mapped[str] = mapped_column(String(2), default="")
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"))
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 1 = urgent
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Phone and e-mail orders (issue 15): how the customer pays and the day they asked for.
    payment_terms: Mapped[str] = mapped_column(String(20), default="", server_default="")
    requested_delivery: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    subtotal: Mapped[int] = mapped_column(Integer, default=0)
    tax_total: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    external_ref: Mapped[str] = mapped_column(String(100), default="")
    # an imported order: its source (order_sources.id; no foreign key, so adding it did not
    # copy the orders table on SQLite) and the source's own id, unique together
    source_id: Mapped[int | None] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(String(100))
    # what the source said when it was imported, to tell a changed order in a later file
    source_fingerprint: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # the customer's tracking page is /track/TOKEN: random, not the order number (guessable)
    tracking_token: Mapped[str | None] = mapped_column(String(43))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.line_no"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class OrderLine(Base):
    """A line keeps a copy of SKU, name, price and tax so history never changes."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("discount >= 0", name="discount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer, default=0)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    net: Mapped[int] = mapped_column(Integer)
    tax: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    shipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    order: Mapped[SalesOrder] = relationship(back_populates="lines")


class OrderEvent(Base):
    """One entry of an order's timeline: who did what, when, on which workstation."""

    __tablename__ = "order_events"
    __table_args__ = (
        Index("ix_order_events_order_id_id", "order_id", "id"),
        Index("ix_order_events_kind_at", "kind", "at"),  # the cancellations report
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(64), default="")
    workstation: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20), default="")
    message: Mapped[str] = mapped_column(String(500), default="")
    data: Mapped[str] = mapped_column(Text, default="")
