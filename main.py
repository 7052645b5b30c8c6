"""政务公开年报: start the window, or hand the arguments to the command line (cli.py).

    python main.py                       open the window
    python main.py --db FILE [--open X]  open the window on that database (and import X)
    python main.py COMMAND ...           run one command without the window: see cli.py

This module is start-up only, and kept small because the window's first paint waits for it:
it imports nothing heavy itself, and Qt only once the window is wanted.  The window's own
arguments (none, as from the desktop shortcut; ``--db``, ``--open``, ``--no-crash-dialog``)
are read here without :mod:`cli` and argparse, whose import and parser (every command's
options) the first paint would wait for; anything else, or anything unusual about those
(``--db=X``, an option twice, a missing value), goes to :mod:`cli`, which has the last word.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

#: The window's options that take a value, and the one flag (as cli.py declares them).
_VALUES, _FLAG = ("--db", "--open"), "--no-crash-dialog"


def main(argv: Sequence[str] | None = None) -> int:
    _output_never_fails()
    arguments = list(sys.argv[1:] if argv is None else argv)
    window = _window_arguments(arguments)
    if window is not None:
        return _open_window(*window)
    import cli

    wanted = cli.run(arguments)
    if isinstance(wanted, cli.OpenWindow):
        return _open_window(wanted.db, wanted.crash_dialog, wanted.open_file)
    return wanted


def _window_arguments(argv: list[str]) -> tuple[Path | None, bool, Path | None] | None:
    """(database, crash dialog, file to open) when ``argv`` holds only the window's own
    options, each once and in the plain form cli.py reads the same way; else None."""
    found: dict[str, str] = {}
    rest = iter(argv)
    for option in rest:
        if option in found:
            return None
        if option == _FLAG:
            found[option] = ""
        elif option in _VALUES:
            value = next(rest, "")
            if not value or value.startswith("-"):
                return None
            found[option] = value
        else:
            return None
    db, open_file = (found.get(o) for o in _VALUES)
    return (
        Path(db) if db is not None else None,
        _FLAG not in found,
        Path(open_file) if open_file is not None else None,
    )


def _output_never_fails() -> None:
    """Output redirected in a code page without Chinese (cp1252 on an English Windows) prints
    "?" for what it lacks instead of failing.  The frozen program runs in UTF-8 mode (see
    installer/nianbao.spec), so there this only guards against an odd stream."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _open_window(db: Path | None, crash_dialog: bool, open_file: Path | None) -> int:
    # No garbage collection until the database is open for writing: start-up makes little
    # garbage, and the passes over all it builds cost ~30 ms on one core.  gui.app then
    # freezes what start-up built and turns the collector back on (issue 20).
    import gc

    gc.disable()
    # The crash handler first, before Qt and the QApplication, so that nothing escapes it.
    from gui.crash import install
    from model.paths import log_dir

    install(log_dir(), dialogs=crash_dialog)
    from gui.app import run  # Qt only when the window is wanted

    return run(db, open_file)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # The installed program is also the preview's render process (export/worker.py):
        # started so, it runs the worker and exits here, before any window.
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
