"""Callback requests with their answers, scores, notifications, status history and the access log.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _request_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["request_id"], ["callback_requests.id"], name=f"fk_{table}_request_id_callback_requests")


def upgrade() -> None:
    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("priority_rank", sa.Integer(), nullable=False),
        sa.Column("for_whom", sa.String(length=16), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("phone_e164", sa.String(length=20), nullable=False),
        sa.Column("best_time", sa.String(length=255), nullable=False),
        sa.Column("voicemail_ok", sa.Boolean(), nullable=True),
        sa.Column("text_ok", sa.Boolean(), nullable=True),
        sa.Column("callback_window", sa.String(length=255), nullable=False),
        sa.Column("crisis_flag", sa.Boolean(), nullable=False),
        sa.Column("same_day", sa.Boolean(), nullable=False),
        sa.Column("triage_reasons", sa.Text(), nullable=False),
        sa.Column("consent_notice_version", sa.String(length=32), nullable=False),
        sa.Column("consent_at", UTC_DATETIME, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference", name="uq_callback_requests_reference"),
        sa.CheckConstraint(
            "status IN ('new', 'contacted', 'scheduled', 'closed', 'no_answer')", name="ck_callback_requests_status"
        ),
        sa.CheckConstraint("priority IN ('URGENT', 'HIGH', 'ROUTINE')", name="ck_callback_requests_priority"),
        sa.CheckConstraint("for_whom IN ('self', 'loved_one')", name="ck_callback_requests_for_whom"),
    )
    op.create_index("ix_callback_requests_conversation_id", "callback_requests", ["conversation_id"])
    op.create_index("ix_callback_requests_status", "callback_requests", ["status"])
    op.create_index("ix_callback_requests_queue", "callback_requests", ["priority_rank", "created_at"])

    op.create_table(
        "intake_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("asam_dimension", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        _request_fk("intake_answers"),
    )
    op.create_index("ix_intake_answers_request_id", "intake_answers", ["request_id"])

    op.create_table(
        "screening_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("max_score", sa.Integer(), nullable=True),
        sa.Column("positive", sa.Boolean(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        _request_fk("screening_scores"),
    )
    op.create_index("ix_screening_scores_request_id", "screening_scores", ["request_id"])

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("delivered_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        _request_fk("notifications"),
        sa.CheckConstraint("channel IN ('smtp', 'webhook')", name="ck_notifications_channel"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_notifications_status"),
    )
    op.create_index("ix_notifications_request_id", "notifications", ["request_id"])
    op.create_index("ix_notifications_due", "notifications", ["status", "next_attempt_at"])

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("changed_by", sa.String(length=255), nullable=False),
        sa.Column("changed_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        _request_fk("status_changes"),
    )
    op.create_index("ix_status_changes_request_id", "status_changes", ["request_id"])

    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("who", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=True),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint(
            "action IN ('list', 'export', 'show', 'set-status', 'notifications', 'deliver')", name="ck_access_log_action"
        ),
    )
    op.create_index("ix_access_log_reference", "access_log", ["reference"])


def downgrade() -> None:
    for table in ("access_log", "status_changes", "notifications", "screening_scores", "intake_answers", "callback_requests"):
        op.drop_table(table)
