"""Reports to print: the two real ones, and a stress report (a long agency name, the largest
numbers a cell takes, ten pages of narrative, rare characters)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from model.datafile import read_datafile
from model.formats import CellKind, get_format
from model.report import Report

DATA = Path(__file__).resolve().parents[2] / "resources" / "examples"
EXAMPLE = DATA / "example-2019-township.nianbao.json"
SAMPLE = DATA / "sample-2021-county-bureau.nianbao.json"

RARE = "䶮𠀀"  # CJK Extension A (in the shipped fonts) and Extension B (in SimSun-ExtB only)

_SENTENCE = (
    "（{n}）围绕“放管服”改革和优化营商环境，全年主动公开政府信息{n}万余条，其中政策解读"
    "稿件267篇、图解{n}期；“12345”热线转办件按时办结率达到99.8%，群众满意度持续提升。"
    "我们坚持以公开为常态、不公开为例外，及时回应社会关切——凡属重大决策，均在《政府公报》"
    "和门户网站同步发布……"
)


def narrative(paragraphs: int) -> str:
    return "\n".join(_SENTENCE.format(n=n) for n in range(1, paragraphs + 1))


@pytest.fixture(scope="session")
def example() -> Report:
    return read_datafile(EXAMPLE.read_bytes())


@pytest.fixture(scope="session")
def sample() -> Report:
    return read_datafile(SAMPLE.read_bytes())


@pytest.fixture(scope="session")
def stress() -> Report:
    return stress_report()


def stress_report() -> Report:
    fmt = get_format("2021")
    cells: dict[str, int | Decimal] = {}
    for key in fmt.input_keys:
        kind = fmt.cells[key].kind
        cells[key] = Decimal("999999999999.999999") if kind is CellKind.MONEY else 999_999_999
    agency = "某某自治州某某县某某镇人民政府（某某街道办事处）"
    return Report(
        format_id="2021",
        agency=agency,
        year=2023,
        cells=cells,
        texts={
            "preamble": f"本报告中生僻字示例：{RARE}。",
            "overview": narrative(40),
            "problems": narrative(3),
            "other_matters": "本年度未收取信息处理费。",
        },
        signature_date=dt.date(2024, 1, 5),
    )
