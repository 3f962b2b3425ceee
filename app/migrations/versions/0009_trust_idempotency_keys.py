"""idempotency keys of retried writes (issue 13: no sale counted twice)

Every counter sale, online or synced from a till's journal, stores its key here in its
own transaction. The keys of sales already synced from journals (offline_sales) are copied
in, so a journal sale synced before this upgrade is still found by its key.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_orders.id"],
            name=op.f("fk_idempotency_keys_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("key", name=op.f("uq_idempotency_keys_key")),
    )
    op.execute(
        "INSERT INTO idempotency_keys (key, kind, order_id, result, workstation, created_at) "
        "SELECT key, 'sale', order_id, '', workstation, synced_at FROM offline_sales"
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
