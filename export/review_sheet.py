"""The review sheet (自查表): one A4 page the clerk prints, the leader signs and the county
office files with the report.

    review_items(report, findings, previous_known) -> [ReviewItem]
    render_review_sheet(report, findings, previous_known) -> Rendered (one page)

The sheet names the unit, the year, the format and the report's version code
(:mod:`model.version`), then lists every rule of the report's format (``ReportFormat.rules``,
never a list kept here) with its result: 通过 when the checks found nothing, 需核实 for a
warning, 错误 for an error, with the findings' messages shortened to fit.  Lines for 填报人,
审核人, 单位负责人 and 日期 close the page.  When the rules do not fit on one page in the smallest
type, rules that passed are left out first and the sheet says how many it did not list.

It is not a rendering of the report, so it is not in :data:`export.renderers.RENDERERS`; it is
drawn in the same fonts as the report (:mod:`export.fonts`), embedded.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable
from reportlab.platypus import Table as RLTable

from export.cjk import CJKParagraph
from export.fonts import Face, FontBook, default_fonts
from export.geometry import MM, PAGE_HEIGHT, PAGE_WIDTH
from export.renderers import Rendered
from model.checks import Finding
from model.formats import Severity
from model.formats.rules import CarryOverRule, RepeatedTextRule, Rule, RunningCountRule
from model.report import Report
from model.values import date_text
from model.version import version_code

SHEET_TITLE = "政府信息公开工作年度报告自查表"
PASSED, TO_VERIFY, ERROR = "通过", "需核实", "错误"
SIGNERS = ("填报人", "审核人", "单位负责人")
#: A message longer than this is cut, with “……”.
MESSAGE_LIMIT = 70
#: Rules whose check compares with last year's report: with none, nothing was compared.
_NEEDS_PREVIOUS = (CarryOverRule, RepeatedTextRule, RunningCountRule)
NOT_COMPARED = "没有上一年度报告，未比对"

#: The margins and the width of a one-page sheet (自查表 here, 退回意见 in export/return_sheet.py).
SHEET_MARGIN = 18 * MM
SHEET_WIDTH = PAGE_WIDTH - 2 * SHEET_MARGIN
_MARGIN, _WIDTH = SHEET_MARGIN, SHEET_WIDTH
_SIZES = (10.5, 9.5, 9.0, 8.0)  # table type, tried largest first


@dataclass(frozen=True)
class ReviewItem:
    """One rule of the format and what the checks found for it."""

    rule: Rule
    findings: tuple[Finding, ...]
    note: str = ""

    @property
    def result(self) -> str:
        if any(f.severity is Severity.ERROR for f in self.findings):
            return ERROR
        return TO_VERIFY if self.findings else PASSED

    @property
    def passed(self) -> bool:
        return not self.findings

    @property
    def explanation(self) -> str:
        """The findings' messages in one line, shortened; or the note of a passed rule."""
        if not self.findings:
            return self.note
        first = shorten(self.findings[0].message)
        more = len(self.findings) - 1
        return f"{first}（另有{more}处）" if more else first


def review_items(
    report: Report, findings: Sequence[Finding], previous_known: bool = True
) -> list[ReviewItem]:
    """Every rule of ``report``'s format, in the format's order, with its findings.

    ``previous_known`` says whether last year's report was there to compare with; when not,
    a rule that compares with it says so instead of passing silently."""
    items = []
    for rule in report.format.rules:
        own = tuple(f for f in findings if f.rule == rule.id)
        note = NOT_COMPARED if not own and not previous_known and _compares(rule) else ""
        items.append(ReviewItem(rule, own, note))
    return items


def _compares(rule: Rule) -> bool:
    return isinstance(rule, _NEEDS_PREVIOUS)


def shorten(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 2] + "……"


def tally(items: Sequence[ReviewItem]) -> str:
    """“共12项：通过10项，需核实1项，错误1项”."""
    counts = {label: sum(i.result == label for i in items) for label in (PASSED, TO_VERIFY, ERROR)}
    parts = "，".join(f"{label}{n}项" for label, n in counts.items())
    return f"共{len(items)}项：{parts}"


_one_at_a_time = threading.Lock()


def render_review_sheet(
    report: Report,
    findings: Sequence[Finding],
    previous_known: bool = True,
    fonts: FontBook | None = None,
) -> Rendered:
    """The review sheet of ``report`` as a one-page PDF."""
    fonts = fonts or default_fonts()
    items = review_items(report, findings, previous_known)
    out = io.BytesIO()
    with _one_at_a_time:
        sheet = _Sheet(report, items, fonts)
        # The canvas otherwise starts in Helvetica, a font the PDF would name but not embed.
        initial: dict[str, Any] = {"initialFontName": fonts.font_name(Face.SONG)}
        canvas = Canvas(out, pagesize=A4, invariant=1, **initial)
        canvas.setTitle(f"{report.agency}{report.year}年{SHEET_TITLE}")
        canvas.setAuthor(report.agency)
        canvas.setSubject(SHEET_TITLE)
        canvas.setCreator("政务公开年报")
        sheet.draw(canvas)
        canvas.showPage()
        canvas.save()
    missing = fonts.missing("".join(sheet.texts))
    warnings: tuple[str, ...] = ()
    if missing:
        listed = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in missing)
        warnings = (f"没有字体能显示这些字符，打印时会缺失：{listed}。",)
    return Rendered(out.getvalue(), 1, warnings)


class _Sheet:
    """The page, laid out from the top: title, facts, the rules, the signatures, a note."""

    def __init__(self, report: Report, items: list[ReviewItem], fonts: FontBook) -> None:
        self.report = report
        self.items = items
        self.numbers = {id(item): n for n, item in enumerate(items, 1)}
        self.fonts = fonts
        self.texts: list[str] = []
        name = fonts.font_name
        self.title_style = ParagraphStyle(
            "title",
            fontName=name(Face.TITLE),
            fontSize=20,
            leading=28,
            alignment=TA_CENTER,
            wordWrap="CJK",
        )
        self.fact = ParagraphStyle(
            "fact", fontName=name(Face.FANG), fontSize=12, leading=17, wordWrap="CJK"
        )
        self.fact_label = ParagraphStyle("fact_label", parent=self.fact, fontName=name(Face.HEI))
        self.code = ParagraphStyle(
            "code", parent=self.fact, fontName=name(Face.HEI), fontSize=16, leading=20
        )
        self.note = ParagraphStyle(
            "note", fontName=name(Face.SONG), fontSize=8.5, leading=11, wordWrap="CJK"
        )

    def text(self, text: str, style: ParagraphStyle, face: Face) -> CJKParagraph:
        self.texts.append(text)
        return CJKParagraph(self.fonts.markup(text, face), style)

    def draw(self, canvas: Canvas) -> None:
        top = PAGE_HEIGHT - _MARGIN
        blocks_top: list[Flowable] = [self.text(SHEET_TITLE, self.title_style, Face.TITLE)]
        blocks_top.append(self.facts())
        blocks_bottom: list[Flowable] = [self.signatures(), self.footnote()]
        gap = 4 * MM
        used = sum(_height(b) + gap for b in (*blocks_top, *blocks_bottom))
        table = self.rules_table(PAGE_HEIGHT - 2 * _MARGIN - used - gap)
        y = top
        for block in (*blocks_top, table):
            height = _height(block)
            block.drawOn(canvas, _MARGIN, y - height)
            y -= height + gap
        y = _MARGIN  # the signatures and the note stand at the foot of the page
        for block in reversed(blocks_bottom):
            block.drawOn(canvas, _MARGIN, y)
            y += _height(block) + gap

    # ------------------------------------------------------------------------ facts

    def facts(self) -> RLTable:
        report = self.report
        fmt = report.format
        pairs: list[tuple[str, str, tuple[str, str] | None]] = [
            ("填报单位", report.agency, None),
            ("报告标题", report.display_title.replace("\n", ""), None),
            (
                "报告年度",
                f"{report.year}年",
                ("成文日期", date_text(report.signature_date) or "未填写"),
            ),
            ("报告格式", f"{fmt.id}年格式（{fmt.document}）", None),
        ]
        cells: list[list[Any]] = []
        spans: list[tuple[Any, ...]] = []
        for label, value, second in pairs:
            row: list[Any] = [
                self.text(label, self.fact_label, Face.HEI),
                self.text(value, self.fact, Face.FANG),
            ]
            if second is None:
                row += ["", ""]
                spans.append(("SPAN", (1, len(cells)), (-1, len(cells))))
            else:
                row += [
                    self.text(second[0], self.fact_label, Face.HEI),
                    self.text(second[1], self.fact, Face.FANG),
                ]
            cells.append(row)
        cells.append(
            [
                self.text("版本码", self.fact_label, Face.HEI),
                self.text(version_code(report), self.code, Face.HEI),
                self.text("检查结果", self.fact_label, Face.HEI),
                self.text(tally(self.items), self.fact, Face.FANG),
            ]
        )
        return facts_table(cells, self.fact.fontName, spans)

    # ------------------------------------------------------------------------ the rules

    def rules_table(self, room: float) -> RLTable:
        """Every rule, in the largest type that fits ``room``; failing that, in the smallest,
        rules that passed left out first (then the last ones), and a line saying so."""
        for size in _SIZES:
            table = self.grid(self.items, size, "")
            if _height(table) <= room:
                return table
        # Left out first: rules that passed, from the last; then the others, from the last.
        order = [i for i in reversed(self.items) if i.passed]
        order += [i for i in reversed(self.items) if not i.passed]
        for names in (True, False):  # the left-out rules named, or (too many) counted

            def truncated(keep: int, names: bool = names) -> RLTable:
                dropped = {id(i) for i in order[: len(order) - keep]}
                shown = [i for i in self.items if id(i) not in dropped]
                return self.grid(shown, _SIZES[-1], self.left_out(shown, names))

            # Naming the rules that passed is worth no problem's row.
            low = sum(not i.passed for i in self.items) if names else 0
            if _height(truncated(low)) > room:
                continue
            high = len(order)  # truncated(high) does not fit (tried above)
            while high - low > 1:  # the most rows that fit
                middle = (low + high) // 2
                if _height(truncated(middle)) <= room:
                    low = middle
                else:
                    high = middle
            return truncated(low)
        return self.grid([], _SIZES[-1], self.left_out([], False))

    def left_out(self, shown: list[ReviewItem], names: bool = True) -> str:
        """The rules without a row of their own: those that passed by number and name, in one
        paragraph; problems only counted (they are left out only when nothing else fits)."""
        kept = {id(i) for i in shown}
        rest = [i for i in self.items if id(i) not in kept]
        passed = [i for i in rest if i.passed]
        problems = len(rest) - len(passed)
        said = ""
        if passed and not names:
            said = f"另有{len(passed)}项均为“{PASSED}”，未列出。"
        elif passed:
            listed = "；".join(f"{self.numbers[id(i)]}.{i.rule.summary}" for i in passed)
            said = f"以下{len(passed)}项均为“{PASSED}”（未逐行列出）：{listed}。"
        if problems:
            said += f"另有{problems}项需核实或有错误未列出，请在程序“发布前检查”中查看。"
        return said

    def grid(self, items: list[ReviewItem], size: float, more: str) -> RLTable:
        name = self.fonts.font_name
        leading = size * 1.3
        cell = ParagraphStyle(
            "cell",
            fontName=name(Face.SONG),
            fontSize=size,
            leading=leading,
            alignment=TA_LEFT,
            wordWrap="CJK",
        )
        centre = ParagraphStyle("centre", parent=cell, alignment=TA_CENTER)
        head = ParagraphStyle("head", parent=centre, fontName=name(Face.HEI))
        strong = ParagraphStyle("strong", parent=centre, fontName=name(Face.HEI))
        rows: list[list[Any]] = [
            [self.text(t, head, Face.HEI) for t in ("序号", "检查项", "结果", "说明")]
        ]
        for item in items:
            number = self.numbers[id(item)]
            result_style = centre if item.passed else strong
            rows.append(
                [
                    self.text(str(number), centre, Face.SONG),
                    self.text(item.rule.summary, cell, Face.SONG),
                    self.text(
                        item.result, result_style, Face.HEI if not item.passed else Face.SONG
                    ),
                    self.text(item.explanation, cell, Face.SONG),
                ]
            )
        more_row = self.text(more, cell, Face.SONG) if more else None
        return item_table(rows, cell.fontName, [9 * MM, 62 * MM, 14 * MM], more_row)

    # ------------------------------------------------------------------------ signatures

    def signatures(self) -> RLTable:
        """填报人, 审核人, 单位负责人 and 日期, each with a line to sign on."""
        label_width, line_width = 32 * MM, _WIDTH / 2 - 32 * MM
        labels = [*SIGNERS, "日期"]
        cells: list[Any] = []
        for label in labels:
            cells += [self.text(f"{label}：", self.fact_label, Face.HEI), ""]
        cells[-1] = self.date_blank()
        rows = [cells[0:4], cells[4:8]]
        table = RLTable(
            rows,
            colWidths=[label_width, line_width] * 2,
            rowHeights=[13 * MM, 13 * MM],
        )
        table.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.fact.fontName),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, "black"),
                ("LINEBELOW", (3, 0), (3, 0), 0.6, "black"),
                ("RIGHTPADDING", (1, 0), (1, -1), 6 * MM),
            ]
        )
        return table

    def date_blank(self) -> RLTable:
        """“____年__月__日”: room to write each part of the date."""
        parts: list[Any] = []
        for unit in ("年", "月", "日"):
            parts += ["", self.text(unit, self.fact, Face.FANG)]
        table = RLTable([parts], colWidths=[18 * MM, 7 * MM, 10 * MM, 7 * MM, 10 * MM, 7 * MM])
        table.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.fact.fontName),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
        return table

    def footnote(self) -> CJKParagraph:
        return self.text(
            "说明：版本码由报告的全部内容（格式、单位、年度、标题、各表数字、文字、落款和日期）计算得出，"
            "内容有任何改动，版本码随之改变；请核对本表与报送的报告、数据文件的版本码一致。"
            "“需核实”为提示，请核实后在报告中修改或说明理由；“错误”应在报送前改正。",
            self.note,
            Face.SONG,
        )


def sheet_height(flowable: Flowable) -> float:
    """How tall ``flowable`` stands across a sheet's width."""
    return float(flowable.wrap(SHEET_WIDTH, PAGE_HEIGHT)[1])


_height = sheet_height


def facts_table(
    cells: list[list[Any]], font_name: str, spans: Sequence[tuple[Any, ...]] = ()
) -> RLTable:
    """The facts at a sheet's head, two label–value pairs a row (the unit, the year, the
    version code …), top-aligned, without rules."""
    left = SHEET_WIDTH * 0.5
    table = RLTable(
        cells, colWidths=[22 * MM, left - 22 * MM, 22 * MM, SHEET_WIDTH - left - 22 * MM]
    )
    table.setStyle(
        [
            *spans,
            ("FONTNAME", (0, 0), (-1, -1), font_name),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
    )
    return table


def item_table(
    rows: list[list[Any]], font_name: str, widths: Sequence[float], more: Flowable | None = None
) -> RLTable:
    """A sheet's ruled table of items (rules checked, findings): ``widths`` of all columns but
    the last, which takes the rest; ``more`` (how many items did not fit) across a last row."""
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("FONTNAME", (0, 0), (-1, -1), font_name),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if more is not None:
        rows.append([more, *[""] * (len(widths))])
        style.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
    table = RLTable(rows, colWidths=[*widths, SHEET_WIDTH - sum(widths)], repeatRows=0)
    table.setStyle(style)
    return table
