"""A ReportLab paragraph that breaks Chinese lines by :mod:`export.linebreak`.

ReportLab's own CJK wrap (``wordWrap='CJK'``) lets “，”“：”“》” start a line and splits
67.74|万元; this paragraph keeps ReportLab's layout and drawing and replaces only the step that
decides where lines end.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus.paragraph import (  # type: ignore[attr-defined]  # internals
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    cjkU,
    makeCJKParaLine,
)
from reportlab.rl_config import _FUZZ

from export.linebreak import break_opportunities, find_break, skip_spaces


class CJKParagraph(Paragraph):
    """A paragraph with Chinese line breaking; its style must have ``wordWrap='CJK'``.

    Justified lines are spread by character spacing: ReportLab justifies by word spacing,
    which Chinese, having no spaces, never gets.
    """

    blPara: Any  # the lines, set by wrap() before drawing

    def beginText(self, x: float, y: float) -> PDFTextObject:  # ReportLab's name
        spacings: list[float] = []
        if self.style.alignment == TA_JUSTIFY:
            lines = self.blPara.lines
            last = len(lines) - (0 if getattr(self, "_JustifyLast", False) else 1)
            spacings = [_spacing(line) if i < last else 0.0 for i, line in enumerate(lines)]
        return _SpacedText(self.canv, x, y, spacings)

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # ReportLab's name
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara  # the second half of a paragraph split across pages
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return split_frags(self.frags, list(maxWidths), auto_leading not in ("", "off"))


def split_frags(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> Any:
    """ReportLab's ``cjkFragSplit`` with the line-breaking rules of :mod:`export.linebreak`."""
    units: list[Any] = []
    for frag in frags:
        text = frag.text or ""
        units.extend(cjkU(t, frag, "utf8") for t in text) if text else units.append(
            cjkU("", frag, "utf8")
        )
    text = "".join(str(u) or "\n" for u in units)
    allowed = break_opportunities(text)
    lines: list[Any] = []

    def width_of(start: int, end: int) -> float:
        return float(sum(u.width for u in units[start:end]))

    def add_line(start: int, end: int, line_break: bool) -> float:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used = width_of(start, end)
        lines.append(
            makeCJKParaLine(
                units[start:end], max_width, used, max_width - used, line_break, calc_bounds
            )
        )
        return max_widths[min(len(lines), len(max_widths) - 1)]

    max_width = max_widths[0]
    start, used, i = 0, 0.0, 0
    while i < len(units):
        unit = units[i]
        if hasattr(unit.frag, "lineBreak"):  # <br/>
            max_width = add_line(start, i + 1, True)
            start, used, i = i + 1, 0.0, i + 1
            continue
        if used + unit.width > max_width + _FUZZ and i > start:
            cut = find_break(text, allowed, start, i)
            end = cut
            while end > start + 1 and text[end - 1] == " ":
                end -= 1
            max_width = add_line(start, end, False)
            start = skip_spaces(text, cut)
            i = max(i, start)
            used = width_of(start, i)
            continue
        used += unit.width
        i += 1
    if start < len(units):
        add_line(start, len(units), False)
    return ParaLines(kind=1, lines=lines)


def _spacing(line: Any) -> float:
    """The character spacing that makes a line fill its width."""
    count = sum(len(getattr(word, "text", "")) for word in line.words)
    if getattr(line, "lineBreak", False) or count < 2 or line.extraSpace <= 0:
        return 0.0
    return min(float(line.extraSpace) / (count - 1), 0.5 * float(line.fontSize))


class _SpacedText(PDFTextObject):
    """A text object that sets each line's character spacing as the line starts (ReportLab
    sets ``_x_offset`` at the start of every line it draws)."""

    def __init__(self, canvas: Any, x: float, y: float, spacings: list[float]) -> None:
        self._spacings = iter(spacings)
        self._current = 0.0
        self._offset = 0.0
        super().__init__(canvas, x, y)

    @property
    def _x_offset(self) -> float:
        return self._offset

    @_x_offset.setter
    def _x_offset(self, value: float) -> None:
        self._offset = value
        spacing = next(self._spacings, 0.0)
        if spacing != self._current:
            self.setCharSpace(spacing)
            self._current = spacing
