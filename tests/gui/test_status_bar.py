"""The status bar on first start: the "no report yet" hint goes once a report is open."""

from __future__ import annotations

import pytest

from gui.main_window import MainWindow

from .conftest import EXAMPLE

pytestmark = pytest.mark.gui


def test_the_no_report_hint_goes_when_a_file_is_opened(window: MainWindow) -> None:
    assert window.session is not None and window.session.report is None  # an empty database
    assert window.message.text().startswith("还没有报告")
    window.import_file(EXAMPLE)  # what `--open FILE` does on first start
    assert window.session.report is not None
    assert "古城回族乡" in window.windowTitle()
    assert window.message.text() == ""
