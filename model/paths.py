"""Where the program keeps its files.

Every directory is resolved here, with platformdirs, so that the data, its backups and the
logs land where each operating system expects them (``%LOCALAPPDATA%\\nianbao`` on Windows) and
so that a command-line override or a test can point the whole program at a throwaway folder.
Directories are created when first asked for, never at import: importing must not touch disk.
platformdirs itself loads when a folder is first asked for (a command given ``--db`` never).
"""

from __future__ import annotations

from pathlib import Path

APP_NAME = "nianbao"
DB_FILE_NAME = "nianbao.sqlite3"
BACKUP_DIR_NAME = "backups"


def data_dir(override: Path | None = None) -> Path:
    """The folder holding the database (``override`` if given, e.g. ``--data-dir``)."""
    folder = override if override is not None else _platform_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_db_path(override: Path | None = None) -> Path:
    """The database a clerk works in unless told otherwise."""
    return data_dir(override) / DB_FILE_NAME


def backup_dir(db_path: Path) -> Path:
    """A ``backups`` folder next to the database, so a backup moves with the data it saves."""
    folder = db_path.parent / BACKUP_DIR_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_dir() -> Path:
    """The folder for the rotating log file."""
    import platformdirs

    folder = platformdirs.user_log_path(APP_NAME, appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _platform_data_dir() -> Path:
    import platformdirs

    # appauthor=False: no extra "nianbao\nianbao" level on Windows.
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def resources_dir() -> Path:
    """The program's own read-only files (fonts, schema, icons): ``resources/`` beside the code,
    or inside the bundle when the program runs frozen."""
    import sys

    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "resources"
