"""Alembic environment for the records database (assistant/db/).

engine.migrate() hands over an open connection; the alembic command line
reads the URL from ASSISTANT_DATABASE_URL (engine.database_url()).
"""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine

from assistant.db.engine import database_url
from assistant.db.models import Base

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run_migrations(connection) -> None:
    # SQLite cannot ALTER most things: later migrations rebuild tables in batch mode.
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif "connection" in config.attributes:
    run_migrations(config.attributes["connection"])
else:
    with create_engine(database_url(), future=True).begin() as connection:
        run_migrations(connection)
