"""Alembic environment for assistant/records.py.

records.migrate() hands over an open connection; the alembic command line
reads the URL from ASSISTANT_DATABASE_URL (records.database_url()).
"""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine

from assistant import records

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run_migrations(connection) -> None:
    # SQLite cannot ALTER most things: later migrations rebuild tables in batch mode.
    context.configure(
        connection=connection,
        target_metadata=records.Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=records.database_url(), target_metadata=records.Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif "connection" in config.attributes:
    run_migrations(config.attributes["connection"])
else:
    with create_engine(records.database_url(), future=True).begin() as connection:
        run_migrations(connection)
