"""purchase orders, reorder rules, lots and serials (issue 16 items 3-5), tax classes
(issue 15): purchase_orders and their lines, reorder_rules, lots with their per-bin
levels, stock_moves.lot_id (indexed, no foreign key: adding one would copy the whole
ledger on SQLite), products.tracking and products.tax_class, parties.code (a supplier's short code).

Revision ID: 0018_purchasing
Revises: 0017_counts
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0018_purchasing"
down_revision: str | None = "0017_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_purchase_orders_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["parties.id"], name=op.f("fk_purchase_orders_supplier_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_purchase_orders_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_purchase_orders_number")),
    )
    op.create_index(
        "ix_purchase_orders_status_warehouse_id",
        "purchase_orders",
        ["status", "warehouse_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_purchase_orders_supplier_id"), "purchase_orders", ["supplier_id"], unique=False
    )
    op.create_table(
        "lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("is_serial", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_lots_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lots")),
        sa.UniqueConstraint("product_id", "code", name=op.f("uq_lots_product_id_code")),
    )
    op.create_index("ix_lots_expires_on", "lots", ["expires_on"], unique=False)
    op.create_table(
        "purchase_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("supplier_sku", sa.String(length=64), nullable=False),
        sa.Column("ordered", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Integer(), nullable=False),
        sa.CheckConstraint("ordered > 0", name=op.f("ck_purchase_order_lines_ordered_positive")),
        sa.CheckConstraint(
            "received >= 0", name=op.f("ck_purchase_order_lines_received_not_negative")
        ),
        sa.CheckConstraint(
            "unit_cost >= 0", name=op.f("ck_purchase_order_lines_unit_cost_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["purchase_orders.id"],
            name=op.f("fk_purchase_order_lines_order_id_purchase_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_purchase_order_lines_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_lines")),
    )
    op.create_index(
        op.f("ix_purchase_order_lines_order_id"), "purchase_order_lines", ["order_id"], unique=False
    )
    op.create_index(
        "ix_purchase_order_lines_product_id_order_id",
        "purchase_order_lines",
        ["product_id", "order_id"],
        unique=False,
    )
    op.create_table(
        "reorder_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("min_qty", sa.Integer(), nullable=False),
        sa.Column("max_qty", sa.Integer(), nullable=False),
        sa.Column("multiple", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "lead_time_days >= 0", name=op.f("ck_reorder_rules_lead_time_not_negative")
        ),
        sa.CheckConstraint("max_qty >= min_qty", name=op.f("ck_reorder_rules_max_at_least_min")),
        sa.CheckConstraint("min_qty >= 0", name=op.f("ck_reorder_rules_min_not_negative")),
        sa.CheckConstraint("multiple >= 1", name=op.f("ck_reorder_rules_multiple_positive")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_reorder_rules_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["parties.id"], name=op.f("fk_reorder_rules_supplier_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_reorder_rules_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reorder_rules")),
        sa.UniqueConstraint(
            "product_id", "warehouse_id", name=op.f("uq_reorder_rules_product_id_warehouse_id")
        ),
    )
    op.create_index(
        op.f("ix_reorder_rules_warehouse_id"), "reorder_rules", ["warehouse_id"], unique=False
    )
    op.create_table(
        "lot_levels",
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.CheckConstraint("on_hand >= 0", name=op.f("ck_lot_levels_on_hand_not_negative")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_lot_levels_location_id_locations")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_lot_levels_lot_id_lots")),
        sa.PrimaryKeyConstraint("lot_id", "location_id", name=op.f("pk_lot_levels")),
    )
    op.create_index(op.f("ix_lot_levels_location_id"), "lot_levels", ["location_id"], unique=False)
    op.add_column(
        "products",
        sa.Column("tracking", sa.String(length=10), server_default="none", nullable=False),
    )
    op.add_column(
        "products", sa.Column("tax_class", sa.String(length=20), server_default="", nullable=False)
    )
    op.add_column("stock_moves", sa.Column("lot_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_stock_moves_lot_id"), "stock_moves", ["lot_id"], unique=False)
    op.add_column("parties", sa.Column("code", sa.String(length=20), nullable=True))
    op.create_index(op.f("ix_parties_code"), "parties", ["code"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_parties_code", table_name="parties")
    with op.batch_alter_table("parties") as batch_op:
        batch_op.drop_column("code")
    op.drop_index("ix_stock_moves_lot_id", table_name="stock_moves")
    with op.batch_alter_table("stock_moves") as batch_op:
        batch_op.drop_column("lot_id")
    with op.batch_alter_table("products") as batch_op:
        batch_op.drop_column("tax_class")
        batch_op.drop_column("tracking")
    for table in (
        "lot_levels",
        "reorder_rules",
        "purchase_order_lines",
        "lots",
        "purchase_orders",
    ):
        op.drop_table(table)
