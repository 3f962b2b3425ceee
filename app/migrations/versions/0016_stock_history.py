"""stock_moves (product_id, id): a product's history pages by keyset from its newest move

Revision ID: 0016_stock_history
Revises: 0015
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_stock_history"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_stock_moves_product_id_id", "stock_moves", ["product_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_stock_moves_product_id_id", table_name="stock_moves")
