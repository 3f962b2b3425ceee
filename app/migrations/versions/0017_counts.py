"""cycle counts (issue 16 item 2): stock_counts, their lines, one row per scan, and the bins
open counts hold (primary key on the bin: a bin is in at most one open count).

Revision ID: 0017_counts
Revises: 0016_stock_history
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0017_counts"
down_revision: str | None = "0016_stock_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = app.models.base.UTCDateTime(timezone=True)


def _fk(column: str, table: str, name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], name=name)


def upgrade() -> None:
    op.create_table(
        "stock_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("scope", sa.String(200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("closed_at", _TS, nullable=True),
        _fk("created_by", "users", "fk_stock_counts_created_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_stock_counts"),
    )
    op.create_table(
        "stock_count_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("expected", sa.Integer(), nullable=True),
        _fk("count_id", "stock_counts", "fk_stock_count_lines_count_id_stock_counts"),
        _fk("location_id", "locations", "fk_stock_count_lines_location_id_locations"),
        _fk("product_id", "products", "fk_stock_count_lines_product_id_products"),
        sa.PrimaryKeyConstraint("id", name="pk_stock_count_lines"),
        sa.UniqueConstraint(
            "count_id",
            "location_id",
            "product_id",
            name="uq_stock_count_lines_count_id_location_id_product_id",
        ),
    )
    op.create_index("ix_stock_count_lines_count_id", "stock_count_lines", ["count_id"])
    op.create_table(
        "stock_count_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("book_on_hand", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("scanned_at", _TS, nullable=False),
        _fk("line_id", "stock_count_lines", "fk_stock_count_scans_line_id_stock_count_lines"),
        _fk("user_id", "users", "fk_stock_count_scans_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_stock_count_scans"),
    )
    op.create_index("ix_stock_count_scans_line_id", "stock_count_scans", ["line_id"])
    op.create_table(
        "stock_count_bins",
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        _fk("location_id", "locations", "fk_stock_count_bins_location_id_locations"),
        _fk("count_id", "stock_counts", "fk_stock_count_bins_count_id_stock_counts"),
        sa.PrimaryKeyConstraint("location_id", name="pk_stock_count_bins"),
    )
    op.create_index("ix_stock_count_bins_count_id", "stock_count_bins", ["count_id"])


def downgrade() -> None:
    for table in ("stock_count_bins", "stock_count_scans", "stock_count_lines", "stock_counts"):
        op.drop_table(table)
