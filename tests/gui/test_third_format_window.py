"""The window admits a third format and a third kind of document with no change of its own.

The format is the test-only one of :mod:`tests.third_format` (the 2021 format with a new row in
part 二 and a seventh part, from 2091); the document is a made-up XML file whose renderer module
exists only here, appended to :data:`export.renderers.RENDERERS` before the window is built, as the
web page export (export/html.py) was.  Every assertion is on the database or on the files written.
"""

from __future__ import annotations

import html
import io
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from export import renderers
from export.document import Paragraph, build_document
from export.renderers import Rendered, Renderer
from gui.main_window import MainWindow
from gui.tabs.table_tab import TableTab
from gui.tabs.text_tab import TextTab
from model.db import Database
from model.report import Report
from tests.third_format import (
    NEW_CELL,
    NEW_HEADING,
    NEW_ROW_LABEL,
    NEW_TEXT,
    THIRD_FORMAT,
    YEAR,
    registered,
)

from .test_entry import _stored, _type_cell

pytestmark = pytest.mark.gui

AGENCY = "第三格式试点局"
PAGE_MODULE = "tests_gui_xml_renderer"
WEB_PAGE = Renderer("xml", "XML", "XML文件", ".xml", "XML (*.xml)", PAGE_MODULE, b"<h1>")
TABS_2021 = ["基本信息", "一、总体情况", "二、主动公开", "三、依申请公开", "四、复议诉讼"]
TABS_2021 += ["五、问题及改进", "六、其他事项", "预览"]


def _web_page(report: Report) -> Rendered:
    """A bare page of the report's headings, paragraphs and table cells."""
    document = build_document(report)
    lines = [f"<h1>{html.escape(document.title)}</h1>"]
    for section in document.sections:
        lines.append(f"<h2>{html.escape(section.heading)}</h2>")
        for block in section.blocks:
            texts = [block.text] if isinstance(block, Paragraph) else [c.text for c in block.cells]
            lines += [f"<p>{html.escape(text)}</p>" for text in texts]
    return Rendered("\n".join(lines).encode("utf-8"), None)


@pytest.fixture(autouse=True)
def third_kinds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Before the window is built (autouse fixtures come first): the format and the renderer."""
    module = types.ModuleType(PAGE_MODULE)
    module.render = _web_page  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, PAGE_MODULE, module)
    monkeypatch.setattr(renderers, "RENDERERS", (*renderers.RENDERERS, WEB_PAGE))
    with registered():
        yield


def _tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def _open_third_format_report(window: MainWindow) -> int:
    assert window.session is not None
    report_id = window.session.create_report(AGENCY, YEAR, None)
    assert report_id is not None and window.session.format is THIRD_FORMAT
    return report_id


def _save_to(monkeypatch: pytest.MonkeyPatch, out: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))


def test_a_third_format_has_a_tab_per_part_and_its_new_row_reaches_the_database(
    qtbot, window: MainWindow, reader: Database
) -> None:  # type: ignore[no-untyped-def]
    _open_third_format_report(window)
    assert _tab_titles(window) == [*TABS_2021[:-1], NEW_HEADING, "预览"]
    seventh = window.pages[NEW_TEXT]
    assert isinstance(seventh, TextTab)
    assert seventh.heading.text() == NEW_HEADING
    active = window.pages["active"]
    assert isinstance(active, TableTab)
    window.tabs.setCurrentWidget(active)
    assert active.model.index_of(NEW_CELL).isValid()
    _type_cell(qtbot, active, NEW_CELL, "7")
    window.tabs.setCurrentWidget(seventh)
    seventh.editor.setFocus()
    seventh.editor.insertPlainText("附件两份")  # as an input method commits it
    stored = _stored(reader, AGENCY, YEAR)
    assert stored.cells[NEW_CELL] == 7
    assert stored.text(NEW_TEXT) == "附件两份"


def test_a_report_of_another_format_rebuilds_only_the_parts_that_differ(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    third = _open_third_format_report(window)
    active, seventh = window.pages["active"], window.pages[NEW_TEXT]
    window.session.create_report(AGENCY, 2024, None)
    assert _tab_titles(window) == TABS_2021
    assert window.pages["active"] is active  # the same part: kept, and showing 2021's rows
    assert not window.pages["active"].model.index_of(NEW_CELL).isValid()  # type: ignore[attr-defined]
    assert NEW_TEXT not in window.pages and window.tabs.indexOf(seventh) == -1
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the page is gone ...
    assert not shiboken6.isValid(seventh)
    assert window.session.set_text("overview", "总体")  # ... and hears no more of the report
    window.open_report(third)
    assert _tab_titles(window) == [*TABS_2021[:-1], NEW_HEADING, "预览"]


def test_a_renderer_added_to_the_list_is_in_the_menu_and_on_the_preview_tab(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _open_third_format_report(window)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]  # type: ignore[union-attr]
    first = texts.index("导出PDF(&D)…")
    assert texts[first] == "导出PDF(&D)…" and texts[first + 1] == "导出Word(&W)…"
    assert texts[first + 3] == "导出XML(&M)…"  # X and L are taken
    buttons = [b.text() for b in window.preview.export_buttons.values()]
    assert buttons == ["导出PDF…", "导出Word…", "导出网页版…", "导出XML…"]
    page = tmp_path / "报告.xml"
    _save_to(monkeypatch, page)
    window.preview.export_buttons["xml"].click()
    body = page.read_text("utf-8")
    assert f"<p>{NEW_ROW_LABEL}</p>" in body and f"<h2>{NEW_HEADING}</h2>" in body
    assert f"已导出XML文件：{page}" == window.statusBar().currentMessage()
    page.unlink()
    window.export_actions["xml"].trigger()
    assert page.exists()


def test_the_pdf_of_a_third_format_report_has_its_new_row_and_part(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _open_third_format_report(window)
    out = tmp_path / "报告.pdf"
    _save_to(monkeypatch, out)
    window.export_actions["pdf"].trigger()
    with pdfplumber.open(io.BytesIO(out.read_bytes())) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert NEW_ROW_LABEL in text and NEW_HEADING in text
    window.tabs.setCurrentWidget(window.preview)
    window.preview.refresh()
    assert window.preview.pdf == out.read_bytes()
