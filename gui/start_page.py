"""The start page: what the window shows while there is no report, with the ways to begin.

A new clerk's first sight of the program should say what to do, not show a grey form.  The
page offers four ways to begin: a new report for the year (:func:`gui.dialogs.default_year`),
next year's report from the latest earlier one (only when there is one to carry over),
importing a data file, and starting from last year's report as the unit published it.  It
only says what was chosen; the window does it, as its menu does.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from model.reads import ReportSummary


def carry_over_source(summaries: Sequence[ReportSummary], year: int) -> ReportSummary | None:
    """The report to start next year's from: the latest one of a year before ``year`` whose
    unit has no report of the following year yet; None when there is none."""
    taken = {(s.agency, s.year) for s in summaries}
    earlier = [s for s in summaries if s.year < year and (s.agency, s.year + 1) not in taken]
    return max(earlier, key=lambda s: (s.year, s.modified_at, s.id), default=None)


class StartPage(QScrollArea):
    """Scrolls rather than clips when the window is small (a 1366×768 screen at 150%)."""

    newRequested = Signal()
    carryOverRequested = Signal(int)  # the id of the report to start from
    importRequested = Signal()
    publishedRequested = Signal()  # start from last year's report as published

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._source: int | None = None
        heading = QLabel("开始填写政府信息公开工作年度报告")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.new_button = QCommandLinkButton("新建本年度报告")
        self.carry_button = QCommandLinkButton("从上一年度报告开始")
        self.import_button = QCommandLinkButton(
            "导入数据文件",
            "打开本单位其他电脑或县政务公开办发来的年报数据文件（.nianbao.json）。",
        )
        self.published_button = QCommandLinkButton(
            "从已发布的去年报告开始…",
            "读取本单位网站上发布的去年年报（网页、Word、PDF 或复制的文字），核对后保存为去年的"
            "报告，再以它为基础新建今年的报告。",
        )
        self.published_button.clicked.connect(self.publishedRequested)
        self.new_button.clicked.connect(self.newRequested)
        self.carry_button.clicked.connect(self._carry_over)
        self.import_button.clicked.connect(self.importRequested)
        page = QWidget()
        page.setMaximumWidth(720)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addSpacing(12)
        buttons = (self.new_button, self.carry_button, self.published_button, self.import_button)
        for button in buttons:
            layout.addWidget(button)
        layout.addStretch(1)
        page.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        outer = QWidget()
        centring = QHBoxLayout(outer)  # the page in the middle, at most 720 pixels wide
        centring.setContentsMargins(24, 24, 24, 24)
        centring.addStretch(1)
        centring.addWidget(page, 100)
        centring.addStretch(1)
        self.setWidget(outer)

    def show_choices(self, year: int, format_id: str, summaries: Sequence[ReportSummary]) -> None:
        """Offer a new report for ``year`` (of format ``format_id``), and carrying over the
        latest earlier report of ``summaries`` if there is one."""
        where = "还没有打开报告" if summaries else "数据库中还没有报告"
        self.intro.setText(f"{where}。请选择一种方式开始：")
        self.new_button.setText(f"新建{year}年度报告")
        self.new_button.setDescription(
            f"填写单位名称即可开始；按年度自动使用{format_id}格式。也可以选择其他年度。"
        )
        source = carry_over_source(summaries, year)
        self._source = source.id if source is not None else None
        self.carry_button.setVisible(source is not None)
        if source is not None:
            self.carry_button.setDescription(
                f"以“{source.agency}”{source.year}年的报告为基础，新建{source.year + 1}年的报告，"
                "带入单位、文字和结转数等。"
            )

    def _carry_over(self) -> None:
        if self._source is not None:
            self.carryOverRequested.emit(self._source)
