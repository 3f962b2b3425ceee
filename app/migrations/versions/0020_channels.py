"""order channels (issue 17): order_sources, and on sales_orders the source, the source's
own order id (unique together: an order imported twice is found, not doubled) and what
the source said (to tell a changed order in a later file). No foreign key on source_id:
adding one would copy the orders table on SQLite.

Revision ID: 0020_channels
Revises: 0019_lots
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0020_channels"
down_revision: str | None = "0019_lots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("format", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("watch_dir", sa.String(length=500), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_order_sources_name")),
    )
    op.add_column("sales_orders", sa.Column("source_id", sa.Integer(), nullable=True))
    op.add_column("sales_orders", sa.Column("external_id", sa.String(length=100), nullable=True))
    op.add_column(
        "sales_orders",
        sa.Column("source_fingerprint", sa.String(length=64), server_default="", nullable=False),
    )
    op.create_index(
        "ix_sales_orders_source_id_external_id",
        "sales_orders",
        ["source_id", "external_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_sales_orders_source_id_external_id", table_name="sales_orders")
    with op.batch_alter_table("sales_orders") as batch_op:
        batch_op.drop_column("source_fingerprint")
        batch_op.drop_column("external_id")
        batch_op.drop_column("source_id")
    op.drop_table("order_sources")
