"""Products, their barcodes and categories. Money is integer minor units; tax rates in
basis points."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import TOKEN_TYPE, Base, UTCDateTime, utcnow


class Category(Base):
    """A node of the category tree ("Coffee > Beans" is Beans under Coffee). A name is
    unique among its siblings; the services also keep top-level names unique, which the
    constraint cannot (NULL parents are distinct in SQL)."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("cost >= 0", name="cost_not_negative"),
        CheckConstraint("tax_rate_bp >= 0 AND tax_rate_bp <= 10000", name="tax_rate_range"),
        CheckConstraint("weight_g >= 0", name="weight_not_negative"),
        Index("ix_products_updated_at_id", "updated_at", "id"),  # the API's keyset pages
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20), default="pcs", server_default="pcs")
    price: Mapped[int] = mapped_column(Integer, default=0)
    cost: Mapped[int] = mapped_column(Integer, default=0)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    # outer size of one unit in millimetres (0 = not given), for parcels and shelves
    length_mm: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    width_mm: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    height_mm: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    track_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    # "none", "lot" (batches with expiry) or "serial" (one unit per serial number)
    tracking: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    # the shop's tax classes (standard, reduced, zero ...) carry their rates as settings
    tax_class: Mapped[str] = mapped_column(String(20), default="", server_default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # a variant (size M, colour Blue) of a template product: its own SKU, barcodes and stock
    # (products.id; no foreign key, so adding it did not copy the products table on SQLite)
    template_id: Mapped[int | None] = mapped_column(Integer, index=True)
    variant_attrs: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    barcodes: Mapped[list[Barcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )


class Barcode(Base):
    """One product has many codes; a case code carries how many units it stands for."""

    __tablename__ = "barcodes"
    __table_args__ = (CheckConstraint("pack_qty >= 1", name="pack_qty_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    pack_qty: Mapped[int] = mapped_column(Integer, default=1)
    symbology: Mapped[str] = mapped_column(String(20), default="")

    product: Mapped[Product] = relationship(back_populates="barcodes")


class ProductToken(Base):
    """Word index for product search: portable across SQLite and PostgreSQL, and a
    prefix range scan on (token, product_id) stays fast on a million products."""

    __tablename__ = "product_tokens"

    token: Mapped[str] = mapped_column(TOKEN_TYPE, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, index=True
    )
