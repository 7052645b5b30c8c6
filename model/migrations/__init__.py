"""The schema's history, run by Alembic from code (there is no alembic.ini).

``HEAD_REVISION`` lets :mod:`model.db` see with plain ``sqlite3`` that a database is current
without importing Alembic, which costs a noticeable part of start-up.  A test keeps it equal to
Alembic's real head: add a revision, and that test tells you to update it.

Everything that needs Alembic imports it inside the function.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection

#: The newest revision in ``versions/``.
HEAD_REVISION = "0003"
MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at this folder; ``env.py`` uses ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def is_known_revision(revision: str) -> bool:
    """Whether this program's migrations know ``revision`` (a newer program's are unknown)."""
    from alembic.util import CommandError

    try:
        return script_directory().get_revision(revision) is not None
    except CommandError:
        return False


def upgrade_to_head(connection: Connection) -> None:
    """Bring the database behind ``connection`` to ``HEAD_REVISION`` (the caller commits)."""
    from alembic import command

    command.upgrade(alembic_config(connection), "head")
