"""政务公开年报: start the window, or hand the arguments to the command line (cli.py).

    python main.py                       open the window
    python main.py --db FILE [--open X]  open the window on that database (and import X)
    python main.py COMMAND ...           run one command without the window: see cli.py

This module is start-up only, and kept small because the window's first paint waits for it:
it imports nothing heavy itself, and Qt only once :mod:`cli` has said the window is wanted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import cli


def main(argv: Sequence[str] | None = None) -> int:
    _output_never_fails()
    wanted = cli.run(argv)
    if isinstance(wanted, cli.OpenWindow):
        return _open_window(wanted)
    return wanted


def _output_never_fails() -> None:
    """Output redirected in a code page without Chinese (cp1252 on an English Windows) prints
    "?" for what it lacks instead of failing.  The frozen program runs in UTF-8 mode (see
    installer/nianbao.spec), so there this only guards against an odd stream."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _open_window(wanted: cli.OpenWindow) -> int:
    # The crash handler first, before Qt and the QApplication, so that nothing escapes it.
    from gui.crash import install
    from model.paths import log_dir

    install(log_dir(), dialogs=wanted.crash_dialog)
    from gui.app import run  # Qt only when the window is wanted

    return run(wanted.db, wanted.open_file)


if __name__ == "__main__":
    sys.exit(main())
