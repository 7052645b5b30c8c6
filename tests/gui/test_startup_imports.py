"""What the window's first paint waits for: the modules imported before it, in a new process
started as the clerk starts it (``main.py --db FILE``).  Each module more is start-up time on
the slowest laptop (issue 20: first paint ≤ 1.3 × a bare window); the report, the formats,
the checks, SQLAlchemy and the exporters load after the paint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli
import main

from .conftest import ROOT, run_python

pytestmark = pytest.mark.gui

#: The program's own modules the first paint may wait for: the crash handler, the paths, the
#: single-instance guard and its lock, the settings, the fonts and the empty window.
BEFORE_PAINT = {
    "gui",
    "gui.app",
    "gui.crash",
    "gui.fonts",
    "gui.main_window",
    "gui.settings",
    "gui.single_instance",
    "main",
    "model",
    "model.dblock",
    "model.errors",
    "model.paths",
}
#: Other modules the program imports before its first paint and a bare PySide6 window does not
#: (the lock, the log and data folders: 10 on Linux with Python 3.11; the log file's handler,
#: with socket, pickle and queue, loads when the first record is written; the lock's file names
#: need no hash, whose OpenSSL cost ~3 ms);
#: anything beyond these is new start-up work that has to justify itself.
MORE_THAN_BARE = 13

# Runs main.py (or the bare window) and prints the modules loaded when the window first paints.
_SCRIPT = """
import builtins, json, os, runpy, sys
os.environ["NIANBAO_STARTUP_PROBE"] = "1"
real = builtins.print
def milestone(*args, **kwargs):
    if args and args[0] == "painted":
        real(json.dumps(sorted(sys.modules)), flush=True)
        os._exit(0)
    real(*args, **kwargs)
builtins.print = milestone
target = sys.argv[1]
sys.argv = [target, *sys.argv[2:]]
sys.path.insert(0, os.path.dirname(target))
runpy.run_path(target, run_name="__main__")
"""


def _before_paint(*command: str, config: Path) -> set[str]:
    return set(json.loads(run_python(_SCRIPT, *command, config=config).splitlines()[-1]))


def test_the_first_paint_waits_only_for_the_window_itself(tmp_path: Path) -> None:
    db = tmp_path / "nianbao.sqlite3"
    app = _before_paint(str(ROOT / "main.py"), "--db", str(db), config=tmp_path)
    bare = _before_paint(str(ROOT / "benchmarks" / "_bare_window.py"), config=tmp_path)
    ours = {m for m in app if m.split(".")[0] in {"gui", "model", "export", "published", "county"}}
    ours |= {m for m in app if m in {"main", "cli"}}
    assert ours <= BEFORE_PAINT, sorted(ours - BEFORE_PAINT)
    # Nothing heavy: the database library, the exporters, the formats, the command line.
    for heavy in (
        *("sqlalchemy", "reportlab", "docx", "sqlite3", "model.formats", "gui.session"),
        *("logging.handlers", "socket", "platform", "hashlib"),
    ):
        assert heavy not in app, heavy
    assert "PySide6.QtNetwork" not in app and "PySide6.QtPdf" not in app
    more = sorted(app - bare - BEFORE_PAINT)
    assert len(more) <= MORE_THAN_BARE, more


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "a.sqlite3"],
        ["--open", "x.nianbao.json"],
        ["--no-crash-dialog"],
        ["--db", "a.sqlite3", "--open", "x.json", "--no-crash-dialog"],
        ["--open", "x.json", "--db", "a.sqlite3"],
        ["--db", "甲 乙.sqlite3"],
    ],
)
def test_the_window_arguments_read_without_cli_are_read_as_cli_reads_them(argv: list[str]) -> None:
    window = main._window_arguments(argv)
    assert window is not None
    assert cli.run(argv) == cli.OpenWindow(*window)


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["--db", "a.sqlite3", "list"],
        ["--db=a.sqlite3"],
        ["--db"],
        ["--db", "a", "--db", "b"],
        ["--db", "--open"],
        ["--help"],
        ["--version"],
        ["--selftest"],
        ["--d", "a.sqlite3"],
        ["x.nianbao.json"],
    ],
)
def test_anything_else_is_left_to_cli(argv: list[str]) -> None:
    assert main._window_arguments(argv) is None
