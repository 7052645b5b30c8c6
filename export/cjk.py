"""A ReportLab paragraph that breaks Chinese lines by :mod:`export.linebreak`.

ReportLab's own CJK wrap (``wordWrap='CJK'``) lets “，”“：”“》” start a line and splits
67.74|万元; this paragraph keeps ReportLab's layout and drawing and replaces only the steps that
decide where lines end and how a paragraph is split across pages.

The time to lay out a paragraph grows in proportion to its length.  ReportLab's own split hands
the rest of a paragraph that runs over a page to a new paragraph, which then breaks all of its
lines again: a paragraph of a hundred pages was broken a hundred times (a 60,000-character
paragraph took half a minute).  Here the text is measured once, and the part that goes on to
the next page takes the lines already made with it; it breaks them again only if it is given a
different width.  ReportLab's split also adds a space to the last word of every line it hands
on (shared with the lines already drawn); this one changes no line.
"""

from __future__ import annotations

from bisect import bisect_right
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus.paragraph import (  # type: ignore[attr-defined]  # internals
    FragLine,
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    imgNormV,
    imgVRange,
)
from reportlab.rl_config import _FUZZ

from export.linebreak import break_opportunities, find_break, in_word, skip_spaces


@dataclass(frozen=True)
class Units:
    """A paragraph's text measured once: one unit per character, an empty fragment (a
    ``<br/>``) counting as one unit.  Lines are ranges of units."""

    frags: list[Any]
    #: The characters, "\\n" for an empty fragment.
    text: str
    widths: list[float]
    #: The first unit of each fragment.
    starts: list[int]
    #: The units that end a line by themselves (``<br/>``).
    hard_breaks: frozenset[int]
    #: ``allowed[i]``: a line may end before unit ``i`` (:func:`break_opportunities`).
    allowed: list[bool]

    def __len__(self) -> int:
        return len(self.text)

    def frag_at(self, unit: int) -> int:
        return bisect_right(self.starts, unit) - 1

    def frag_end(self, index: int) -> int:
        return self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)

    def frags_between(self, start: int, end: int) -> list[Any]:
        """The fragments of units ``start`` to ``end``, cut to them."""
        out: list[Any] = []
        index = self.frag_at(start) if start < end else len(self.starts)
        while index < len(self.starts) and self.starts[index] < end:
            frag = self.frags[index]
            first, last = max(start, self.starts[index]), min(end, self.frag_end(index))
            out.append(frag.clone(text=self.piece(index, first, last)))
            index += 1
        return out

    def piece(self, index: int, start: int, end: int) -> str:
        """The text of units ``start`` to ``end`` of fragment ``index``."""
        return "" if self.frags[index].text in (None, "") else self.text[start:end]


def measure(frags: list[Any], tracking: float = 0.0) -> Units:
    """``frags`` as units, each character measured in its fragment's font (as ReportLab's
    ``cjkU`` does, once per distinct character and font), plus ``tracking``: the character
    spacing every character is drawn with (see :class:`CJKParagraph`)."""
    chars: list[str] = []
    widths: list[float] = []
    starts: list[int] = []
    hard: list[int] = []
    cache: dict[tuple[str, float], dict[str, float]] = {}  # one paragraph: one tracking
    for frag in frags:
        start = len(widths)
        starts.append(start)
        text = frag.text or ""
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if hasattr(frag, "lineBreak"):
            hard.extend(range(start, start + max(len(text), 1)))
        if not text:
            chars.append("\n")
            widths.append(_width("", frag))
            continue
        if hasattr(frag, "cbDefn"):
            widths.extend(_width(c, frag) for c in text)
        else:
            sizes = cache.setdefault((frag.fontName, frag.fontSize), {})
            for char in set(text).difference(sizes):
                sizes[char] = stringWidth(char, frag.fontName, frag.fontSize) + tracking
            widths.extend(map(sizes.__getitem__, text))
        chars.append(text)
    text = "".join(chars)
    return Units(frags, text, widths, starts, frozenset(hard), break_opportunities(text))


def _width(char: str, frag: Any) -> float:
    if hasattr(frag, "cbDefn"):
        return float(getattr(frag.cbDefn, "width", 0))
    return float(stringWidth(char, frag.fontName, frag.fontSize))


@dataclass(frozen=True)
class Carried:
    """The lines of a paragraph's rest (after a page break), made for ``width``."""

    units: Units
    start: int
    lines: list[Any]
    spans: list[tuple[int, int]]
    width: float | None  # None: the lines were made for several widths


class CJKParagraph(Paragraph):
    """A paragraph with Chinese line breaking; its style must have ``wordWrap='CJK'``.

    A style may set ``tracking``: a character spacing (in points, usually negative) added to
    every character, so that the body's 16 pt characters stand on the 28-a-line grid of GB/T
    9704 (156 mm / 28 = 15.79 pt a character).  Lines are measured and drawn with it.

    Justified lines are spread by character spacing, ReportLab justifies by word spacing,
    which Chinese, having no spaces, never gets; the space goes after Han characters and
    punctuation only, never between the digits or letters of a number or word (2019, 23.5%).
    """

    blPara: Any  # the lines, set by wrap() before drawing
    _carried: Carried | None = None
    _lazy: tuple[Units, int, int] | None = None  # frags made when first asked for
    _frag_list: list[Any]
    _units: Units | None = None  # the text measured
    _broken: tuple[Any, Any] | None = None  # (widths, lines) of the last wrap
    _JustifyLast: bool  # ReportLab's names
    _splitpara: int
    autoLeading: str

    @property
    def frags(self) -> list[Any]:
        if self._lazy is not None:
            units, start, end = self._lazy
            self._frag_list, self._lazy = units.frags_between(start, end), None
        return self._frag_list

    @frags.setter
    def frags(self, value: list[Any]) -> None:
        self._frag_list, self._lazy = value, None
        self._units = self._broken = None

    def beginText(self, x: float, y: float) -> PDFTextObject:  # ReportLab's name
        lines = self.blPara.lines
        last = len(lines)
        if self.style.alignment == TA_JUSTIFY:
            last -= 0 if getattr(self, "_JustifyLast", False) else 1
        else:
            last = 0
        spacings = [_spacing(line) if i < last else 0.0 for i, line in enumerate(lines)]
        return _SpacedText(self.canv, x, y, tracking(self.style), spacings)

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # ReportLab's name
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara  # the first half of a paragraph split across pages
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        calc_bounds = auto_leading not in ("", "off")
        carried = self._carried
        if carried is not None:
            if carried.width is not None and all(w == carried.width for w in maxWidths):
                return _para_lines(carried.units, carried.lines, carried.spans, maxWidths)
            return break_units(carried.units, list(maxWidths), calc_bounds, carried.start)
        # ReportLab wraps a paragraph more than once (to see whether it fits, to keep a
        # heading with it, to split it): the lines are made once for each width.
        key = (tuple(maxWidths), calc_bounds)
        if self._broken is None or self._broken[0] != key:
            if self._units is None:
                self._units = measure(self.frags, tracking(style))
            self._broken = (key, break_units(self._units, list(maxWidths), calc_bounds))
        return self._broken[1]

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # ReportLab's name
        """ReportLab's split, handing the lines already made to the rest of the paragraph."""
        if availWidth < _FUZZ or availHeight < _FUZZ:
            return []
        style = self.style
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        if not hasattr(self, "blPara"):
            self.wrap(availWidth, availHeight)
        para = self.blPara
        if getattr(para, "units", None) is None or auto_leading not in ("", "off"):
            return list(super().split(availWidth, availHeight))
        if style.endDots:
            return list(super().split(availWidth, availHeight))
        lines = para.lines
        leading = style.leading
        fitting = int(availHeight / float(leading) + 1e-6)  # 1.9999… lines are 2
        orphans = getattr(self, "allowOrphans", getattr(style, "allowOrphans", 0))
        if (not orphans and fitting <= 1) or fitting == 0:
            del self.blPara
            return []
        count = len(lines)
        if count <= fitting:
            return [self]
        if not getattr(self, "allowWidows", getattr(style, "allowWidows", 1)) and (
            count == fitting + 1
        ):
            if (orphans and count == 3) or count > 3:
                fitting -= 1
            else:
                del self.blPara
                return []
        units: Units = para.units
        spans: list[tuple[int, int]] = para.spans
        widths: tuple[float, ...] = para.widths
        first = self._part(style, self.bulletText, units, spans[0][0], spans[fitting - 1][1])
        first.blPara = _para_lines(units, lines[:fitting], spans[:fitting], widths)
        first.blPara.aH, first.blPara.aW = availHeight, availWidth
        first._JustifyLast = not getattr(lines[fitting - 1], "lineBreak", False)
        first._splitpara = 1
        first.height = fitting * leading
        first.width = availWidth
        if style.firstLineIndent != 0:
            style = deepcopy(style)
            style.firstLineIndent = 0
        start = spans[fitting][0]
        rest = self._part(style, None, units, start, len(units))
        rest._carried = Carried(
            units,
            start,
            lines[fitting:],
            spans[fitting:],
            widths[-1] if fitting >= len(widths) - 1 else None,
        )
        if hasattr(self, "autoLeading"):
            first.autoLeading = rest.autoLeading = self.autoLeading
        return [first, rest]

    def _part(
        self, style: Any, bullet: str | None, units: Units, start: int, end: int
    ) -> CJKParagraph:
        part = self.__class__("", style, bulletText=bullet, frags=[])
        part.text = ""
        part._lazy = (units, start, end)
        return part


def break_units(units: Units, max_widths: list[float], calc_bounds: bool, first: int = 0) -> Any:
    """The lines of ``units`` from ``first`` on: ReportLab's ``cjkFragSplit`` with the
    line-breaking rules of :mod:`export.linebreak`."""
    text, widths, allowed, hard = units.text, units.widths, units.allowed, units.hard_breaks
    lines: list[Any] = []
    spans: list[tuple[int, int]] = []

    def add_line(start: int, end: int, line_break: bool) -> float:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used = float(sum(widths[start:end]))
        lines.append(_line(units, start, end, max_width, used, line_break, calc_bounds))
        spans.append((start, end))
        return max_widths[min(len(lines), len(max_widths) - 1)]

    max_width = max_widths[0]
    start, used, i = first, 0.0, first
    limit = max_width + _FUZZ
    count = len(text)
    while i < count:
        if i in hard:  # <br/>
            limit = add_line(start, i + 1, True) + _FUZZ
            start, used, i = i + 1, 0.0, i + 1
            continue
        width = widths[i]
        if used + width > limit and i > start:
            cut = find_break(text, allowed, start, i)
            end = cut
            while end > start + 1 and text[end - 1] == " ":
                end -= 1
            limit = add_line(start, end, False) + _FUZZ
            start = skip_spaces(text, cut)
            i = max(i, start)
            used = float(sum(widths[start:i]))
            continue
        used += width
        i += 1
    if start < count:
        add_line(start, count, False)
    return _para_lines(units, lines, spans, max_widths)


def _para_lines(units: Units, lines: list[Any], spans: list[tuple[int, int]], widths: Any) -> Any:
    return ParaLines(kind=1, lines=lines, units=units, spans=spans, widths=tuple(widths))


def _line(
    units: Units,
    start: int,
    end: int,
    max_width: float,
    used: float,
    line_break: bool,
    calc_bounds: bool,
) -> Any:
    """ReportLab's ``makeCJKParaLine`` for units ``start`` to ``end``, a fragment at a time:
    the words are runs of alike fragments, each a copy of the run's first fragment."""
    words: list[Any] = []
    run: Any = None  # the first fragment of the word being gathered
    pieces: list[str] = []
    size: float = 0  # ints, as ReportLab starts them
    ascent: float = 0
    descent: float = 0
    index = units.frag_at(start)
    at = start
    while at < end:
        frag = units.frags[index]
        stop = min(end, units.frag_end(index))
        font_size = frag.fontSize
        box: Any = getattr(frag, "cbDefn", None)
        if calc_bounds and getattr(box, "width", None):
            low, high = imgVRange(imgNormV(box.height, font_size), box.valign, font_size)
        else:
            high, low = getAscentDescent(frag.fontName, font_size)
        size, ascent, descent = max(size, font_size), max(ascent, high), min(descent, low)
        if _alone(frag):  # ReportLab makes each of its units a word of its own
            if run is not None:
                words.append(run.clone(text="".join(pieces)))
                run = None
            words.extend(frag.clone(text=units.piece(index, u, u + 1)) for u in range(at, stop))
        elif run is not None and _alike(run, frag):
            pieces.append(units.piece(index, at, stop))
        else:
            if run is not None:
                words.append(run.clone(text="".join(pieces)))
            run, pieces = frag, [units.piece(index, at, stop)]
        at = stop
        index += 1
    if run is not None:
        words.append(run.clone(text="".join(pieces)))
    return FragLine(
        kind=1,
        extraSpace=max_width - used,
        wordCount=1,
        words=words,
        fontSize=size,
        ascent=ascent,
        descent=descent,
        maxWidth=max_width,
        currentWidth=used,
        lineBreak=line_break,
    )


_ALIKE = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")


def _alone(frag: Any) -> bool:
    return "cbDefn" in frag.__dict__ or "lineBreak" in frag.__dict__


def _alike(a: Any, b: Any) -> bool:
    """ReportLab's ``sameFrag`` for two fragments that are not :func:`_alone`."""
    first, second = a.__dict__, b.__dict__
    return [first.get(k) for k in _ALIKE] == [second.get(k) for k in _ALIKE]


def tracking(style: Any) -> float:
    """The character spacing a style sets every character with (0 unless it says)."""
    return float(getattr(style, "tracking", 0.0))


def _tight(char: str) -> bool:
    """Part of a number or a Latin word, which justification never spreads (2019, 23.5%)."""
    return in_word(char)


def _spacing(line: Any) -> float:
    """The space added after each Han character or punctuation mark of a line (not after a
    digit or letter, nor after the line's last character) that makes it fill its width."""
    text = "".join(getattr(word, "text", "") or "" for word in line.words)
    gaps = sum(1 for char in text[:-1] if not _tight(char))
    if getattr(line, "lineBreak", False) or gaps < 1 or line.extraSpace <= 0:
        return 0.0
    return min(float(line.extraSpace) / gaps, 0.5 * float(line.fontSize))


class _SpacedText(PDFTextObject):
    """A text object that draws each line with its character spacing: ``tracking`` after
    every character, and the line's justification spread after every character but those
    of numbers and Latin words (ReportLab sets ``_x_offset`` at the start of every line it
    draws, and draws a line's text through ``_textOut``)."""

    def __init__(
        self, canvas: Any, x: float, y: float, tracking: float, spacings: list[float]
    ) -> None:
        self._spacings = iter(spacings)
        self._tracking = tracking
        self._spread = 0.0
        self._current = 0.0
        self._offset = 0.0
        super().__init__(canvas, x, y)

    @property
    def _x_offset(self) -> float:
        return self._offset

    @_x_offset.setter
    def _x_offset(self, value: float) -> None:
        self._offset = value
        self._spread = next(self._spacings, 0.0)

    def _char_space(self, spacing: float) -> None:
        if spacing != self._current:
            self.setCharSpace(spacing)
            self._current = spacing

    def _textOut(self, text: str, TStar: int = 0) -> None:  # ReportLab's name
        code: list[str] = self._code  # type: ignore[attr-defined]  # ReportLab's internals
        spread = self._spread
        start = 0
        for end in range(1, len(text) + 1):  # one string for each run of one spacing
            if end == len(text) or (spread and _tight(text[end]) != _tight(text[start])):
                self._char_space(self._tracking + (0.0 if _tight(text[start]) else spread))
                code.append(self._formatText(text[start:end]))  # type: ignore[attr-defined]
                start = end
        if not text:
            self._char_space(self._tracking)
        if TStar:
            code.append("T*")
