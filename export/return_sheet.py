"""The 退回意见: one A4 page the county office sends back with a report it does not accept.

    render_return_sheet(report, findings, county=…, remarks=…, date=…) -> bytes (a one-page PDF)

It names the unit, the year, the report's title and its version code (:mod:`model.version`, so
the unit knows which version was reviewed), lists the findings — errors first, each with the
part it concerns — then the county's remarks (or ruled lines to write them on), lines for
审核人 and 日期, and the county office's name.  The page never overflows: when the findings do
not fit in the smallest type, the last ones are counted instead (“另有N条……”), errors kept
before warnings; remarks too long for their box are cut with “……”.

Drawn like the 自查表 (:mod:`export.review_sheet`): the same fonts (:mod:`export.fonts`),
embedded, the same margins and type sizes.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Sequence
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable
from reportlab.platypus import Table as RLTable

from export.cjk import CJKParagraph
from export.fonts import Face, FontBook, default_fonts
from export.geometry import MM, PAGE_HEIGHT
from export.review_sheet import (
    SHEET_MARGIN,
    SHEET_WIDTH,
    facts_table,
    item_table,
    sheet_height,
    shorten,
)
from model.checks import Finding
from model.formats import Severity
from model.report import Report
from model.values import date_text
from model.version import version_code

SHEET_TITLE = "政府信息公开工作年度报告退回意见"
ERROR, WARNING = "错误", "需核实"
REVIEWER = "审核人"
#: A finding's message longer than this is cut, with “……” (no check writes one this long).
MESSAGE_LIMIT = 200
#: The ruled lines left for handwritten remarks when the county typed none.
BLANK_LINES = 4

_MARGIN, _WIDTH = SHEET_MARGIN, SHEET_WIDTH
_SIZES = (10.5, 9.5, 9.0, 8.0)  # the findings' type, tried largest first
_REMARKS_ROOM = 55 * MM  # the most the remarks may take
_GAP = 4 * MM


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Errors first, then warnings, each in the order the checks gave them."""
    return sorted(findings, key=lambda f: f.severity is not Severity.ERROR)


def part_label(report: Report, finding: Finding) -> str:
    """“三、依申请公开”: the part a finding concerns, as the unit finds it in the window."""
    for part in report.format.parts:
        if part.key == finding.part:
            return f"{part.number}、{part.short}"
    return "—"


def left_out(findings: Sequence[Finding]) -> str:
    """The line that counts the findings without a row: “另有N条（错误a条、需核实b条）……”."""
    errors = sum(f.is_error for f in findings)
    kinds = "、".join(
        f"{label}{n}条" for label, n in ((ERROR, errors), (WARNING, len(findings) - errors)) if n
    )
    return f"另有{len(findings)}条（{kinds}）未列出，请在程序“发布前检查”中查看全部问题。"


_one_at_a_time = threading.Lock()


def render_return_sheet(
    report: Report,
    findings: Sequence[Finding],
    *,
    county: str,
    remarks: str = "",
    date: dt.date | None = None,
    agency: str | None = None,
    year: int | None = None,
    fonts: FontBook | None = None,
) -> bytes:
    """The 退回意见 of ``report`` as a one-page PDF.  ``county`` is the office that returns it
    (某某县人民政府办公室); ``date`` is printed when given, else left to write in.  ``agency``
    and ``year`` default to the report's."""
    fonts = fonts or default_fonts()
    agency = agency or report.agency
    year = year or report.year
    out = io.BytesIO()
    with _one_at_a_time:
        sheet = _Sheet(report, ordered(findings), fonts, agency, year, county, remarks, date)
        # The canvas otherwise starts in Helvetica, a font the PDF would name but not embed.
        initial: dict[str, Any] = {"initialFontName": fonts.font_name(Face.SONG)}
        canvas = Canvas(out, pagesize=A4, invariant=1, **initial)
        canvas.setTitle(f"{agency}{year}年{SHEET_TITLE}")
        canvas.setAuthor(county)
        canvas.setSubject(SHEET_TITLE)
        canvas.setCreator("政务公开年报")
        sheet.draw(canvas)
        canvas.showPage()
        canvas.save()
    return out.getvalue()


class _Sheet:
    """The page, laid out from the top (title, facts, findings) and from the foot (remarks,
    signatures, the county's name); the findings take the room between."""

    def __init__(
        self,
        report: Report,
        findings: list[Finding],
        fonts: FontBook,
        agency: str,
        year: int,
        county: str,
        remarks: str,
        date: dt.date | None,
    ) -> None:
        self.report, self.findings, self.fonts = report, findings, fonts
        self.agency, self.year, self.county = agency, year, county
        self.remarks, self.date = remarks.strip(), date
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
        self.county_style = ParagraphStyle(
            "county", parent=self.fact, fontSize=14, leading=20, alignment=TA_RIGHT
        )

    def text(self, text: str, style: ParagraphStyle, face: Face) -> CJKParagraph:
        return CJKParagraph(self.fonts.markup(text, face), style)

    def draw(self, canvas: Canvas) -> None:
        top: list[Flowable] = [
            self.text(SHEET_TITLE, self.title_style, Face.TITLE),
            self.facts(),
            self.text(self.opening(), self.fact, Face.FANG),
        ]
        bottom: list[Flowable] = [
            self.text("其他意见：", self.fact_label, Face.HEI),
            self.remarks_block(),
            self.signatures(),
            self.text(self.county, self.county_style, Face.FANG),
        ]
        used = sum(_height(b) + _GAP for b in (*top, *bottom))
        table = self.findings_table(PAGE_HEIGHT - 2 * _MARGIN - used - _GAP)
        y = PAGE_HEIGHT - _MARGIN
        for block in (*top, table):
            height = _height(block)
            block.drawOn(canvas, _MARGIN, y - height)
            y -= height + _GAP
        y = _MARGIN  # the remarks and signatures stand at the foot of the page
        for block in reversed(bottom):
            block.drawOn(canvas, _MARGIN, y)
            y += _height(block) + _GAP

    # ------------------------------------------------------------------------ facts

    def facts(self) -> RLTable:
        errors = sum(f.is_error for f in self.findings)
        tally = f"{ERROR}{errors}条，{WARNING}{len(self.findings) - errors}条"
        rows = [
            [self.text("报送单位", self.fact_label, Face.HEI), self.agency, None, None],
            [
                self.text("报告标题", self.fact_label, Face.HEI),
                self.report.display_title.replace("\n", ""),
                None,
                None,
            ],
            [
                self.text("报告年度", self.fact_label, Face.HEI),
                f"{self.year}年",
                self.text("版本码", self.fact_label, Face.HEI),
                self.text(version_code(self.report), self.code, Face.HEI),
            ],
            [
                self.text("成文日期", self.fact_label, Face.HEI),
                date_text(self.report.signature_date) or "未填写",
                self.text("检查结果", self.fact_label, Face.HEI),
                tally,
            ],
        ]
        cells = [
            [c if not isinstance(c, str) else self.text(c, self.fact, Face.FANG) for c in row]
            for row in rows
        ]
        cells = [[c if c is not None else "" for c in row] for row in cells]
        spans = [("SPAN", (1, 0), (-1, 0)), ("SPAN", (1, 1), (-1, 1))]
        return facts_table(cells, self.fact.fontName, spans)

    def opening(self) -> str:
        if not self.findings:
            return (
                f"经审核，你单位报送的{self.year}年政府信息公开工作年度报告需要修改（见下方意见），"
                "现予退回，请修改后重新报送。"
            )
        return (
            f"经审核，你单位报送的{self.year}年政府信息公开工作年度报告存在以下问题，"
            "现予退回，请逐条核实、修改后重新报送。"
        )

    # ------------------------------------------------------------------------ findings

    def findings_table(self, room: float) -> RLTable:
        """Every finding in the largest type that fits ``room``; failing that, as many as fit
        in the smallest type and a line counting the rest."""
        for size in _SIZES:
            table = self.grid(self.findings, size, "")
            if _height(table) <= room:
                return table
        low, high = 0, len(self.findings)  # grid(high) does not fit (tried above)
        while high - low > 1:  # the most rows that fit
            middle = (low + high) // 2
            if _height(self.truncated(middle)) <= room:
                low = middle
            else:
                high = middle
        return self.truncated(low)

    def truncated(self, keep: int) -> RLTable:
        return self.grid(self.findings[:keep], _SIZES[-1], left_out(self.findings[keep:]))

    def grid(self, findings: Sequence[Finding], size: float, more: str) -> RLTable:
        name = self.fonts.font_name
        cell = ParagraphStyle(
            "cell",
            fontName=name(Face.SONG),
            fontSize=size,
            leading=size * 1.3,
            alignment=TA_LEFT,
            wordWrap="CJK",
        )
        centre = ParagraphStyle("centre", parent=cell, alignment=TA_CENTER)
        strong = ParagraphStyle("strong", parent=centre, fontName=name(Face.HEI))
        rows: list[list[Any]] = [
            [self.text(t, strong, Face.HEI) for t in ("序号", "类别", "所在部分", "问题说明")]
        ]
        if not findings and not more:
            rows.append(
                ["", "", "", self.text("（程序检查未发现问题，见其他意见）", cell, Face.SONG)]
            )
        for number, finding in enumerate(findings, 1):
            error = finding.is_error
            rows.append(
                [
                    self.text(str(number), centre, Face.SONG),
                    self.text(
                        ERROR if error else WARNING,
                        strong if error else centre,
                        Face.HEI if error else Face.SONG,
                    ),
                    self.text(part_label(self.report, finding), centre, Face.SONG),
                    self.text(shorten(finding.message, MESSAGE_LIMIT), cell, Face.SONG),
                ]
            )
        more_row = self.text(more, cell, Face.SONG) if more else None
        return item_table(rows, cell.fontName, [10 * MM, 14 * MM, 30 * MM], more_row)

    # ------------------------------------------------------------------------ the foot

    def remarks_block(self) -> Flowable:
        """The county's remarks, cut to fit their box; or ruled lines to write them on."""
        if not self.remarks:
            table = RLTable(
                [[""] for _ in range(BLANK_LINES)],
                colWidths=[_WIDTH],
                rowHeights=[9 * MM] * BLANK_LINES,
            )
            table.setStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, "black")])
            return table
        style = ParagraphStyle("remarks", parent=self.fact, firstLineIndent=24)
        lines = [line.strip() for line in self.remarks.splitlines() if line.strip()]
        text = "\n".join(lines)

        def block(text: str) -> RLTable:
            paragraphs = [[self.text(line, style, Face.FANG)] for line in text.split("\n")]
            table = RLTable(paragraphs, colWidths=[_WIDTH])
            table.setStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
            return table

        if _height(block(text)) <= _REMARKS_ROOM:
            return block(text)
        low, high = 0, len(text)  # the most characters that fit, with “……”
        while high - low > 1:
            middle = (low + high) // 2
            if _height(block(text[:middle] + "……")) <= _REMARKS_ROOM:
                low = middle
            else:
                high = middle
        return block(text[:low].rstrip() + "……")

    def signatures(self) -> RLTable:
        """审核人 with a line to sign on, and the date: printed, or ____年__月__日."""
        date: Any = (
            self.text(date_text(self.date), self.fact, Face.FANG)
            if self.date
            else (self.date_blank())
        )
        half = _WIDTH / 2
        table = RLTable(
            [
                [
                    self.text(f"{REVIEWER}：", self.fact_label, Face.HEI),
                    "",
                    self.text("日期：", self.fact_label, Face.HEI),
                    date,
                ]
            ],
            colWidths=[20 * MM, half - 20 * MM, 16 * MM, half - 16 * MM],
            rowHeights=[13 * MM],
        )
        table.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.fact.fontName),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (1, 0), (1, 0), 0.6, "black"),
                ("RIGHTPADDING", (1, 0), (1, 0), 6 * MM),
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
                *(("LINEBELOW", (i, 0), (i, 0), 0.6, "black") for i in (0, 2, 4)),
            ]
        )
        return table


_height = sheet_height
