"""Access log for crisis review: the conversation seen, and the crises / transcript / review-crisis actions.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD_ACTIONS = ("list", "export", "show", "set-status", "notifications", "deliver")
NEW_ACTIONS = (*OLD_ACTIONS, "crises", "transcript", "review-crisis")
# 0002 passed full names, to which alembic applied the naming convention once more; 0003 uses the models' name.
NAME_FROM_0002 = "ck_access_log_ck_access_log_action"
NAME = "ck_access_log_action"


def _actions_check(actions: tuple[str, ...]) -> str:
    return f"action IN ({', '.join(repr(a) for a in actions)})"


def _replace_actions_check(batch, old_name: str, new_name: str, actions: tuple[str, ...]) -> None:
    # op.f: the names are final, not to go through the naming convention again.
    batch.drop_constraint(op.f(old_name), type_="check")
    batch.create_check_constraint(op.f(new_name), sa.text(_actions_check(actions)))


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table to change a CHECK; PostgreSQL gets plain ALTERs.
    with op.batch_alter_table("access_log") as batch:
        batch.add_column(sa.Column("conversation_id", sa.String(length=255), nullable=True))
        _replace_actions_check(batch, NAME_FROM_0002, NAME, NEW_ACTIONS)
        batch.create_index("ix_access_log_conversation_id", ["conversation_id"])


def downgrade() -> None:
    # Fails while rows use the new actions: audit rows are never deleted to make the old CHECK fit.
    with op.batch_alter_table("access_log") as batch:
        batch.drop_index("ix_access_log_conversation_id")
        batch.drop_column("conversation_id")
        _replace_actions_check(batch, NAME, NAME_FROM_0002, OLD_ACTIONS)
