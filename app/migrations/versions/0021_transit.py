"""transfers between warehouses through in-transit (issue 16 item 1): transit_transfers
(a numbered document, from and to warehouse, in_transit or received) and transit_lines
(what left, what has arrived).

Revision ID: 0021_transit
Revises: 0020_channels
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0021_transit"
down_revision: str | None = "0020_channels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "transit_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("from_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("to_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_transit_transfers_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["from_warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_transit_transfers_from_warehouse_id_warehouses"),
        ),
        sa.ForeignKeyConstraint(
            ["to_warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_transit_transfers_to_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transit_transfers")),
        sa.UniqueConstraint("number", name=op.f("uq_transit_transfers_number")),
    )
    op.create_table(
        "transit_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_transit_lines_quantity_positive")),
        sa.CheckConstraint(
            "received >= 0 AND received <= quantity", name=op.f("ck_transit_lines_received_within")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_transit_lines_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["transit_transfers.id"],
            name=op.f("fk_transit_lines_transfer_id_transit_transfers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transit_lines")),
    )
    op.create_index(
        op.f("ix_transit_lines_transfer_id"), "transit_lines", ["transfer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_transit_lines_transfer_id"), table_name="transit_lines")
    op.drop_table("transit_lines")
    op.drop_table("transit_transfers")
