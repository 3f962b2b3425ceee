"""customers and suppliers (issue 15 items 3 and 4)

Parties get a tax id, company/contact links, e-mail opt-out flags, an archived flag with
the party a duplicate was merged into, and a supplier's currency, lead time and payment
terms. supplier_products holds a supplier's terms per product, one row per pair.

On SQLite the two self-referencing keys are plain ADD COLUMNs with their REFERENCES inline
(as 0005 does), so the parties table, which orders and the credit ledger point at, is
never copied; the other columns go through batch_alter_table, which adds them in place.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SELF_KEYS = ("company_id", "merged_into_id")


def _add_self_key(column: str) -> None:
    name = f"fk_parties_{column}_parties"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE parties ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {name} REFERENCES parties (id)"
        )
    else:
        op.add_column("parties", sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(name), "parties", "parties", [column], ["id"])


def upgrade() -> None:
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tax_id", sa.String(length=40), server_default="", nullable=False)
        )
        for flag in ("is_company", "marketing_opt_out", "email_opt_out", "archived"):
            batch_op.add_column(
                sa.Column(flag, sa.Boolean(), server_default=sa.false(), nullable=False)
            )
        batch_op.add_column(
            sa.Column("currency", sa.String(length=3), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("lead_time_days", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("payment_terms", sa.String(length=100), server_default="", nullable=False)
        )
    for column in _SELF_KEYS:
        _add_self_key(column)
    op.create_index(op.f("ix_parties_company_id"), "parties", ["company_id"], unique=False)

    op.create_table(
        "supplier_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("supplier_sku", sa.String(length=64), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("min_order_qty", sa.Integer(), nullable=False),
        sa.Column("pack_size", sa.Integer(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("cost >= 0", name=op.f("ck_supplier_products_cost_not_negative")),
        sa.CheckConstraint(
            "min_order_qty >= 1", name=op.f("ck_supplier_products_min_order_qty_positive")
        ),
        sa.CheckConstraint("pack_size >= 1", name=op.f("ck_supplier_products_pack_size_positive")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_supplier_products_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["parties.id"], name=op.f("fk_supplier_products_supplier_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_products")),
        sa.UniqueConstraint(
            "supplier_id", "product_id", name=op.f("uq_supplier_products_supplier_id_product_id")
        ),
    )
    op.create_index(
        op.f("ix_supplier_products_product_id"), "supplier_products", ["product_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_supplier_products_product_id"), table_name="supplier_products")
    op.drop_table("supplier_products")
    op.drop_index(op.f("ix_parties_company_id"), table_name="parties")
    if op.get_bind().dialect.name != "sqlite":  # SQLite's copy drops them with the columns
        for column in _SELF_KEYS:
            op.drop_constraint(op.f(f"fk_parties_{column}_parties"), "parties", type_="foreignkey")
    with op.batch_alter_table("parties", schema=None) as batch_op:
        for column in (
            *_SELF_KEYS,
            "payment_terms",
            "lead_time_days",
            "currency",
            "archived",
            "email_opt_out",
            "marketing_opt_out",
            "is_company",
            "tax_id",
        ):
            batch_op.drop_column(column)
