"""product variants (issue 15): products.template_id (the template a variant belongs to;
indexed, no foreign key: adding one would copy the products table on SQLite) and
products.variant_attrs ("Size: M, Colour: Blue"); a unit's dimensions in millimetres
(products.length_mm, width_mm, height_mm; 0 = not given).

Revision ID: 0025_variants
Revises: 0024_outbox
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_variants"
down_revision: str | None = "0024_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("products", sa.Column("template_id", sa.Integer(), nullable=True))
    op.add_column(
        "products",
        sa.Column("variant_attrs", sa.String(length=200), server_default="", nullable=False),
    )
    op.create_index(op.f("ix_products_template_id"), "products", ["template_id"], unique=False)
    for column in ("length_mm", "width_mm", "height_mm"):
        op.add_column(
            "products", sa.Column(column, sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_products_template_id"), table_name="products")
    with op.batch_alter_table("products") as batch_op:
        batch_op.drop_column("variant_attrs")
        for column in ("length_mm", "width_mm", "height_mm"):
            batch_op.drop_column(column)
        batch_op.drop_column("template_id")
