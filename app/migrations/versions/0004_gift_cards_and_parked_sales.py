"""gift cards and parked sales

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 21:56:11.729445
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("render_spec", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "parked_sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("till", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("cart", sa.Text(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_parked_sales_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parked_sales")),
    )
    op.create_table(
        "gift_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("balance", sa.Integer(), nullable=False),
        sa.Column("issued_amount", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("balance >= 0", name=op.f("ck_gift_cards_balance_not_negative")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_gift_cards_order_id_sales_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gift_cards")),
        sa.UniqueConstraint("code", name=op.f("uq_gift_cards_code")),
    )
    op.create_table(
        "gift_card_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gift_card_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["gift_card_id"],
            ["gift_cards.id"],
            name=op.f("fk_gift_card_entries_gift_card_id_gift_cards"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_orders.id"],
            name=op.f("fk_gift_card_entries_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_gift_card_entries_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gift_card_entries")),
    )
    with op.batch_alter_table("gift_card_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gift_card_entries_gift_card_id"), ["gift_card_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.drop_column("render_spec")
    with op.batch_alter_table("gift_card_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gift_card_entries_gift_card_id"))

    op.drop_table("gift_card_entries")
    op.drop_table("gift_cards")
    op.drop_table("parked_sales")
