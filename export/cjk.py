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

import weakref
from bisect import bisect_right
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.paragraph import (  # type: ignore[attr-defined]  # internals
    FragLine,
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    imgNormV,
    imgVRange,
    paraFontSizeHeightOffset,
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
            new = set(text).difference(sizes)
            if new:
                known = char_widths(frag.fontName, frag.fontSize)
                for char in new:
                    width = known.get(char)
                    if width is None:
                        width = known[char] = stringWidth(char, frag.fontName, frag.fontSize)
                    sizes[char] = width + tracking
            widths.extend(map(sizes.__getitem__, text))
        chars.append(text)
    text = "".join(chars)
    return Units(frags, text, widths, starts, frozenset(hard), break_opportunities(text))


#: Each character's width in a font at a size, measured once in this process: (the font
#: object, its widths), by font name and size.
_CHAR_WIDTHS: dict[tuple[str, float], tuple[Any, dict[str, float]]] = {}


def char_widths(font: str, size: float) -> dict[str, float]:
    """The widths of the characters measured so far in ``font`` at ``size`` (to add to);
    forgotten if the name comes to stand for another font."""
    face = getFont(font)
    entry = _CHAR_WIDTHS.get((font, size))
    if entry is None or entry[0] is not face:
        entry = _CHAR_WIDTHS[(font, size)] = (face, {})
    return entry[1]


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


class LineText(Flowable):
    """A short text in one font (a table cell's number or label) that prints exactly as
    :class:`CJKParagraph` prints it, without its machinery while it fits on one line.

    A warm export spent most of its time on the six hundred cells of the tables, nearly all
    a number on one line: parsing each one's markup, measuring and breaking it, and drawing
    it a fragment at a time.  This flowable measures the text once (a width per character,
    added up as the line breaker adds them), and while it fits the width it is given draws
    the same operators the paragraph draws for one unbroken line; given a width it does not
    fit, it hands everything (wrap, split, draw) to the paragraph it would have been.

    Only for text the paragraph markup would not change: no spaces or control characters,
    every character in ``style``'s font (see :meth:`export.fonts.FontBook.runs`), a style
    aligned left or centred, with no tracking, indents, colours behind or borders.
    """

    def __init__(self, text: str, markup: str, style: Any, width: float) -> None:
        super().__init__()
        self.text, self.markup, self.style = text, markup, style
        #: The text's width, each character's width added in turn (as :func:`break_units`).
        self.natural = width
        self._paragraph: CJKParagraph | None = None
        self._fits = False
        self._framed: tuple[tuple[float, float], tuple[tuple[str, str], str]] | None = None
        #: The PDF document last drawn in (weakly: a table's cells are kept for the next
        #: documents, export.pdf), and the text objects drawn in it, by width and height
        self._drawn: tuple[weakref.ref[Any], dict[tuple[float, float], str]] | None = None

    @staticmethod
    def suits(text: str, style: Any) -> bool:
        """Whether ``text`` in ``style`` may be a :class:`LineText` (the markup aside)."""
        return (
            bool(text)
            and all(c > " " and not c.isspace() for c in text)
            and style.alignment in (TA_LEFT, TA_CENTER)
            and tracking(style) == 0
            and not (style.leftIndent or style.rightIndent or style.firstLineIndent)
            and getattr(style, "autoLeading", "") in ("", "off")
            and not (style.backColor or style.borderWidth or style.endDots)
            and style.wordWrap == "CJK"
            and not getattr(style, "bulletText", None)
        )

    def paragraph(self) -> CJKParagraph:
        """The paragraph this text would have been."""
        if self._paragraph is None:
            self._paragraph = CJKParagraph(self.markup, self.style)
        return self._paragraph

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # ReportLab's names
        if aW < _FUZZ:
            return 0, 0x7FFFFFFF
        # break_units breaks before a character that ends past the width (and the fuzz),
        # never before the first: the text stays whole if its whole width is within it.
        self._fits = len(self.text) == 1 or self.natural <= aW + _FUZZ
        if not self._fits:
            self.width, self.height = self.paragraph().wrap(aW, aH)
            return self.width, self.height
        self.width, self.height = aW, self.style.leading
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Any]:  # ReportLab's names
        return list(self.paragraph().split(aW, aH))

    def minWidth(self) -> float:  # ReportLab's name
        return float(self.paragraph().minWidth())

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        flowable: Any = self  # ReportLab's stubs lack _sW and _hAlignAdjust
        if not self._fits:
            paragraph: Any = self.paragraph()
            paragraph.drawOn(canvas, x, y, _sW)
            return
        text = self._text_operators(canvas)
        if text is None:
            base: Any = Flowable
            base.drawOn(flowable, canvas, x, y, _sW)
            return
        # Flowable.drawOn and draw() below, as the canvas writes them: its state saved and
        # restored around them leaves it as it was, so only the operators are written.
        x = flowable._hAlignAdjust(x, _sW)
        code: list[str] = canvas._code
        code += ("q", f"1 0 0 1 {fp_str(x, y)} cm", "q", text, "Q", "Q")

    def _text_operators(self, canvas: Any) -> str | None:
        """The text object :meth:`draw` writes (``BT`` … ``ET``), or None where this text
        needs ReportLab's own calls (a font of its own encoding, a colour space)."""
        style = self.style
        color = style.textColor
        font: Any = getFont(style.fontName)
        if (
            not font._dynamicFont
            or getattr(canvas, "_enforceColorSpace", None)
            or not canvas.bottomup
            or type(color) is not Color
            or getattr(font, "shapable", False)
        ):
            return None
        doc = canvas._doc
        key = (self.width, self.height)
        if self._drawn is None or self._drawn[0]() is not doc:
            self._drawn = (weakref.ref(doc), {})
        drawn = self._drawn[1]
        if (known := drawn.get(key)) is not None:
            # a cell's text drawn again in the same document (a table repeats its numbers
            # and labels): the characters have their codes in the font subsets already
            return known
        head, tail = self._frame(color)
        escape = canvas._escape
        runs: list[str] = []
        subset_now = -1
        for subset, chars in font.splitString(self.text, doc):
            if subset != subset_now:
                runs.append(f"{font.getSubsetInternalName(subset, doc)} {head[1]}")
                subset_now = subset
            runs.append(f"({escape(chars)}) Tj")
        text = drawn[key] = f"{head[0]} {' '.join(runs)} T*{tail}"
        return text

    def _frame(self, color: Any) -> tuple[tuple[str, str], str]:
        """((what goes before the text, the font's size and leading), what goes after it)
        for the width last given, as PDFTextObject writes them."""
        key = (self.width, self.height)
        if self._framed is not None and self._framed[0] == key:
            return self._framed[1]
        style = self.style
        size, leading = style.fontSize, style.leading
        top = self.height - (size if paraFontSizeHeightOffset else _ascent(style))
        move = 0.5 * (self.width - self.natural) if style.alignment == TA_CENTER else 0.0
        moves = move > 1e-6 or move < -1e-6
        rgb = fp_str((color.red, color.green, color.blue))
        before = [f"BT 1 0 0 1 {fp_str(0, top)} Tm"]
        if moves:
            before.append(f"{fp_str(move, 0)} Td")
        before.append(f"{fp_str(leading)} TL {rgb} rg")
        tail = f" {fp_str(-move, 0)} Td ET" if moves else " ET"
        framed = ((" ".join(before), f"{fp_str(size)} Tf {fp_str(leading)} TL"), tail)
        self._framed = (key, framed)
        return framed

    def draw(self) -> None:
        """ReportLab's ``drawPara`` for one line of one fragment, call for call."""
        canvas, style = self.canv, self.style
        size = style.fontSize
        leading = style.leading
        extra = self.width - self.natural
        canvas.saveState()
        top = self.height - (size if paraFontSizeHeightOffset else _ascent(style))
        text: Any = PDFTextObject(canvas, 0, top)
        text.preformatted = False
        text.direction = style.wordWrap
        move = 0.5 * extra if style.alignment == TA_CENTER else 0.0
        if move > 1e-6 or move < -1e-6:
            text.setXPos(move)
        text.setLeading(leading)
        text._setFont(style.fontName, size)
        text.setFillColor(style.textColor)
        text._textOut(self.text, 1)
        if move > 1e-6 or move < -1e-6:
            text.setXPos(-move)
        canvas.drawText(text)
        canvas.restoreState()


def _ascent(style: Any) -> float:
    return float(max(0, getAscentDescent(style.fontName, style.fontSize)[0]))


def line_width(text: str, font: str, size: float) -> float:
    """``text``'s width as the line breaker adds it up: each character measured (once, see
    :func:`char_widths`) and the widths added in turn."""
    cache = char_widths(font, size)
    used = 0.0
    for char in text:
        width = cache.get(char)
        if width is None:
            width = cache[char] = stringWidth(char, font, size)
        used += width
    return used
