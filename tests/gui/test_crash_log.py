"""The crash handler's log file: not touched until something is logged, then written and
rotated (``LOG_BYTES`` each, ``LOG_COPIES`` kept), as the rotating file handler it makes at
the first record does."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from gui import crash

pytestmark = pytest.mark.gui


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(crash, "LOG_BYTES", 400)
    monkeypatch.setattr(crash, "LOG_COPIES", 2)
    level = logging.getLogger().level
    path = crash.install(tmp_path, dialogs=False)
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_the_log_is_written_only_once_there_is_something_to_log(log_file: Path) -> None:
    assert not log_file.exists()
    crash.install(log_file.parent, dialogs=False)  # a second install adds no second handler
    logging.getLogger("gui.test").warning("数据库已恢复")
    text = log_file.read_text(encoding="utf-8")
    assert text.count("数据库已恢复") == 1 and "WARNING gui.test:" in text


def test_the_log_rotates_and_keeps_its_copies(log_file: Path) -> None:
    for number in range(40):
        logging.getLogger("gui.test").warning("第%d条记录 %s", number, "字" * 20)
    copies = sorted(p.name for p in log_file.parent.iterdir())
    assert copies == ["nianbao.log", "nianbao.log.1", "nianbao.log.2"]
    assert "第39条记录" in log_file.read_text(encoding="utf-8")
    assert all(p.stat().st_size <= 400 for p in log_file.parent.iterdir())
