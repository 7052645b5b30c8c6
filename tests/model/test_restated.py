"""Every figure a report restates in its text is checked against its tables (issue 15, item 1).

The real reports are in tests/data/restated/real-reports.json: their narratives verbatim and
the table figures read from the same published page (the source file is named there).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from model.checks import Finding, check
from model.numerals import parse_number
from model.report import Report
from model.restated import clause_around, find_figures, read_number, sentences

DATA = Path(__file__).resolve().parents[1] / "data" / "restated"
REAL = json.loads((DATA / "real-reports.json").read_text(encoding="utf-8"))["reports"]


def _real(entry: dict[str, object]) -> Report:
    cells: dict[str, int | Decimal] = {}
    for row, total in entry["rows"].items():  # type: ignore[attr-defined]
        cells[f"{row}.natural"] = total
    for key, value in entry["cells"].items():  # type: ignore[attr-defined]
        cells[key] = Decimal(value) if isinstance(value, str) else value
    return Report(
        format_id=str(entry["format"]),
        agency=str(entry["agency"]),
        year=int(entry["year"]),  # type: ignore[call-overload]
        cells=cells,
        texts={"overview": str(entry["overview"])},
    )


def _restated(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule.startswith("text.")]


def _messages(report: Report) -> list[str]:
    return [f.message for f in _restated(check(report))]


# ---------------------------------------------------------------------------- real reports


@pytest.mark.parametrize("entry", REAL, ids=[e["name"] for e in REAL])
def test_real_reports_get_exactly_the_expected_warnings(entry: dict[str, object]) -> None:
    assert _messages(_real(entry)) == entry["expected"]


def _entry(name: str) -> dict[str, object]:
    return next(e for e in REAL if e["name"] == name)


def test_every_figure_of_a_rich_real_report_is_compared() -> None:
    """上海市政府办公厅 2025 restates eight figures of part 三; change any table figure and
    the sentence that restates it is named."""
    report = _real(_entry("shanghai-office-2025"))
    changes = {
        "requests.new.natural": ("text.requests", "受理政府信息公开申请 1295 件"),
        "requests.carried_in.natural": ("text.carried_in", "上年结转 189 件"),
        "requests.granted.natural": ("text.granted_partial", "予以公开及部分公开 208 件"),
        "requests.deny_query.natural": ("text.deny", "不予公开 20 件"),
        "requests.unable_unclear.natural": ("text.unable", "无法提供 564 件"),
        "requests.reject_repeat.natural": ("text.reject", "不予处理 80 件"),
        "requests.other_misc.natural": ("text.other", "其他处理 319 件"),
    }
    for key, (rule, quote) in changes.items():
        changed = _real(_entry("shanghai-office-2025"))
        changed.cells[key] = changed.cells[key] + 1  # type: ignore[operator]
        if key != "requests.new.natural" and key != "requests.carried_in.natural":
            changed.cells["requests.carried_out.natural"] = 292  # keep 一+二 = 三+四
        rules = {f.rule: f for f in _restated(check(changed))}
        assert rule in rules, key
        assert f"“{quote}”" in rules[rule].message
    assert _messages(report) == []


def test_handled_and_carried_over_in_a_real_report() -> None:
    report = _real(_entry("pingtan-zone-2025"))
    report.cells["requests.carried_out.natural"] = 5
    report.cells["requests.granted.natural"] = 34
    assert _messages(report) == [
        "第一部分写有“办结148件”，但第三部分“（七）总计”为149",
        "第一部分写有“结转至2026年6件”，但第三部分“结转下年度继续办理”总计为5",
    ]


def test_appeals_in_a_real_report() -> None:
    report = _real(_entry("pingtan-zone-2025"))
    report.cells["appeals.review.pending"] = 1
    report.cells["appeals.suit_after_review.upheld"] = 2
    assert _messages(report) == [
        "第一部分写有“行政复议36起”，但第四部分“行政复议”总计为37",
        "第一部分写有“行政诉讼9起”，但第四部分“行政诉讼（直接起诉与复议后起诉）”总计为8",
    ]


# ---------------------------------------------------------------------------- each topic


def _report(format_id: str = "2021", **cells: int | Decimal) -> Report:
    return Report(format_id=format_id, agency="某某县某某局", year=2023, cells=dict(cells))


def _say(report: Report, text: str) -> list[Finding]:
    report.texts["overview"] = text
    return _restated(check(report))


def test_a_warning_names_the_sentence_and_jumps_to_cells_and_text() -> None:
    report = _report(
        **{
            "requests.new.natural": 3,
            "requests.deny_secret.natural": 1,
            "requests.deny_law.natural": 2,
        }
    )
    [finding] = _say(report, "全年共收到申请3件，其中不予公开2件。")
    assert finding.rule == "text.deny"
    assert finding.message == "第一部分写有“不予公开2件”，但第三部分“（三）不予公开”各项合计为3"
    assert "requests.deny_secret.total" in finding.cells
    assert len(finding.cells) == 8
    assert finding.texts == ("overview",)
    assert finding.part == "overview"


def test_received_new_or_new_and_carried_in() -> None:
    report = _report(**{"requests.new.natural": 10, "requests.carried_in.natural": 2})
    assert _say(report, "全年共收到政府信息公开申请10件。") == []
    assert _say(report, "全年共受理政府信息公开申请十二件（含上年结转2件）。") == []
    [finding] = _say(report, "全年共收到政府信息公开申请１１件。")
    assert finding.rule == "text.requests"
    assert _say(report, "本年度共受理2件依申请公开信息。")[0].rule == "text.requests"


def test_results_of_part_three() -> None:
    report = _report(
        **{
            "requests.new.natural": 12,
            "requests.granted.natural": 5,
            "requests.partial.natural": 2,
            "requests.unable_not_held.natural": 3,
            "requests.reject_repeat.natural": 1,
            "requests.other_no_fee.natural": 1,
        }
    )
    clean = (
        "全年办结申请12件，其中予以公开5件，部分公开2件，因本机关不掌握无法提供3件，"
        "不予处理1件，其他处理1件；予以公开及部分公开七件。"
    )
    assert _say(report, clean) == []
    wrong = (
        "全年办结申请12件，其中予以公开6件，部分公开1件，无法提供2件，不予处理0件，其他处理2件。"
    )
    assert [f.rule for f in _say(report, wrong)] == [
        "text.granted",
        "text.partial",
        "text.unable",
        "text.reject",
        "text.other",
    ]


def test_outcomes_of_appeals_and_all_upheld_while_pending() -> None:
    report = _report(
        **{
            "appeals.review.upheld": 2,
            "appeals.review.corrected": 1,
            "appeals.suit_direct.upheld": 1,
            "appeals.suit_after_review.pending": 1,
        }
    )
    clean = "因政府信息公开被申请行政复议3件，其中维持2件、纠正1件。"
    assert _say(report, clean) == []
    assert _say(report, "因政府信息公开被提起行政诉讼2件。") == []
    assert [f.message for f in _say(report, "因政府信息公开被申请行政复议3件，其中维持3件。")] == [
        "第一部分写有“维持3件”，但第四部分行政复议“结果维持”为2"
    ]
    [claim] = _say(report, "因政府信息公开被提起行政诉讼2件，均获法院维持。")
    assert claim.rule == "text.suit_all_upheld"
    assert claim.message.endswith("但第四部分行政诉讼有1件为结果纠正、其他结果或尚未审结")
    assert "appeals.suit_after_review.pending" in claim.cells


def test_documents_issued_repealed_in_force() -> None:
    cells = {
        "art20_1.normative.issued": 3,
        "art20_1.normative.repealed": 2,
        "art20_1.normative.in_force": 10,
    }
    report = _report(**cells)
    assert _say(report, "全年制发行政规范性文件3件，废止2件，现行有效10件。") == []
    assert [f.rule for f in _say(report, "全年制发规范性文件4件，废止1件，现行有效十一件。")] == [
        "text.normative_issued",
        "text.normative_repealed",
        "text.normative_in_force",
    ]
    # A sentence naming both 规章 and 规范性文件 could mean either: not compared.
    assert _say(report, "全年制发规章和行政规范性文件，废止5件。") == []


def test_licensing_penalty_coercion_and_fees_with_units() -> None:
    report = _report(
        **{
            "art20_5.licensing.decisions": 286,
            "art20_6.coercion.decisions": 4,
            "art20_8.fees.amount": Decimal("12.5"),
        }
    )
    assert _say(report, "作出行政许可决定286件，行政强制4起，行政事业性收费12.5万元。") == []
    assert _say(report, "行政事业性收费125,000元。") == []
    [fee] = _say(report, "行政事业性收费金额13万元。")
    assert (
        fee.message
        == "第一部分写有“行政事业性收费金额13万元”，但第二部分“行政事业性收费”为12.5万元"
    )
    assert [f.rule for f in _say(report, "实施行政强制5起。")] == ["text.coercion"]


@pytest.mark.parametrize(
    "text",
    [
        "全年主动公开政府信息1136条，政府信息总数5000条。",  # information items
        "依申请公开按时办结率100%，答复率达100%。",  # percentages
        "2023年1月1日至2023年12月31日，全年共收到申请0件。",  # years and dates
        "全年收取政府信息公开信息处理费0元。",  # not 行政事业性收费
        "全年受理行政许可申请1200件，办结1180件。",  # applications for licences
        "网上服务平台共受理公安业务6945件，办结率达99.3%。",
        "行政许可、行政处罚共3件。",  # a sum of two rows
        "刊登市政府规章、行政规范性文件等243件。",
        "受理群众信访投诉20件，全部办结。",
    ],
)
def test_figures_that_are_not_restated_table_figures(text: str) -> None:
    assert _say(_report(), text) == []


def test_2019_format_restates_figures_too() -> None:
    report = _report("2019", **{"requests.new.natural": 2, "requests.other.natural": 1})
    report.year = 2020
    assert _say(report, "全年受理依申请公开2件，其他处理1件。") == []
    assert [f.rule for f in _say(report, "其他处理2件。")] == ["text.other"]


# ---------------------------------------------------------------------------- number reader


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", 12),
        ("１２", 12),
        ("1,234", 1234),
        ("67.74", Decimal("67.74")),
        ("６７．７", Decimal("67.7")),
        ("十二", 12),
        ("一百零五", 105),
        ("两千", 2000),
        ("一万二千", 12000),
        ("零", 0),
        ("一二", None),
        ("件", None),
    ],
)
def test_read_number(raw: str, value: int | Decimal | None) -> None:
    assert read_number(raw) == (None if value is None else Decimal(value))


def test_parse_number_keeps_integers() -> None:
    assert parse_number("十万零三") == 100003


def test_sentences_and_clauses() -> None:
    assert sentences("甲1件。乙2件；\n丙") == ("甲1件", "乙2件", "丙")
    sentence = "收到申请3件，其中予以公开2件，不予公开1件"
    start = sentence.index("予以")
    assert clause_around(sentence, start, start + 4) == "其中予以公开2件"


def test_figures_carry_their_unit() -> None:
    [figure] = find_figures(
        "采购总金额1,234.5万元。",
        r"采购总金额(?P<n>[0-9,.]+)(?P<unit>万元|元)",
    )
    assert (figure.value, figure.unit_size) == (Decimal("1234.5"), Decimal(10000))


# ---------------------------------------------------------------------------- the sample bureau

BUREAU = Path(__file__).resolve().parents[2] / "resources" / "examples"


@pytest.mark.parametrize(
    ("cell", "rule"),
    [
        ("requests.new.natural", "text.requests"),
        ("requests.carried_in.natural", "text.carried_in"),
        ("requests.granted.natural", "text.granted"),
        ("requests.partial.natural", "text.partial"),
        ("requests.deny_process.natural", "text.deny"),
        ("requests.unable_not_held.natural", "text.unable"),
        ("requests.reject_repeat.natural", "text.reject"),
        ("requests.other_misc.natural", "text.other"),
        ("requests.carried_out.natural", "text.carried_out"),
        ("appeals.review.upheld", "text.review"),
        ("appeals.suit_after_review.pending", "text.suit"),
        ("art20_1.normative.issued", "text.normative_issued"),
        ("art20_1.normative.repealed", "text.normative_repealed"),
        ("art20_1.normative.in_force", "text.normative_in_force"),
        ("art20_5.licensing.decisions", "text.licensing"),
        ("art20_6.penalty.decisions", "text.penalty"),
        ("art20_6.coercion.decisions", "text.coercion"),
    ],
)
def test_each_figure_the_sample_bureau_restates(cell: str, rule: str) -> None:
    """The shipped 2021 sample restates every kind of figure; all agree.  Change the cell
    and the warning of its sentence appears (and no other restated-figure warning)."""
    from model.datafile import read_datafile

    raw = (BUREAU / "sample-2021-county-bureau.nianbao.json").read_bytes()
    report = read_datafile(raw)
    assert _restated(check(report)) == []
    report.cells[cell] = report.cells.get(cell, 0) + 1  # type: ignore[operator]
    rules = {f.rule for f in _restated(check(report))}
    if cell.startswith("requests.") and rule not in ("text.requests", "text.carried_in"):
        rules.discard("text.handled")  # a result row is also part of （七）总计
    assert rules == {rule}


@pytest.mark.parametrize(
    "text",
    [
        "全年行政处罚案件立案56件，结案50件。",  # cases opened and closed, not decisions
        "由2022年结转至2023年办理的申请2件已全部办结。",  # carried in, said the other way
        "予以公开、部分公开共5件。",  # one number for two rows
        "涉及政府信息公开的行政复议和行政诉讼共2件。",
        "对收到的每一件申请都认真办理。",
        "全区政务服务中心共办结各类事项12万件，办结率100%。",
        "本机关收到的政府信息公开申请中，有2件因申请人撤回而终止。",
    ],
)
def test_ambiguous_or_unrelated_figures_are_left_alone(text: str) -> None:
    assert _say(_report(), text) == []


def test_carried_over_said_with_the_number_first() -> None:
    report = _report(**{"requests.new.natural": 6, "requests.carried_out.natural": 6})
    report.year = 2023
    assert _say(report, "另有6件申请结转至2024年办理。") == []
    [finding] = _say(report, "另有5件申请结转至2024年办理。")
    assert finding.rule == "text.carried_out"


# ---------------------------------------------------------------------------- review of issue 15
# Sentences a reviewer wrote the way reports write them (/tmp review of commit 2cc6546): each
# of the first list warned on a report whose tables agree, each of the second was missed.

REVIEWED = {
    "requests.new.natural": 10,
    "requests.carried_in.natural": 2,
    "requests.granted.natural": 5,
    "requests.partial.natural": 2,
    "requests.deny_query.natural": 1,
    "requests.unable_not_held.natural": 2,
    "requests.reject_repeat.natural": 1,
    "requests.carried_out.natural": 1,
    "art20_5.licensing.decisions": 100,
    "art20_6.penalty.decisions": 20,
}


def _reviewed() -> Report:
    return Report(format_id="2021", agency="某某县教育局", year=2024, cells=dict(REVIEWED))


@pytest.mark.parametrize(
    "text",
    [
        "收到的申请同比下降3件。",  # a change, not the count
        "受理政府信息公开申请数同比增长2件。",
        "本年度收到政府信息公开申请数量较上年增加5件。",
        "去年受理政府信息公开申请8件。",  # last year's count
        "2023年收到政府信息公开申请8件，2024年收到10件。",
        "在门户网站主动公开行政处罚信息30件。",  # items of information, not decisions
        "公开行政许可结果信息120件。",
        "依申请公开答复11件，均在法定期限内。",  # all answers, not 予以公开
        "2023年度有2件申请结转至2024年办理，均已办结。",  # carried in, not over
        "对收到的每一件政府信息公开申请都认真研究。",  # 每一件 is no count
        "对受理的申请实行一件一档管理。",
        "办结上年结转申请2件，办结本年新收申请9件。",  # handled, not received
        "全年共办理政府信息公开申请12件（含上年结转2件）。",  # new + carried in
        "全年共处理政府信息公开申请11件。",  # handled
    ],
)
def test_reviewed_sentences_that_agree_with_the_tables(text: str) -> None:
    assert _say(_reviewed(), text) == []


@pytest.mark.parametrize(
    ("text", "rule", "quote"),
    [
        ("全年共办理政府信息公开申请15件。", "text.requests_dealt", "办理政府信息公开申请15件"),
        ("共处理政府信息公开申请15件。", "text.requests_dealt", "处理政府信息公开申请15件"),
        ("全年共接到政府信息公开申请15件。", "text.requests", "接到政府信息公开申请15件"),
        (
            "共受理公民、法人和其他组织政府信息公开申请15件。",
            "text.requests",
            "受理公民、法人和其他组织政府信息公开申请15件",
        ),
        ("2024年收到政府信息公开申请15件。", "text.requests", "收到政府信息公开申请15件"),
        ("共有3件申请结转至2025年继续办理。", "text.carried_out", "3件申请结转至2025年"),
        ("对受理的申请实行分类处置，予以公开六件。", "text.granted", "予以公开六件"),
    ],
)
def test_reviewed_sentences_that_contradict_the_tables(text: str, rule: str, quote: str) -> None:
    [finding] = _say(_reviewed(), text)
    assert finding.rule == rule
    assert f"写有“{quote}”" in finding.message


def test_procurement_amount_only_of_central_procurement() -> None:
    """2019: 采购总金额 is compared only in a sentence about 政府集中采购, with its unit
    (亿元 too) and full-width digits; 政府采购 or 分散采购 amounts are other sums."""
    cells = {"art20_9.procurement.projects": 9, "art20_9.procurement.amount": Decimal(12000)}
    report = _report("2019", **cells)
    report.year = 2020
    for clean in (
        "政府集中采购9项，采购总金额1.2亿元。",
        "政府集中采购9项，采购总金额１２０００万元。",
        "全年政府采购金额共计300万元。",
        "政府集中采购9项，分散采购金额50万元。",
    ):
        assert _say(report, clean) == [], clean
    for wrong, quote in (
        ("政府集中采购9项，采购总金额１２０万元。", "采购总金额１２０万元"),
        ("政府集中采购9项，采购总金额1.3亿元。", "采购总金额1.3亿元"),
    ):
        [finding] = _say(report, wrong)
        assert finding.rule == "text.procurement_amount"
        assert finding.message == f"第一部分写有“{quote}”，但第二部分“采购总金额”为12000万元"
