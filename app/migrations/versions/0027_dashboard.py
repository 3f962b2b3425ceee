"""dashboard (issue 19): an index on sales_orders (status, due_at), so the open orders per
stage and how many of them are late are counted from the index alone: without it every
open order's row was read for its due date (0.3 s of the dashboard on a million orders).

Revision ID: 0027_dashboard
Revises: 0026_report_indexes
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027_dashboard"
down_revision: str | None = "0026_report_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_sales_orders_status_due_at", "sales_orders", ["status", "due_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_sales_orders_status_due_at", table_name="sales_orders")
