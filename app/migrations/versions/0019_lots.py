"""lots through the warehouse (issue 16 item 3): pick_line_lots (which lots a pick line's
scans took) and stock_count_scans.lot_id (the lot a count scan named).

Revision ID: 0019_lots
Revises: 0018_purchasing
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_lots"
down_revision: str | None = "0018_purchasing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pick_line_lots",
        sa.Column("pick_line_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_pick_line_lots_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["pick_line_id"],
            ["pick_lines.id"],
            name=op.f("fk_pick_line_lots_pick_line_id_pick_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_pick_line_lots_lot_id_lots")
        ),
        sa.PrimaryKeyConstraint("pick_line_id", "lot_id", name=op.f("pk_pick_line_lots")),
    )
    op.add_column("stock_count_scans", sa.Column("lot_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stock_count_scans") as batch_op:
        batch_op.drop_column("lot_id")
    op.drop_table("pick_line_lots")
