"""order entry: payment terms and requested delivery on orders, a credit limit per customer

Phone and e-mail orders (issue 15) carry how the customer pays (prepaid, on delivery, on
account) and the day they asked for; an on-account order is refused beyond the customer's
credit limit (None: the customer has no account). Plain ADD COLUMNs: on SQLite the batch
needs no copy of sales_orders or parties.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("payment_terms", sa.String(length=20), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("requested_delivery", sa.Date(), nullable=True))
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit_limit", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_column("credit_limit")
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.drop_column("requested_delivery")
        batch_op.drop_column("payment_terms")
