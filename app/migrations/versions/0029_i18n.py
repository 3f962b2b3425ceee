"""languages (issue 21): users.language (the screens' and the CLI's language, "" = the
workstation's: KESTREL_LANG, else the system locale) and parties.language (the language of
a customer's e-mails and invoices, "" = the shop's).

Revision ID: 0029_i18n
Revises: 0028_report_cover
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029_i18n"
down_revision: str | None = "0028_report_cover"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("users", "parties"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("language", sa.String(16), nullable=False, server_default="")
            )


def downgrade() -> None:
    for table in ("users", "parties"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("language")
