"""customer e-mails (issue 18): on outbox_messages the Message-ID (unique, made when the
row is written), the event and kind (transactional or marketing), the HTML part, From and
Reply-To, extra headers, an attachment reference rendered at send time, and the sender's
claim (who, when, and how often a claim was taken over after an interrupted send).

Revision ID: 0024_outbox
Revises: 0023_api_keys
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0024_outbox"
down_revision: str | None = "0023_api_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_COLUMNS = (
    ("event", sa.String(length=30)),
    ("kind", sa.String(length=20)),
    ("html_body", sa.Text()),
    ("from_address", sa.String(length=254)),
    ("reply_to", sa.String(length=254)),
    ("headers", sa.Text()),
    ("attachment", sa.String(length=60)),
    ("claimed_by", sa.String(length=64)),
)


def upgrade() -> None:
    op.add_column("outbox_messages", sa.Column("message_id", sa.String(length=250), nullable=True))
    for name, kind in _TEXT_COLUMNS:
        op.add_column("outbox_messages", sa.Column(name, kind, server_default="", nullable=False))
    op.add_column(
        "outbox_messages",
        sa.Column("claimed_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "outbox_messages",
        sa.Column("interrupted", sa.Integer(), server_default="0", nullable=False),
    )
    op.create_index("ix_outbox_messages_message_id", "outbox_messages", ["message_id"], unique=True)
    op.create_index("ix_outbox_messages_order_id_id", "outbox_messages", ["order_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_messages_order_id_id", table_name="outbox_messages")
    op.drop_index("ix_outbox_messages_message_id", table_name="outbox_messages")
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_column("interrupted")
        batch_op.drop_column("claimed_at")
        for name, _kind in reversed(_TEXT_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("message_id")
