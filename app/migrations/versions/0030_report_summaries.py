"""report summaries (issue 19): closed days folded into per-day sums for the slow reports
(orders, lines per product and rate, customers, lead times), the lines per whole
month, and `report_folds`, the
folded days with their zone and watermarks. Written only by the fold
(services/reports/fold.py), never on the sale's path.

Revision ID: 0030_report_summaries
Revises: 0029_i18n
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_report_summaries"
down_revision: str | None = "0029_i18n"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = ("day", "channel", "warehouse_id")


def _keys() -> list[sa.Column[object]]:
    return [
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
    ]


def _sums(*names: str) -> list[sa.Column[object]]:
    return [sa.Column(name, sa.BigInteger(), nullable=False) for name in names]


def upgrade() -> None:
    op.create_table(
        "report_folds",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        *_sums("max_order_id", "max_line_id", "max_event_id", "max_shipment_id"),
        sa.Column("folded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_report_folds"),
        sqlite_with_rowid=False,
    )
    currency = sa.Column("currency", sa.String(3), nullable=False)
    op.create_table(
        "report_order_days",
        *_keys(),
        currency,
        *_sums("orders", "gross", "tax", "unshipped"),
        sa.PrimaryKeyConstraint(*KEYS, "currency", name="pk_report_order_days"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "report_line_days",
        *_keys(),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        *_sums("lines", "quantity", "net", "tax", "total"),
        sa.PrimaryKeyConstraint(
            *KEYS, "currency", "product_id", "tax_rate_bp", name="pk_report_line_days"
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "report_line_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        *_sums("lines", "quantity", "net", "tax", "total"),
        sa.PrimaryKeyConstraint(
            "month",
            "channel",
            "warehouse_id",
            "currency",
            "product_id",
            "tax_rate_bp",
            name="pk_report_line_months",
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "report_month_folds",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("folded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("month", name="pk_report_month_folds"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "report_customer_days",
        *_keys(),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        *_sums("orders", "gross", "tax"),
        sa.PrimaryKeyConstraint(*KEYS, "currency", "customer_id", name="pk_report_customer_days"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "report_lead_days",
        *_keys(),
        sa.Column("lead_tenths", sa.BigInteger(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        *_sums("orders"),
        sa.PrimaryKeyConstraint(*KEYS, "lead_tenths", "on_time", name="pk_report_lead_days"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in (
        "report_lead_days",
        "report_customer_days",
        "report_line_days",
        "report_month_folds",
        "report_line_months",
        "report_order_days",
        "report_folds",
    ):
        op.drop_table(table)
