"""Qt starts offscreen and handles Chinese text: the least the GUI suite relies on."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QTableView

pytestmark = pytest.mark.gui

TITLE = "政府信息公开工作年度报告（2025年度）"


def test_table_view_shows_offscreen(qtbot) -> None:
    model = QStandardItemModel(2, 2)
    model.setItem(0, 0, QStandardItem("主动公开"))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    assert view.isVisible()
    assert view.model().index(0, 0).data() == "主动公开"


def test_chinese_text_round_trips_through_a_label(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    label.setText(TITLE)
    assert label.text() == TITLE
