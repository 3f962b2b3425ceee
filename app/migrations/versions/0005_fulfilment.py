"""fulfilment

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 22:13:34.896429
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "carriers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("service", sa.String(length=100), nullable=False),
        sa.Column("tracking_pattern", sa.String(length=200), nullable=False),
        sa.Column("tracking_template", sa.String(length=100), nullable=False),
        sa.Column("tracking_url", sa.String(length=300), nullable=False),
        sa.Column("label_format", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carriers")),
        sa.UniqueConstraint("code", name=op.f("uq_carriers_code")),
    )
    op.create_table(
        "assignment_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_assignment_rules_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_rules")),
    )
    op.create_table(
        "pick_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_pick_lists_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_pick_lists_warehouse_id_warehouses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_lists")),
        sa.UniqueConstraint("number", name=op.f("uq_pick_lists_number")),
    )
    with op.batch_alter_table("pick_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pick_lists_status"), ["status"], unique=False)

    op.create_table(
        "returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("refunded", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_returns_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_returns_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
        sa.UniqueConstraint("number", name=op.f("uq_returns_number")),
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_returns_order_id"), ["order_id"], unique=False)

    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("shipped_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["carrier_id"], ["carriers.id"], name=op.f("fk_shipments_carrier_id_carriers")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_shipments_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_shipments_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shipments_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_shipments_shipped_at", ["shipped_at"], unique=False)
        batch_op.create_index("ix_shipments_status", ["status"], unique=False)

    op.create_table(
        "packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("weight_g", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=True),
        sa.Column("tracking_number", sa.String(length=60), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("weight_g >= 0", name=op.f("ck_packages_weight_not_negative")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_packages_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_packages_shipment_id_shipments")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_packages_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_packages")),
    )
    with op.batch_alter_table("packages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_packages_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_packages_shipment_id"), ["shipment_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_packages_tracking_number"), ["tracking_number"], unique=False
        )

    op.create_table(
        "pick_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pick_list_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("move_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.Column("short", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.CheckConstraint(
            "picked >= 0 AND picked <= quantity", name=op.f("ck_pick_lines_picked_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_pick_lines_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["move_id"], ["stock_moves.id"], name=op.f("fk_pick_lines_move_id_stock_moves")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_pick_lines_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_pick_lines_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["pick_list_id"], ["pick_lists.id"], name=op.f("fk_pick_lines_pick_list_id_pick_lists")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_pick_lines_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_lines")),
    )
    with op.batch_alter_table("pick_lines", schema=None) as batch_op:
        batch_op.create_index("ix_pick_lines_order_id_status", ["order_id", "status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pick_lines_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pick_lines_pick_list_id"), ["pick_list_id"], unique=False
        )

    op.create_table(
        "return_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("restocked", sa.Integer(), nullable=False),
        sa.Column("scrapped", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "received <= quantity AND restocked + scrapped <= received",
            name=op.f("ck_return_lines_counts_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_return_lines_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_return_lines_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_return_lines_return_id_returns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_lines")),
    )
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_return_lines_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_return_lines_return_id"), ["return_id"], unique=False)

    op.create_table(
        "package_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_package_items_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_package_items_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["package_id"], ["packages.id"], name=op.f("fk_package_items_package_id_packages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_items")),
    )
    with op.batch_alter_table("package_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_package_items_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_package_items_package_id"), ["package_id"], unique=False
        )

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipped", sa.Integer(), server_default="0", nullable=False))

    # Plain ADD COLUMNs (the foreign key inline), so SQLite never copies sales_orders.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE sales_orders ADD COLUMN carrier_id INTEGER "
            "CONSTRAINT fk_sales_orders_carrier_id_carriers REFERENCES carriers (id)"
        )
    else:
        op.add_column("sales_orders", sa.Column("carrier_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_sales_orders_carrier_id_carriers"),
            "sales_orders",
            "carriers",
            ["carrier_id"],
            ["id"],
        )
    op.add_column(
        "sales_orders", sa.Column("priority", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "sales_orders",
        sa.Column("due_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":  # SQLite's copy drops it with the column
        op.drop_constraint(
            op.f("fk_sales_orders_carrier_id_carriers"), "sales_orders", type_="foreignkey"
        )
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.drop_column("due_at")
        batch_op.drop_column("priority")
        batch_op.drop_column("carrier_id")

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("shipped")

    with op.batch_alter_table("package_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_package_items_package_id"))
        batch_op.drop_index(batch_op.f("ix_package_items_order_line_id"))

    op.drop_table("package_items")
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_lines_return_id"))
        batch_op.drop_index(batch_op.f("ix_return_lines_order_line_id"))

    op.drop_table("return_lines")
    with op.batch_alter_table("pick_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pick_lines_pick_list_id"))
        batch_op.drop_index(batch_op.f("ix_pick_lines_order_line_id"))
        batch_op.drop_index("ix_pick_lines_order_id_status")

    op.drop_table("pick_lines")
    with op.batch_alter_table("packages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_packages_tracking_number"))
        batch_op.drop_index(batch_op.f("ix_packages_shipment_id"))
        batch_op.drop_index(batch_op.f("ix_packages_order_id"))

    op.drop_table("packages")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_status")
        batch_op.drop_index("ix_shipments_shipped_at")
        batch_op.drop_index(batch_op.f("ix_shipments_order_id"))

    op.drop_table("shipments")
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returns_order_id"))

    op.drop_table("returns")
    with op.batch_alter_table("pick_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pick_lists_status"))

    op.drop_table("pick_lists")
    op.drop_table("assignment_rules")
    op.drop_table("carriers")
