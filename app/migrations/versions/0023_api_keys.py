"""the push API (issue 17): api_keys (only each key's SHA-256 kept), the customer's
tracking token on sales_orders (unique; filled for new orders, lazily for old ones) and
an index on products (updated_at, id) for the API's keyset pages.

Revision ID: 0023_api_keys
Revises: 0022_accept
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0023_api_keys"
down_revision: str | None = "0022_accept"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("scopes", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_api_keys_name")),
    )
    op.add_column("sales_orders", sa.Column("tracking_token", sa.String(length=43), nullable=True))
    op.create_index(
        "ix_sales_orders_tracking_token", "sales_orders", ["tracking_token"], unique=True
    )
    op.create_index("ix_products_updated_at_id", "products", ["updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_products_updated_at_id", table_name="products")
    op.drop_index("ix_sales_orders_tracking_token", table_name="sales_orders")
    with op.batch_alter_table("sales_orders") as batch_op:
        batch_op.drop_column("tracking_token")
    op.drop_table("api_keys")
