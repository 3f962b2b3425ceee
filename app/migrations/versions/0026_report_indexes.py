"""indexes for the reports (issue 19): payments by kind and time (refunds per day, the
tills per cashier and day), order events by kind and time (cancellations), returns by
time. Orders by time had one already (ix_sales_orders_created_at).

Revision ID: 0026_report_indexes
Revises: 0025_variants
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0026_report_indexes"
down_revision: str | None = "0025_variants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_payments_kind_created_at", "payments", ["kind", "created_at"])
    op.create_index("ix_order_events_kind_at", "order_events", ["kind", "at"])
    op.create_index("ix_returns_created_at", "returns", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_returns_created_at", table_name="returns")
    op.drop_index("ix_order_events_kind_at", table_name="order_events")
    op.drop_index("ix_payments_kind_created_at", table_name="payments")
