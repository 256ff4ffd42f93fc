"""Crisis alerts in the notification outbox: a notification is for a request or for a crisis event.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The names the models' naming convention gives; op.f keeps them as they are.
FK = "fk_notifications_crisis_event_id_crisis_events"
INDEX = "ix_notifications_crisis_event_id"
CHECK = "ck_notifications_subject"
SUBJECT_CHECK = "(request_id IS NULL) <> (crisis_event_id IS NULL)"


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table (keeping its rows and other constraints); PostgreSQL gets plain ALTERs.
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("crisis_event_id", sa.Integer(), nullable=True))
        batch.alter_column("request_id", existing_type=sa.Integer(), nullable=True)
        batch.create_foreign_key(op.f(FK), "crisis_events", ["crisis_event_id"], ["id"])
        batch.create_index(op.f(INDEX), ["crisis_event_id"])
        batch.create_check_constraint(op.f(CHECK), sa.text(SUBJECT_CHECK))


def downgrade() -> None:
    # 0004 has no place for a crisis alert, and the outbox is a record of who was told: refuse rather than delete.
    alerts = op.get_bind().scalar(sa.text("SELECT count(*) FROM notifications WHERE crisis_event_id IS NOT NULL"))
    if alerts:
        raise RuntimeError(f"{alerts} crisis alert(s) in notifications: 0004 cannot hold them; not downgrading")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.drop_index(op.f(INDEX))
        batch.drop_constraint(op.f(FK), type_="foreignkey")
        batch.drop_column("crisis_event_id")
        batch.alter_column("request_id", existing_type=sa.Integer(), nullable=False)
