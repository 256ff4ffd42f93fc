"""Staff accounts for the console, and the access log naming the account a `users` command acted on.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
ROLES = ("coordinator", "clinician", "admin")
OLD_ACTIONS = ("list", "export", "show", "set-status", "notifications", "deliver", "crises", "transcript", "review-crisis")
NEW_ACTIONS = (*OLD_ACTIONS, "user-add", "user-list", "user-disable", "user-password")
ACTIONS_CHECK = "ck_access_log_action"  # 0003's name, final (op.f)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _replace_actions_check(batch, actions: tuple[str, ...]) -> None:
    batch.drop_constraint(op.f(ACTIONS_CHECK), type_="check")
    batch.create_check_constraint(op.f(ACTIONS_CHECK), sa.text(_one_of("action", actions)))


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("password_changed_at", UTC_DATETIME, nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTC_DATETIME, nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username", name=op.f("uq_staff_users_username")),
        sa.CheckConstraint(_one_of("role", ROLES), name=op.f("ck_staff_users_role")),
        sa.CheckConstraint("username = lower(username)", name=op.f("ck_staff_users_username_lower")),
    )
    # Batch mode: SQLite rebuilds the table to change a CHECK; PostgreSQL gets plain ALTERs.
    with op.batch_alter_table("access_log") as batch:
        batch.add_column(sa.Column("account", sa.String(length=64), nullable=True))
        batch.create_index(op.f("ix_access_log_account"), ["account"])
        _replace_actions_check(batch, NEW_ACTIONS)


def downgrade() -> None:
    # Accounts and the audit of their changes would be lost: refuse rather than delete them.
    bind = op.get_bind()
    accounts = bind.scalar(sa.text("SELECT count(*) FROM staff_users"))
    audited = bind.scalar(sa.text("SELECT count(*) FROM access_log WHERE account IS NOT NULL OR action LIKE 'user-%'"))
    if accounts or audited:
        raise RuntimeError(f"{accounts} staff account(s), {audited} access_log row(s) about them: not downgrading")
    with op.batch_alter_table("access_log") as batch:
        _replace_actions_check(batch, OLD_ACTIONS)
        batch.drop_index(op.f("ix_access_log_account"))
        batch.drop_column("account")
    op.drop_table("staff_users")
