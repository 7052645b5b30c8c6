"""The store's expected failures.  Each ``str()`` is the message for the clerk, in Chinese.

Kept apart from :mod:`model.db` so that reading the database at start-up (:mod:`model.dbfile`,
:mod:`model.reads`) can raise and catch them without importing SQLAlchemy.
"""

from __future__ import annotations


class StoreError(Exception):
    """An expected failure of the store; ``str()`` is the message for the clerk."""


class DatabaseError(StoreError):
    """The database file cannot be used (not a database, damaged, newer, locked, full disk)."""


class BrokenDatabaseError(DatabaseError):
    """The file itself is unusable (not a database, damaged, or from a newer program): trying
    again will not help, only restoring a backup or starting a new file will."""


class OperationError(StoreError):
    """A read or write the clerk asked for that cannot be done; ``str()`` says why."""
