"""Who really did it: the OS user in who / changed_by / reviewed_by, a name given to `intake` only "on behalf of".

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (table, column): a name the staff member gave (--staff, $INTAKE_STAFF, --by), next to the OS user who ran it.
COLUMNS = (
    ("access_log", "on_behalf_of"),
    ("status_changes", "on_behalf_of"),
    ("crisis_events", "reviewed_on_behalf_of"),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.String(length=255), nullable=True))


def downgrade() -> None:
    # The audit trail would lose the names given: refuse rather than drop them.
    bind = op.get_bind()
    for table, column in COLUMNS:
        kept = bind.scalar(sa.text(f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"))
        if kept:
            raise RuntimeError(f"{kept} row(s) of {table} name someone in {column}: 0005 cannot hold them; not downgrading")
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
