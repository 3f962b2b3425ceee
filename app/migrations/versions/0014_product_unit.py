"""a product's unit of sale (issue 15: the catalogue editor)

Each product says what one of it is (pcs, kg, m, box ...), for the editor, labels and
documents. Existing products are pieces.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unit", sa.String(length=20), nullable=False, server_default="pcs")
        )


def downgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("unit")
