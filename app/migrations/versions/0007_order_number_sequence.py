"""order numbers from a PostgreSQL sequence

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

On PostgreSQL an order number comes from a sequence instead of a row every sale had to
lock until it committed: tills on many workstations no longer queue behind each other.
(A sale that rolls back leaves a gap in the numbers.) SQLite keeps its row: one writer at
a time anyway.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE kestrel_order_number START WITH 1")
    op.execute(
        "SELECT setval('kestrel_order_number', next_value, false) "
        "FROM number_sequences WHERE name = 'order'"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "UPDATE number_sequences SET next_value = "
        "(SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END "
        "FROM kestrel_order_number) WHERE name = 'order'"
    )
    op.execute("DROP SEQUENCE kestrel_order_number")
