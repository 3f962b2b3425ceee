"""What a supplier sells us: its own code for a product, the cost, and how it ships."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
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
