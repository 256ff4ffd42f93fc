"""The staff console: claims, due times, call outcomes, notes, crisis review notes, conversation tags and
reply flags, server-side sessions, personal tokens, console settings, and a hash-chained access log.

Revision ID: 0008
Revises: 0007
"""

import hashlib
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
OLD_STATUSES = ("new", "contacted", "scheduled", "closed", "no_answer")
NEW_STATUSES = (*OLD_STATUSES, "unable_to_reach")
OLD_ACTIONS = (
    "list", "export", "show", "set-status", "notifications", "deliver", "crises", "transcript", "review-crisis",
    "user-add", "user-list", "user-disable", "user-password",
)  # fmt: skip
ACTIONS_CHECK = "ck_access_log_action"
GENESIS = "0" * 64  # the hash before the first row (assistant/db/audit.py has the same)
CHAINED = ("id", "at", "who", "on_behalf_of", "action", "reference", "conversation_id", "account", "address", "detail")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _utc_text(at) -> str:
    if isinstance(at, str):  # SQLite hands back text, without an offset (stored as UTC)
        at = datetime.fromisoformat(at)
    at = at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(previous: str, row: dict) -> str:
    """assistant/db/audit.py's chain, frozen here as it was at this revision."""
    fields = {name: (_utc_text(row[name]) if name == "at" else row[name]) for name in CHAINED}
    return hashlib.sha256((previous + json.dumps(fields, sort_keys=True)).encode()).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("callback_requests") as batch:
        batch.add_column(sa.Column("due_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("claimed_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("unanswered_attempts", sa.Integer(), nullable=False, server_default="0"))
        # 0002 passed a full name, to which alembic applied the naming convention once more (as 0003 says).
        batch.drop_constraint(op.f("ck_callback_requests_ck_callback_requests_status"), type_="check")
        batch.create_check_constraint(op.f("ck_callback_requests_status"), sa.text(_one_of("status", NEW_STATUSES)))
        batch.create_index("ix_callback_requests_due", ["priority_rank", "due_at"])
    # Requests made before due times existed: due when they were made (staff see them as overdue, not lost).
    op.execute("UPDATE callback_requests SET due_at = created_at WHERE due_at IS NULL")

    with op.batch_alter_table("status_changes") as batch:
        batch.add_column(sa.Column("outcome", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("scheduled_for", sa.Date(), nullable=True))

    with op.batch_alter_table("crisis_events") as batch:
        batch.add_column(sa.Column("review_note", sa.Text(), nullable=True))

    op.create_table(
        "request_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["callback_requests.id"],
                                name=op.f("fk_request_notes_request_id_callback_requests")),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_request_notes_request_id"), "request_notes", ["request_id"])

    op.create_table(
        "conversation_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", "tag", name="uq_conversation_tags_conversation_tag"),
    )
    op.create_index(op.f("ix_conversation_tags_tag"), "conversation_tags", ["tag"])

    op.create_table(
        "reply_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("flagged_by", sa.String(length=64), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint(_one_of("kind", ("wrong", "unsafe")), name=op.f("ck_reply_flags_kind")),
    )
    op.create_index(op.f("ix_reply_flags_conversation_id"), "reply_flags", ["conversation_id"])

    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("last_seen_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index(op.f("ix_staff_sessions_last_seen_at"), "staff_sessions", ["last_seen_at"])

    op.create_table(
        "staff_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("last_used_at", UTC_DATETIME, nullable=True),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_tokens_token_hash")),
    )

    op.create_table(
        "console_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )

    # The access log: where from, a short non-PHI detail, and a hash chain (each row's hash covers the one before).
    with op.batch_alter_table("access_log") as batch:
        batch.add_column(sa.Column("address", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("detail", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
        batch.alter_column("action", type_=sa.String(length=32), existing_type=sa.String(length=16))
        # Actions are named by the code that writes them (assistant/db/audit.py ACTIONS): no CHECK to widen each time.
        batch.drop_constraint(op.f(ACTIONS_CHECK), type_="check")
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=True),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT {', '.join(CHAINED)} FROM access_log ORDER BY id")).mappings().all()
    previous, last_id = GENESIS, None
    for row in rows:
        previous = row_hash(previous, dict(row))
        last_id = row["id"]
        bind.execute(sa.text("UPDATE access_log SET row_hash = :h WHERE id = :id"), {"h": previous, "id": row["id"]})
    bind.execute(sa.text("INSERT INTO audit_chain_head (id, last_id, last_hash) VALUES (1, :last_id, :last_hash)"),
                 {"last_id": last_id, "last_hash": previous})


# What only the console writes: a downgrade would lose it, so it refuses while any exists.
CONSOLE_DATA = (
    "SELECT count(*) FROM request_notes", "SELECT count(*) FROM conversation_tags", "SELECT count(*) FROM reply_flags",
    "SELECT count(*) FROM staff_tokens", "SELECT count(*) FROM console_settings",
    "SELECT count(*) FROM status_changes WHERE outcome IS NOT NULL",
    "SELECT count(*) FROM callback_requests WHERE claimed_by IS NOT NULL OR status = 'unable_to_reach' OR attempts > 0",
    "SELECT count(*) FROM crisis_events WHERE review_note IS NOT NULL",
    "SELECT count(*) FROM access_log WHERE (address IS NOT NULL AND address <> 'local') OR detail IS NOT NULL"
    f" OR action NOT IN ({', '.join(repr(a) for a in OLD_ACTIONS)})",
)  # fmt: skip


def downgrade() -> None:
    bind = op.get_bind()
    kept = sum(bind.scalar(sa.text(query)) for query in CONSOLE_DATA)
    if kept:
        raise RuntimeError(f"{kept} console record(s) (notes, outcomes, flags, audit rows...): not downgrading")
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("access_log") as batch:
        batch.drop_column("row_hash")
        batch.drop_column("detail")
        batch.drop_column("address")
        batch.alter_column("action", type_=sa.String(length=16), existing_type=sa.String(length=32))
        batch.create_check_constraint(op.f(ACTIONS_CHECK), sa.text(_one_of("action", OLD_ACTIONS)))
    for table in ("console_settings", "staff_tokens", "staff_sessions", "reply_flags", "conversation_tags",
                  "request_notes"):
        op.drop_table(table)
    with op.batch_alter_table("crisis_events") as batch:
        batch.drop_column("review_note")
    with op.batch_alter_table("status_changes") as batch:
        batch.drop_column("scheduled_for")
        batch.drop_column("outcome")
    with op.batch_alter_table("callback_requests") as batch:
        batch.drop_index("ix_callback_requests_due")
        batch.drop_constraint(op.f("ck_callback_requests_status"), type_="check")
        batch.create_check_constraint(op.f("ck_callback_requests_ck_callback_requests_status"),
                                      sa.text(_one_of("status", OLD_STATUSES)))
        for column in ("unanswered_attempts", "attempts", "claimed_at", "claimed_by", "due_at"):
            batch.drop_column(column)
