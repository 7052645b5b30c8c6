"""The desk's 指标 page: indicators sorted by number with small samples last, copied texts with
both units named, and one unit's year against the last, as a table and a chart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from county.indicators import INDICATORS
from gui.desk.chart import THIS_COLOUR
from gui.desk.context import DeskContext
from gui.desk.supervisor_page import SMALL, SupervisorPage
from gui.main_window import MainWindow
from model import ops, register
from model.db import Database
from model.report import Report

YEAR = 2023
COPIED = (
    "本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
    "围绕中心工作，持续加大主动公开力度，规范依申请公开办理，全年政务公开工作取得新的成效。"
)


def _report(agency: str, year: int, new: int, other: int, overview: str = "") -> Report:
    """``new`` applications: ``other`` of them 其他处理, the rest granted."""
    cells = {
        "requests.new.natural": new,
        "requests.other_misc.natural": other,
        "requests.granted.natural": new - other,
    }
    texts = {"overview": overview} if overview else {}
    return Report(format_id="2021", agency=agency, year=year, cells=cells, texts=texts)


def fill(db: Database) -> None:
    for name in ("甲局", "乙局", "丙镇人民政府"):
        register.add_unit(db, name, register.guess_kind(name))
    ops.save_report(db, _report("甲局", YEAR, 100, 50, COPIED), replace=False)
    ops.save_report(db, _report("乙局", YEAR, 100, 10, COPIED), replace=False)
    ops.save_report(db, _report("丙镇人民政府", YEAR, 2, 1), replace=False)  # too few to rank
    ops.save_report(db, _report("甲局", YEAR - 1, 40, 4), replace=False)


@pytest.fixture
def page(window: MainWindow, qtbot) -> Iterator[SupervisorPage]:  # type: ignore[no-untyped-def]
    assert window.session is not None
    fill(window.session.db)
    widget = SupervisorPage(DeskContext(window.session, YEAR, window))
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def _other_label() -> str:
    return next(label for _, label, _ in INDICATORS if "其他" in label)


def test_indicators_sort_by_number_with_small_samples_last(page: SupervisorPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    label = _other_label()
    column = page.indicators.headers.index(label)
    header = page.indicators_view.horizontalHeader()
    page.indicators_view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    values = page.indicator_column(label)
    names = page.indicator_column("单位")
    assert names == ["甲局", "乙局", "丙镇人民政府"], values
    assert values[-1].startswith(f"{SMALL}（") and values[-1].endswith("件）"), values
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, column)
    )
    names = page.indicator_column("单位")
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert names == ["乙局", "甲局", "丙镇人民政府"]  # still last going up
    tip = page.indicators_proxy.index(0, column).data(Qt.ItemDataRole.ToolTipRole)
    assert "10" in tip and "100" in tip  # numerator and denominator


def _section_centre(header, column):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    return QPoint(x, header.height() // 2)


def test_copied_texts_name_both_units(page: SupervisorPage) -> None:
    rows = [
        [page.copies_proxy.index(r, c).data() for c in range(page.copies.columnCount())]
        for r in range(page.copies_proxy.rowCount())
    ]
    assert any({"甲局", "乙局"} <= set(row) for row in rows), rows


def test_a_unit_against_last_year_with_a_chart(page: SupervisorPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.unit_box.setCurrentText("甲局")
    places = [page.changes.rows[r][0].text for r in range(page.changes.rowCount())]
    lasts = [page.changes.rows[r][1].text for r in range(page.changes.rowCount())]
    assert places and "40" in lasts
    assert page.chart.series
    description = page.chart.accessibleDescription()
    assert f"{YEAR - 1}年" in description and "40" in description and "100" in description
    image = page.chart.grab().toImage()
    below_legend = 2 * page.chart.fontMetrics().height() + 8
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(below_legend, image.height())
    }
    assert THIS_COLOUR.name() in colours  # the bars are painted, not only the legend
    page.unit_box.setCurrentText("乙局")  # no report last year
    assert not page.chart.series
    assert "没有" in page.compare_note.text()
