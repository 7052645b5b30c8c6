"""Guards the PySide6 pin: PySide6 6.12.0 drops a reference to None each time Qt calls a Python
override that returns it (QAbstractItemModel.data does so for every role it does not answer),
and the program aborts after a few thousand repaints.  This fails on such a release."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

pytestmark = pytest.mark.gui


class _Model(QAbstractTableModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 20

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 8

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        return "0" if role == Qt.ItemDataRole.DisplayRole else None


def test_repainting_a_python_model_keeps_none_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = _Model()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        model.dataChanged.emit(model.index(0, 0), model.index(19, 7))
        QApplication.processEvents()
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    lost = [b - a for b, a in zip(before, after, strict=True)]
    assert max(lost) < 50, f"references lost in 200 repaints (None, True, False): {lost}"
