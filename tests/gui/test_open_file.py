"""A data file double-clicked in Explorer: `main.py --open FILE` imports it into the window,
or hands it to the window already open on the same database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gui.single_instance import InstanceGuard
from model import ops
from model.db import open_database

from .conftest import EXAMPLE

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


def test_open_imports_the_file_into_a_new_window(tmp_path: Path) -> None:
    db_path = tmp_path / "open.sqlite3"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NIANBAO_STARTUP_PROBE": "1",
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--db",
            str(db_path),
            "--no-crash-dialog",
            "--open",
            str(EXAMPLE),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    with open_database(db_path) as db:
        report_id = ops.find_report(db, "古城回族乡人民政府", 2019)
        assert report_id is not None
        assert ops.load_report(db, report_id).cells["art20_9.procurement.projects"] == 9


def test_a_second_copy_hands_the_file_to_the_first(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db_path = tmp_path / "one.sqlite3"
    first, second = InstanceGuard(db_path), InstanceGuard(db_path)
    assert first.acquire()
    first.listen()
    assert not second.acquire()
    with qtbot.waitSignal(first.openRequested, timeout=10000) as asked:
        child = knock(db_path, EXAMPLE)  # as a second copy of the program does
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=10000)
    assert answer(child) == "True"
    assert asked.args == [str(EXAMPLE.resolve())]
    first.release()


_KNOCK = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from gui.single_instance import InstanceGuard
file = Path(sys.argv[2]) if sys.argv[2] else None
print(InstanceGuard(Path(sys.argv[1])).wake_first(file, int(sys.argv[3])), flush=True)
"""


def knock(db_path: Path, open_file: Path | None = None, reply_ms: int = 2000) -> subprocess.Popen:  # type: ignore[type-arg]
    """``wake_first`` from another process, as a second copy asks (the first window answers
    from its event loop: the caller keeps it turning, e.g. with ``qtbot.waitUntil``)."""
    args = [str(db_path), str(open_file or ""), str(reply_ms)]
    return subprocess.Popen(
        [sys.executable, "-c", _KNOCK, *args],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )


def answer(child: subprocess.Popen) -> str:  # type: ignore[type-arg]
    out, _ = child.communicate(timeout=30)
    return out.strip()
