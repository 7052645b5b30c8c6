"""The PDF read back as a 办公室主任 checks it against GB/T 9704 (issue 16): the title broken by
meaning with a blank line under it, 28 characters a line with numbers kept tight, the 落款
placed per §7.3.5.2 and never parted from the text, part 二 breaking between its items, one
number size per table, and a warning when the body cannot be 仿宋."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from export.document import build_document
from export.fonts import SHIPPED_DIR, FontBook
from export.geometry import BODY_SIZE, LEFT, LINE, PITCH, TITLE_SIZE, TRACKING, TYPE_WIDTH
from export.linebreak import in_word
from export.pdf import render_document, render_pdf
from model.report import Report

RIGHT = LEFT + TYPE_WIDTH


def _pages(report: Report) -> list[Any]:
    with pdfplumber.open(io.BytesIO(render_pdf(report).data)) as pdf:
        return [(page, page.chars) for page in pdf.pages]


def _lines(chars: list[Any], size: float = BODY_SIZE) -> list[list[Any]]:
    """The lines of one size on a page, top to bottom, each left to right."""
    rows: dict[float, list[Any]] = defaultdict(list)
    for c in chars:
        if abs(c["size"] - size) < 0.05:
            rows[round(c["top"], 1)].append(c)
    return [sorted(rows[top], key=lambda c: c["x0"]) for top in sorted(rows)]


def _text(line: list[Any]) -> str:
    return "".join(c["text"] for c in line)


# ------------------------------------------------------------------------------------ title


def test_the_title_breaks_by_meaning_with_a_blank_line_under_it() -> None:
    """15-huaian-2024's title broke 年 / 度; here it breaks before 政府信息公开…报告."""
    report = Report("2021", "淮安市人民政府", 2024, texts={"overview": "一年来，我市认真贯彻。"})
    _page, chars = _pages(report)[0]
    title = _lines(chars, TITLE_SIZE)
    assert [_text(line) for line in title] == ["淮安市人民政府2024年", "政府信息公开工作年度报告"]
    for line in title:  # centred
        middle = (line[0]["x0"] + line[-1]["x1"]) / 2
        assert middle == pytest.approx(LEFT + TYPE_WIDTH / 2, abs=2)
    body = _lines(chars)[0]
    assert body[0]["top"] - title[-1][-1]["bottom"] >= LINE  # a whole blank 3号 line


def test_a_typed_line_break_in_the_title_is_kept() -> None:
    report = Report(
        "2021", "某某县自然资源局", 2022, title="某某县自然资源局\n2022年政府信息公开工作年度报告"
    )
    _page, chars = _pages(report)[0]
    lines = [_text(line) for line in _lines(chars, TITLE_SIZE)]
    assert lines == ["某某县自然资源局", "2022年政府信息公开工作年度报告"]
    assert build_document(report).title == "某某县自然资源局2022年政府信息公开工作年度报告"


# ------------------------------------------------------------------------ 28 characters a line


def test_a_full_line_holds_28_characters_filling_the_type_area(
    example: Report, sample: Report
) -> None:
    natural: Counter[int] = Counter()  # lines set without any spreading
    for report in (example, sample):
        for _page, chars in _pages(report):
            for line in _lines(chars):
                starts_left = line[0]["x0"] == pytest.approx(LEFT, abs=0.5)
                full = line[-1]["x0"] + PITCH > RIGHT - PITCH / 2
                hanging = line[-1]["x0"] + PITCH > RIGHT + PITCH / 2  # a closing mark
                if not (starts_left and full) or hanging or any(in_word(c["text"]) for c in line):
                    continue
                steps = [b["x0"] - a["x0"] for a, b in pairwise(line)]
                # pdfminer drops the tracking where a font subset changes (see Word): 0.21 pt
                if steps and max(steps) < PITCH + 0.25:
                    natural[len(line)] += 1
                    # (a 27th character less would end a whole 15.8 pt short)
                    assert line[-1]["x0"] + PITCH == pytest.approx(RIGHT, abs=3)
    assert natural[28] >= 10 and set(natural) == {28}, natural


def test_justification_never_spreads_a_number(example: Report, sample: Report) -> None:
    """Township page 1 printed “2 0 1 9年”; digits now stand as tight as the line's pitch."""
    pairs = 0
    for report in (example, sample):
        for _page, chars in _pages(report):
            for line in _lines(chars):
                for a, b in pairwise(line):
                    if a["text"].isdigit() and b["text"].isdigit():
                        pairs += 1
                        assert b["x0"] - a["x1"] == pytest.approx(TRACKING, abs=0.02), _text(line)
    assert pairs > 20


# ------------------------------------------------------------------------------------ 落款


@dataclasses.dataclass
class Word:
    """A line of the 落款 as poppler places it (pdfminer, under pdfplumber, leaves out the
    character spacing after the last character of each string, which poppler applies as the
    PDF specification says)."""

    text: str
    x0: float
    x1: float  # the right edge of the last character's 16 pt box


def _closing(report: Report) -> tuple[list[Word], Word, list[Word]]:
    """The agency's lines, the date line and the lines above them on the page with the date."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed; .ci/run installs it")
    document = build_document(report)
    rendered = render_pdf(report)
    page = str(rendered.pages)
    xml = subprocess.run(
        ["pdftotext", "-f", page, "-l", page, "-bbox", "-", "-"],
        input=rendered.data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = [
        Word(html.unescape(text), float(x0), float(x1))
        for x0, x1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" [^>]*>([^<]*)</word>', xml
        )
    ]
    at = next(i for i, w in enumerate(words) if w.text == document.date)
    first = at - 1
    while "".join(w.text for w in words[first:at]) != document.signature:
        first -= 1
        assert first >= 0, "the agency is not on the date's page"
    return words[first:at], words[at], words[:first]


def _right_gap(word: Word) -> float:
    """Characters of the 28-a-line grid free at the right of a line."""
    return (RIGHT - (word.x1 - BODY_SIZE + PITCH)) / PITCH


def test_a_longer_agency_stands_two_characters_from_the_right(sample: Report) -> None:
    report = dataclasses.replace(
        sample, signature_agency="某某县自然资源局办公室主任室", signature_date=dt.date(2025, 1, 20)
    )
    (agency,), date, _ = _closing(report)
    assert _right_gap(agency) == pytest.approx(2, abs=0.02)
    assert (date.x0 - agency.x0) / PITCH == pytest.approx(2, abs=0.02)  # 首字右移二字


def test_a_longer_date_stands_two_characters_from_the_right(sample: Report) -> None:
    (agency,), date, _ = _closing(sample)  # 某某县自然资源局 over 2023年1月18日
    assert _right_gap(date) == pytest.approx(2, abs=0.02)
    assert (date.x0 - agency.x0) / PITCH == pytest.approx(2, abs=0.02)
    assert _right_gap(agency) > 2  # the agency moves left with the date


def test_a_long_agency_wraps_inside_the_type_area(sample: Report) -> None:
    name = "某某自治州某某县人民政府办公室（某某县政务服务和数据管理局、某某县信访局）"
    agency, date, _ = _closing(dataclasses.replace(sample, signature_agency=name))
    assert len(agency) == 2
    assert agency[1].text.startswith("（")  # broken at the name's boundary, not inside a word
    for line in agency:
        assert line.x0 >= LEFT - 0.1 and _right_gap(line) >= 2 - 0.02
    assert (date.x0 - agency[0].x0) / PITCH == pytest.approx(2, abs=0.02)


def test_a_long_agency_breaks_between_names_never_inside_one(sample: Report) -> None:
    name = "中共平潭综合实验区工作委员会办公室（平潭综合实验区管理委员会办公室）"
    agency, date, _ = _closing(dataclasses.replace(sample, signature_agency=name))
    assert [line.text for line in agency] == [
        "中共平潭综合实验区工作委员会办公室",
        "（平潭综合实验区管理委员会办公室）",
    ]
    for line in agency:
        assert _right_gap(line) == pytest.approx(2, abs=0.35)  # the ）'s box is narrower
    assert (date.x0 - agency[0].x0) / PITCH == pytest.approx(2, abs=0.02)


FILLER = "我局将继续深化政府信息公开工作。"
LAST = "下一步，我局将认真贯彻落实《中华人民共和国政府信息公开条例》，" * 3


def test_a_one_line_last_paragraph_takes_the_line_above_with_it(sample: Report) -> None:
    for filler in range(2, 24):  # the text ends on each line of a page
        text = "\n".join([FILLER] * filler)
        report = dataclasses.replace(sample, texts={**sample.texts, "other_matters": text})
        _agency, _date, above = _closing(report)
        assert len(above) >= 2 and [w.text for w in above[-2:]] == [FILLER, FILLER]


@pytest.mark.parametrize("filler", range(22))  # the text ends on each line of a page
def test_the_signature_never_stands_apart_from_the_text(sample: Report, filler: int) -> None:
    """Whatever line the text ends on, the agency and the date share a page with the last
    two lines of text (sig0 and sig4 of the print review left them alone)."""
    text = "\n".join([FILLER] * filler + [LAST])
    report = dataclasses.replace(sample, texts={**sample.texts, "other_matters": text})
    agency, date, above = _closing(report)
    assert agency and date
    assert len(above) >= 2 and above[-1].text.endswith("条例》，")


# ------------------------------------------------------------------------------------ tables


@pytest.mark.parametrize("lines", [5, 6, 7])
def test_part_two_breaks_between_its_items_under_its_heading(sample: Report, lines: int) -> None:
    """Huaian page 1 was half empty: the whole of table 二 moved to page 2 with its heading."""
    overview = "\n".join(
        ["我局认真贯彻落实条例，扎实推进政府信息公开工作，取得了一定成效。"] * lines
    )
    report = dataclasses.replace(sample, texts={**sample.texts, "overview": overview})
    with pdfplumber.open(io.BytesIO(render_pdf(report).data)) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    first = texts[0]
    assert "二、主动公开政府信息情况" in first and "第二十条第（一）项" in first
    assert "第二十条第（八）项" in texts[1] and "信息内容" in texts[1]  # header repeated


def test_numbers_in_a_table_share_one_size(stress: Report) -> None:
    with pdfplumber.open(io.BytesIO(render_pdf(stress).data)) as pdf:
        for page in pdf.pages:
            if "勾稽关系" in page.extract_text():
                # the numbers: runs of digits (a label's “3.” is one digit alone)
                digits = [c for c in page.chars if c["text"].isdigit() and c["size"] < 14]
                sizes = {
                    round(a["size"], 2)
                    for a, b in pairwise(sorted(digits, key=lambda c: (c["top"], c["x0"])))
                    if a["top"] == b["top"] and abs(b["x0"] - a["x1"]) < 0.5
                }
                assert len(sizes) == 1, sizes
                return
    raise AssertionError("table 三 not found")


# ------------------------------------------------------------------------------------- fonts


def test_the_clerk_is_told_when_the_body_is_not_fangsong(sample: Report, tmp_path: Path) -> None:
    document = build_document(sample)
    without = render_document(document, FontBook((SHIPPED_DIR,)))
    assert any("仿宋" in w and "simfang.ttf" in w for w in without.warnings)
    (tmp_path / "simfang.ttf").symlink_to(SHIPPED_DIR / "NotoSerifSC-Regular.ttf")
    with_fang = render_document(document, FontBook((tmp_path, SHIPPED_DIR)))
    assert not any("仿宋" in w for w in with_fang.warnings)
