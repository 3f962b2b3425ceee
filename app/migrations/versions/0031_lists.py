"""lists at a million (issue 20, target 4/5): an index on lower(parties.name), so the
acceptance queue's look-alike customers (same name and postcode) start from the page's
names instead of every customer in the page's postcodes (a few postcode areas hold most
customers: 210 ms for one page on 100,000 customers, 65 ms with the index).

Revision ID: 0031_lists
Revises: 0030_report_summaries
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_lists"
down_revision: str | None = "0030_report_summaries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_parties_lower_name", "parties", [sa.text("lower(name)")])


def downgrade() -> None:
    op.drop_index("ix_parties_lower_name", table_name="parties")
