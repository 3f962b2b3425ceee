"""offline sales

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 23:32:27.438364
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offline_sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.Column("sold_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("synced_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("shortfalls", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_offline_sales_order_id_sales_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_sales")),
        sa.UniqueConstraint("key", name=op.f("uq_offline_sales_key")),
    )


def downgrade() -> None:
    op.drop_table("offline_sales")
