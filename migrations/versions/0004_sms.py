"""SMS channel: per-number consent, privacy notice and offered options; inbound messages by MessageSid.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sms_numbers",
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("opted_out_at", UTC_DATETIME, nullable=True),
        sa.Column("opted_in_at", UTC_DATETIME, nullable=True),
        sa.Column("privacy_notice_at", UTC_DATETIME, nullable=True),
        sa.Column("offered_options", sa.Text(), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("phone"),
    )
    op.create_table(
        "sms_messages",
        sa.Column("message_sid", sa.String(length=64), nullable=False),
        sa.Column("received_at", UTC_DATETIME, nullable=False),
        sa.Column("answered_at", UTC_DATETIME, nullable=True),
        sa.Column("reply_twiml", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("message_sid"),
    )
    op.create_index("ix_sms_messages_answered_at", "sms_messages", ["answered_at"])


def downgrade() -> None:
    op.drop_index("ix_sms_messages_answered_at", table_name="sms_messages")
    op.drop_table("sms_messages")
    op.drop_table("sms_numbers")
