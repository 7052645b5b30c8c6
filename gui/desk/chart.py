"""Paired bars, last year against this year, for the places a supervisor would rather look at
than read.  Painted with QPainter (no chart library); the same figures are in the widget's
accessible description and tooltip as text, for a screen reader and for copying."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from model.values import CellValue, to_text

Series = Sequence[tuple[str, CellValue | None, CellValue | None]]

LAST_COLOUR = QColor("#9fb3c8")
THIS_COLOUR = QColor("#1f5f99")
_GAP, _MARGIN = 8, 8


class BarChart(QWidget):
    """One row per place: its label, then last year's bar above this year's, each with its
    figure.  Bars share one scale, so a doubled figure looks doubled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[tuple[str, CellValue, CellValue]] = []
        self.last_label, self.this_label = "上年", "本年"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setAccessibleName("上年与本年对比图")

    def set_series(
        self, series: Series, last_label: str = "上年", this_label: str = "本年"
    ) -> None:
        self.series = [(label, _number(last), _number(this)) for label, last, this in series]
        self.last_label, self.this_label = last_label, this_label
        text = self.text()
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        """The chart in words: one line a place."""
        if not self.series:
            return "没有可以对比的数字"
        return "\n".join(
            f"{label}：{self.last_label}{to_text(last)}，{self.this_label}{to_text(this)}"
            for label, last, this in self.series
        )

    def _bar(self) -> int:
        """A bar as tall as its figure."""
        return QFontMetrics(self.font()).height()

    def _row_height(self) -> int:
        return 2 * self._bar() + _GAP

    def sizeHint(self) -> QSize:
        legend = QFontMetrics(self.font()).height() + _GAP
        return QSize(480, 2 * _MARGIN + legend + max(1, len(self.series)) * self._row_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        top = _MARGIN + self._legend(painter, metrics)
        if not self.series:
            painter.setPen(self.palette().text().color())
            painter.drawText(_MARGIN, top + metrics.ascent(), self.text())
            return
        label_width = min(
            max(metrics.horizontalAdvance(label) for label, _, _ in self.series) + _GAP,
            self.width() // 3,
        )
        figure_width = metrics.horizontalAdvance("0000000.00")
        left = _MARGIN + label_width
        room = max(10, self.width() - left - figure_width - 2 * _MARGIN)
        biggest = max(max(abs(Decimal(a)), abs(Decimal(b))) for _, a, b in self.series)
        scale = room / float(biggest) if biggest else 0.0
        row, bar = self._row_height(), self._bar()
        for n, (label, last, this) in enumerate(self.series):
            y = top + n * row
            painter.setPen(self.palette().text().color())
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - _GAP)
            painter.drawText(
                QRectF(_MARGIN, y, label_width - _GAP, 2 * bar),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
            for k, (value, colour) in enumerate(((last, LAST_COLOUR), (this, THIS_COLOUR))):
                bar_top = y + k * bar
                length = float(abs(Decimal(value))) * scale
                painter.fillRect(QRectF(left, bar_top + 1, max(length, 1.0), bar - 2), colour)
                painter.setPen(self.palette().text().color())
                painter.drawText(
                    QRectF(left + length + 4, bar_top, figure_width, bar),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    to_text(value),
                )

    def _legend(self, painter: QPainter, metrics: QFontMetrics) -> int:
        x = _MARGIN
        for label, colour in ((self.last_label, LAST_COLOUR), (self.this_label, THIS_COLOUR)):
            painter.fillRect(QRectF(x, _MARGIN + 3, 14, metrics.height() - 6), colour)
            painter.setPen(self.palette().text().color())
            painter.drawText(x + 18, _MARGIN + metrics.ascent(), label)
            x += 18 + metrics.horizontalAdvance(label) + 2 * _GAP
        return metrics.height() + _GAP


def _number(value: CellValue | None) -> CellValue:
    return value if value is not None else 0
