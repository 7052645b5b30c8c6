"""Alembic's entry point: run the migrations on the connection ``model.migrations`` passes in.

Always online and always on a given connection: the program migrates its own database at open
and never generates SQL scripts.  ``render_as_batch`` because SQLite cannot alter most of a
table in place; Alembic rebuilds the table instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from model.tables import metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise TypeError("run the migrations through model.migrations, which passes a connection")
run_migrations(_connection)
