"""文件 → 发布前检查: every rule of the format with its result, the version code, a click on a
finding shows it, and the review sheet is saved (read back from the PDF) and printed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

import gui.printing
from gui.main_window import MainWindow
from gui.review_dialog import ReviewDialog
from model.version import version_code


def _open_review(window: MainWindow) -> ReviewDialog:
    action = next(
        a for a in window.menuBar().actions()[0].menu().actions() if "发布前检查" in a.text()
    )
    action.trigger()
    dialog = window.review_dialog
    assert isinstance(dialog, ReviewDialog) and dialog.isVisible()
    return dialog


def _unbalance(window: MainWindow) -> str:
    """One more 予以公开 in part 三 than was received: an error of requests.balance."""
    session = window.session
    assert session is not None and session.report is not None
    fmt = session.report.format
    key = next(k for k in fmt.input_keys if k.startswith("requests.") and ".granted." in k)
    assert session.set_cell(key, (session.report.cells.get(key) or 0) + 1)
    return key


def test_lists_every_rule_with_its_result(filled: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    key = _unbalance(filled)
    dialog = _open_review(filled)
    session = filled.session
    assert session is not None and session.report is not None
    rules = session.report.format.rules
    tree = dialog.tree
    assert tree.topLevelItemCount() == len(rules)
    failed = {f.rule: f for f in session.findings}
    for row, rule in enumerate(rules):
        item = tree.topLevelItem(row)
        assert item.text(1) == rule.summary
        if rule.id not in failed:
            assert item.text(2) == "通过", rule.id
        elif failed[rule.id].is_error:
            assert item.text(2) == "错误", rule.id
        else:
            assert item.text(2) == "需核实", rule.id
    balance = tree.topLevelItem([r.id for r in rules].index("requests.balance"))
    assert balance.text(2) == "错误"
    assert dialog.code.text() == f"版本码：{version_code(session.report)}"
    assert re.fullmatch(r"版本码：[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", dialog.code.text())

    # a click on the finding shows its place in the window
    filled.tabs.setCurrentWidget(filled.pages["basic"])
    target = balance.child(0) if balance.childCount() else balance
    tree.scrollToItem(target)
    rect = tree.visualItemRect(target)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert filled.tabs.currentWidget() is filled.pages[key.split(".")[0]]


def test_follows_corrections(filled: MainWindow) -> None:
    dialog = _open_review(filled)
    before = dialog.code.text()
    key = _unbalance(filled)
    assert dialog.code.text() != before
    session = filled.session
    assert session is not None and session.report is not None
    assert session.set_cell(key, session.report.cells[key] - 1)
    assert dialog.code.text() == before
    rules = [r.id for r in session.report.format.rules]
    assert dialog.tree.topLevelItem(rules.index("requests.balance")).text(2) == "通过"


def test_save_as_pdf_has_the_code(
    filled: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unbalance(filled)
    dialog = _open_review(filled)
    target = tmp_path / "自查表.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_button.click()
    session = filled.session
    assert session is not None and session.report is not None
    with pdfplumber.open(io.BytesIO(target.read_bytes())) as pdf:
        assert len(pdf.pages) == 1
        text = re.sub(r"\s+", "", pdf.pages[0].extract_text())
    assert version_code(session.report) in text
    assert session.report.agency in text
    assert "错误1项" in text
    # saving again replaces the earlier sheet; the database is never a target
    dialog.save_button.click()
    assert target.read_bytes().startswith(b"%PDF")


def test_print_sends_the_one_page_sheet(
    filled: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed: list[int] = []
    monkeypatch.setattr(
        gui.printing,
        "preview_and_print",
        lambda document, parent=None: printed.append(document.pageCount()) or True,
    )
    dialog = _open_review(filled)
    dialog.print_button.click()
    assert printed == [1]
