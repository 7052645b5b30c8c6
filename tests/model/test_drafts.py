"""The paragraph drafted from the tables says what the tables say."""

from __future__ import annotations

from pathlib import Path

from model.datafile import read_datafile
from model.drafts import overview_draft, plain_label

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "examples"
    / "sample-2021-county-bureau.nianbao.json"
)


def test_plain_label_drops_numbering_and_notes() -> None:
    assert plain_label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "部分公开"
    assert plain_label("一、本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量"
    assert plain_label("3.其他") == "其他"


def test_overview_draft_restates_the_tables() -> None:
    report = read_datafile(SAMPLE.read_bytes())
    cells = report.cells
    new = sum(v for k, v in cells.items() if k.startswith("requests.new."))
    draft = overview_draft(report)
    assert draft.startswith(f"本年度共新收政府信息公开申请{new}件，")
    granted = sum(v for k, v in cells.items() if k.startswith("requests.granted."))
    assert f"予以公开{granted}件" in draft
    other = sum(v for k, v in cells.items() if k.startswith("requests.other_"))
    assert f"其他处理{other}件" in draft


def test_the_draft_passes_the_text_checks() -> None:
    from model.checks import check

    report = read_datafile(SAMPLE.read_bytes())
    report.texts["overview"] = overview_draft(report)
    assert [f for f in check(report) if f.rule.startswith("text.")] == []
