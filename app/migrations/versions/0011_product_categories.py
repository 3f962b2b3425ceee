"""product categories (issue 15: a catalogue in a tree, imported as "Coffee > Beans")

A categories table (a tree: each node names its parent, a name unique among siblings)
and products.category_id, nullable: products already there stay uncategorised.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["categories.id"], name=op.f("fk_categories_parent_id_categories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("parent_id", "name", name=op.f("uq_categories_parent_id_name")),
    )
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_categories_parent_id"), ["parent_id"], unique=False)

    # A plain ADD COLUMN (the foreign key inline), so SQLite never copies products.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE products ADD COLUMN category_id INTEGER "
            "CONSTRAINT fk_products_category_id_categories REFERENCES categories (id)"
        )
    else:
        op.add_column("products", sa.Column("category_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_products_category_id_categories"),
            "products",
            "categories",
            ["category_id"],
            ["id"],
        )
    op.create_index(op.f("ix_products_category_id"), "products", ["category_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_products_category_id"), table_name="products")
    if op.get_bind().dialect.name != "sqlite":  # SQLite's copy drops it with the column
        op.drop_constraint(
            op.f("fk_products_category_id_categories"), "products", type_="foreignkey"
        )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("category_id")

    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_categories_parent_id"))

    op.drop_table("categories")
