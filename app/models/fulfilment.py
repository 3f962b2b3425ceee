"""Fulfilment: which warehouse fills an order, pick lists, packages, shipments, carriers
and returns. Stock itself only ever moves through StockMove; these rows say why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow


class AssignmentRule(Base):
    """Orders from this channel and/or ship-to country/region go to this warehouse first.
    Lower priority numbers are tried first; an empty field matches everything."""

    __tablename__ = "assignment_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority: Mapped[int] = mapped_column(Integer, default=100)
    channel: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))


class Carrier(Base):
    """A carrier and its service, as data: how its tracking numbers look, how to make one,
    and where a customer follows a parcel."""

    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    service: Mapped[str] = mapped_column(String(100), default="")
    tracking_pattern: Mapped[str] = mapped_column(String(200), default="")  # a regex
    tracking_template: Mapped[str] = mapped_column(String(100), default="")  # e.g. KS{n:09d}NL
    tracking_url: Mapped[str] = mapped_column(String(300), default="")  # ...{tracking}...
    label_format: Mapped[str] = mapped_column(String(10), default="zpl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PickList(Base):
    """A wave: the lines of one or many orders, to be walked bin by bin."""

    __tablename__ = "pick_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lines: Mapped[list[PickLine]] = relationship(
        back_populates="pick_list", order_by="PickLine.sequence", cascade="all, delete-orphan"
    )


class PickLine(Base):
    """Units of one order line to take from one bin. `move_id` is the reservation they
    were held by; `picked` counts scans (kept, so a restart loses no progress)."""

    __tablename__ = "pick_lines"
    __table_args__ = (
        CheckConstraint("picked >= 0 AND picked <= quantity", name="picked_in_range"),
        Index("ix_pick_lines_order_id_status", "order_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pick_list_id: Mapped[int] = mapped_column(ForeignKey("pick_lists.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    move_id: Mapped[int | None] = mapped_column(ForeignKey("stock_moves.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    picked: Mapped[int] = mapped_column(Integer, default=0)
    short: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open/done/short

    pick_list: Mapped[PickList] = relationship(back_populates="lines")


class Shipment(Base):
    """What left for one order in one go, with one carrier."""

    __tablename__ = "shipments"
    __table_args__ = (
        Index("ix_shipments_shipped_at", "shipped_at"),
        Index("ix_shipments_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"))
    status: Mapped[str] = mapped_column(String(12), default="shipped")  # /delivered/exception
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Package(Base):
    """A box: what went in it, its weight, and (once shipped) its tracking number."""

    __tablename__ = "packages"
    __table_args__ = (CheckConstraint("weight_g >= 0", name="weight_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)  # 1, 2, ... within the order
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open/closed/shipped
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"), index=True)
    tracking_number: Mapped[str] = mapped_column(String(60), default="", index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PackageItem(Base):
    __tablename__ = "package_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)


class ReturnOrder(Base):
    """A return (RMA): requested, received, inspected line by line, refunded."""

    __tablename__ = "returns"
    __table_args__ = (Index("ix_returns_created_at", "created_at"),)  # the returns report

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="requested")
    reason: Mapped[str] = mapped_column(String(300), default="")
    refunded: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="rma", order_by="ReturnLine.id", cascade="all, delete-orphan"
    )


class ReturnLine(Base):
    __tablename__ = "return_lines"
    __table_args__ = (
        CheckConstraint(
            "received <= quantity AND restocked + scrapped <= received", name="counts_in_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200), default="")
    received: Mapped[int] = mapped_column(Integer, default=0)
    restocked: Mapped[int] = mapped_column(Integer, default=0)
    scrapped: Mapped[int] = mapped_column(Integer, default=0)

    rma: Mapped[ReturnOrder] = relationship(back_populates="lines")
