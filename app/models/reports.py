"""Closed-day summaries for the reports (issue 19): per shop-local day, what the slow
reports add up, folded from the orders by services/reports/fold.py and read beside live
queries for the days not folded or touched since (services/reports/folded.py).

Nothing on the sale's path writes these tables. `report_folds` says which days are
folded, in which time zone, and the highest ids of orders, lines, events and shipments
the fold had seen: a row above those marks on a folded day makes that day live again.
Sums are BIGINT (a day's gross in cents can pass 2**31 on PostgreSQL's INTEGER); a
warehouse of 0 is an order without one. On SQLite the tables are WITHOUT ROWID, so a
range of days is one walk of the primary key, which starts with the day.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime

NO_ROWID = {"sqlite_with_rowid": False}


class ReportFold(Base):
    """One folded day: its zone and the watermarks at fold time."""

    __tablename__ = "report_folds"
    __table_args__ = NO_ROWID

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    max_order_id: Mapped[int] = mapped_column(BigInteger)
    max_line_id: Mapped[int] = mapped_column(BigInteger)
    max_event_id: Mapped[int] = mapped_column(BigInteger)
    max_shipment_id: Mapped[int] = mapped_column(BigInteger)
    folded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReportOrderDay(Base):
    """Orders placed that day and not cancelled (sales, the lead time's waiting note)."""

    __tablename__ = "report_order_days"
    __table_args__ = NO_ROWID

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    orders: Mapped[int] = mapped_column(BigInteger)
    gross: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger)
    unshipped: Mapped[int] = mapped_column(BigInteger)  # not counter, no shipment yet


class ReportLineDay(Base):
    """Their lines per product and tax rate (top products, margin, tax per rate): cost
    and category are joined from the product at report time, as the live reports do."""

    __tablename__ = "report_line_days"
    __table_args__ = NO_ROWID

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, primary_key=True)
    lines: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)


class ReportLineMonth(Base):
    """The line sums of a whole calendar month (`month` its first day), summed from
    report_line_days once every day of it is folded: a year's line reports read twelve
    months of these, not 365 days. Refolding a day drops its month (same transaction)."""

    __tablename__ = "report_line_months"
    __table_args__ = NO_ROWID

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, primary_key=True)
    lines: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)


class ReportMonthFold(Base):
    """A month whose report_line_months rows are built (and still match its days)."""

    __tablename__ = "report_month_folds"
    __table_args__ = NO_ROWID

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    folded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReportCustomerDay(Base):
    """The orders per customer (top customers)."""

    __tablename__ = "report_customer_days"
    __table_args__ = NO_ROWID

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    orders: Mapped[int] = mapped_column(BigInteger)
    gross: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger)


class ReportLeadDay(Base):
    """Shipped orders by placed day and lead time in tenths of an hour (the precision the
    report prints: a monotone bucket, so the k-th order's bucket is the k-th bucket),
    and on time: 1, 0, or -1 without a due date."""

    __tablename__ = "report_lead_days"
    __table_args__ = NO_ROWID

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_tenths: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    on_time: Mapped[int] = mapped_column(Integer, primary_key=True)
    orders: Mapped[int] = mapped_column(BigInteger)
