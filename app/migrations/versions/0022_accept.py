"""acceptance queue (issue 17): an index on addresses.postcode, so "another customer of
the same name at the same postcode" is a look-up of a page's postcodes, not a scan of
every customer's addresses.

Revision ID: 0022_accept
Revises: 0021_transit
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022_accept"
down_revision: str | None = "0021_transit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_addresses_postcode"), "addresses", ["postcode"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_addresses_postcode"), table_name="addresses")
