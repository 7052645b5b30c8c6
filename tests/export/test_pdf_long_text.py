"""Long texts: a paragraph running over many pages is laid out in time proportional to its
length, breaks exactly as it would on one endless page, and the largest report the data file
allows prints in seconds."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from typing import Any

import pdfplumber
import pytest

import export.cjk
from export.cjk import CJKParagraph
from export.document import Document, Paragraph, Section
from export.docx import render_docx
from export.fonts import default_fonts
from export.geometry import TYPE_HEIGHT, TYPE_WIDTH
from export.linebreak import CLOSING, OPENING
from export.pdf import _Story, render_document, render_pdf
from model.report import Report
from model.schema import MAX_TEXT

SENTENCE = "我乡严格按照《条例》要求，认真做好政府信息公开工作，全年公开67.74万元——“放管服”。"


def long_text(length: int) -> str:
    return (SENTENCE * (length // len(SENTENCE) + 1))[:length]


def one_paragraph(text: str) -> Document:
    section = Section("overview", "一、总体情况", (Paragraph(text),))
    return Document(
        "标题", ("标题",), "某某乡人民政府", (), (section,), "某某乡人民政府", "2020年1月20日"
    )


def body_paragraph(text: str) -> CJKParagraph:
    story = _Story(one_paragraph(text), default_fonts())
    return story.paragraph(Paragraph(text))


def line_texts(lines: list[Any]) -> list[str]:
    return ["".join(word.text for word in line.words) for line in lines]


def seconds(action: Callable[[], object], repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def test_a_paragraph_split_over_pages_keeps_its_lines() -> None:
    text = long_text(3000)
    whole = body_paragraph(text)
    whole.wrap(TYPE_WIDTH, 10**9)
    expected = line_texts(whole.blPara.lines)
    assert len(expected) > 100

    paragraph, printed = body_paragraph(text), []
    while True:
        paragraph.wrap(TYPE_WIDTH, TYPE_HEIGHT)
        parts = paragraph.split(TYPE_WIDTH, TYPE_HEIGHT)
        if len(parts) == 1:
            printed += line_texts(parts[0].blPara.lines)
            break
        first, paragraph = parts
        first.wrap(TYPE_WIDTH, TYPE_HEIGHT)
        assert len(first.blPara.lines) == 22  # a full page
        printed += line_texts(first.blPara.lines)
    # the same lines, and no space added to any of them (ReportLab's own split adds one)
    assert printed == expected
    assert "".join(printed) == text


def test_the_rest_of_a_split_paragraph_breaks_again_for_another_width() -> None:
    text = long_text(2000)
    paragraph = body_paragraph(text)
    paragraph.wrap(TYPE_WIDTH, TYPE_HEIGHT)
    first, rest = paragraph.split(TYPE_WIDTH, TYPE_HEIGHT)
    narrow = TYPE_WIDTH / 2
    rest.wrap(narrow, TYPE_HEIGHT)
    lines = line_texts(rest.blPara.lines)
    assert "".join(line_texts(first.blPara.lines) + lines) == text
    assert all(line.currentWidth <= narrow + 1 for line in rest.blPara.lines)
    assert max(len(line) for line in lines) <= 17  # about half of a full line's 26
    for before, after in pairwise(lines):
        assert after[0] not in CLOSING and before[-1] not in OPENING
    assert (
        "".join(x.text for x in rest.frags) == text[len("".join(line_texts(first.blPara.lines))) :]
    )


def test_a_long_paragraph_is_measured_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The work, not just the time: every character is measured once however many pages the
    paragraph runs over (ReportLab's split measured the rest again on every page)."""
    measured: list[int] = []
    real = export.cjk.measure

    def counting(frags: list[Any], tracking: float = 0.0) -> Any:
        units = real(frags, tracking)
        measured.append(len(units))
        return units

    monkeypatch.setattr(export.cjk, "measure", counting)
    text = long_text(20_000)
    rendered = render_document(one_paragraph(text))
    assert rendered.pages > 30
    assert sum(measured) < 1.1 * len(text)


def test_time_grows_in_proportion_to_the_paragraph() -> None:
    small, large = long_text(4000), long_text(16_000)
    render_document(one_paragraph(small))  # fonts loaded
    ratio = seconds(lambda: render_document(one_paragraph(large))) / seconds(
        lambda: render_document(one_paragraph(small))
    )
    # 4 × the text: about 4 × the time (it was about 14 ×, the layout being quadratic)
    assert ratio < 6, ratio


def largest(report: Report, text: str) -> Report:
    assert len(text) == MAX_TEXT
    return replace(report, texts=dict.fromkeys(report.format.text_keys, text))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("shape", "text", "bound"),
    [
        ("one paragraph a text", long_text(MAX_TEXT), 6.0),
        # the most printed lines a text can make: a one-character paragraph a line
        ("one character a line", ("一\n" * MAX_TEXT)[:MAX_TEXT], 25.0),
    ],
)
def test_the_largest_report_allowed_prints_in_seconds(
    example: Report, shape: str, text: str, bound: float
) -> None:
    report = largest(example, text)
    start = time.perf_counter()
    rendered = render_pdf(report)
    took = time.perf_counter() - start
    assert took < bound, f"{shape}: {took:.1f} s"
    with pdfplumber.open(io.BytesIO(rendered.data)) as pdf:
        assert len(pdf.pages) == rendered.pages
        last = pdf.pages[-1].extract_text()
    assert example.agency in last  # the signature: everything was laid out
    start = time.perf_counter()
    data = render_docx(report)
    took = time.perf_counter() - start
    assert took < bound, f"Word, {shape}: {took:.1f} s"
    assert len(data) > 10_000
