"""Every rule of the formats: a report that passes it and one that fails it, with the message a
clerk reads."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from model.checks import Finding, check
from model.formats import FORMATS, Severity
from model.report import Report

DATA = Path(__file__).resolve().parents[2] / "resources" / "examples"


def _load(name: str) -> Report:
    raw = json.loads((DATA / name).read_text(encoding="utf-8"))
    cells = {k: Decimal(v) if isinstance(v, str) else v for k, v in raw["cells"].items()}
    return Report(
        raw["format"],
        raw["agency"],
        raw["year"],
        None,
        cells,
        units=raw.get("units", {}),
        texts=raw.get("texts", {}),
        # The review items (title, 成文日期) have their own tests, test_review_items.py: here the
        # fixtures pass them, as the example's real title and missing date do not.
        signature_date=dt.date(raw["year"] + 1, 1, 20),
    )


@pytest.fixture
def township() -> Report:
    return _load("example-2019-township.nianbao.json")


@pytest.fixture
def bureau() -> Report:
    return _load("sample-2021-county-bureau.nianbao.json")


def _by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def _next_year(report: Report) -> Report:
    following = copy.deepcopy(report)
    following.year += 1
    return following


def test_the_fixtures_have_no_findings(township: Report, bureau: Report) -> None:
    assert check(township) == []
    assert check(bureau) == []


def test_every_rule_of_every_format_has_a_check() -> None:
    report_types = {type(rule) for fmt in FORMATS.values() for rule in fmt.rules}
    from model import checks

    assert report_types <= set(checks._CHECKS)


# ---------------------------------------------------------------------------- 一+二 = 三+四


def test_balance_error_names_the_column_and_both_sums(township: Report) -> None:
    township.cells["requests.new.natural"] = 5
    township.cells["requests.granted.natural"] = 4
    [finding] = check(township)
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "第三部分“自然人”列：第一项加第二项为5，第三项加第四项为4，不相等（相差1）"
    )
    assert finding.part == "requests"
    assert "requests.new.natural" in finding.cells
    assert "requests.handled.natural" in finding.cells


def test_balance_holds_when_every_column_adds_up(bureau: Report) -> None:
    bureau.cells["requests.new.legal"] = bureau.cells["requests.new.legal"] + 2
    bureau.cells["requests.deny_law.legal"] = bureau.cells.get("requests.deny_law.legal", 0) + 1
    bureau.cells["requests.carried_out.legal"] = (
        bureau.cells.get("requests.carried_out.legal", 0) + 1
    )
    assert _by_rule(check(bureau), "requests.balance") == []


def test_balance_counts_every_result_row_including_2021_other_rows(bureau: Report) -> None:
    bureau.cells["requests.other_misc.research"] = 1
    [finding] = _by_rule(check(bureau), "requests.balance")
    assert "“科研机构”列" in finding.message and "第三项加第四项为1" in finding.message


# ---------------------------------------------------------------------------- declared totals


def test_declared_total_that_disagrees_is_an_error(township: Report) -> None:
    township.cells["requests.granted.legal"] = 2
    township.cells["requests.new.legal"] = 2
    township.declared["requests.handled.legal"] = 3
    [finding] = check(township)
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "第三部分“（七）总计”行“法律服务机构”列：报告填写为3，按各项相加应为2"
    )
    assert finding.cells[0] == "requests.handled.legal"


def test_declared_total_that_agrees_is_fine(township: Report) -> None:
    township.declared["requests.handled.total"] = 0
    township.declared["appeals.suit_direct.total"] = 0
    assert check(township) == []


# ---------------------------------------------------------------------------- last year


def test_carry_over_from_last_year(bureau: Report) -> None:
    following = _next_year(bureau)
    for column in ("natural", "business", "research", "nonprofit", "legal", "other_org"):
        carried = bureau.cells.get(f"requests.carried_out.{column}", 0)
        following.cells[f"requests.carried_in.{column}"] = carried
    assert _by_rule(check(following, previous=bureau), "requests.carry_over") == []
    following.cells["requests.carried_in.natural"] = 9
    [finding] = _by_rule(check(following, previous=bureau), "requests.carry_over")
    prev = bureau.cells["requests.carried_out.natural"]
    assert finding.message == (
        f"第三部分“自然人”列：本年“上年结转”为9，但2022年报告的“结转下年度继续办理”为{prev}"
    )
    assert finding.severity is Severity.WARNING
    assert finding.cells == ("requests.carried_in.natural",)


def test_carry_over_is_not_checked_without_last_year(bureau: Report) -> None:
    bureau.cells["requests.carried_in.natural"] = 9
    assert _by_rule(check(bureau), "requests.carry_over") == []


def test_2019_item_counts_follow_last_year(township: Report) -> None:
    last = copy.deepcopy(township)
    last.year = 2018  # any earlier report of the same format
    last.cells["art20_5.licensing.prev_items"] = 10
    last.cells["art20_5.licensing.change"] = -3
    township.cells["art20_5.licensing.prev_items"] = 7
    assert _by_rule(check(township, previous=last), "active.prev_items") == []
    township.cells["art20_5.licensing.prev_items"] = 10
    [finding] = _by_rule(check(township, previous=last), "active.prev_items")
    assert finding.message == (
        "第二部分第二十条第（五）项“行政许可”：上一年项目数量为10，"
        "按2018年报告的10加本年增/减-3应为7"
    )


def test_2021_documents_in_force_follow_last_year(bureau: Report) -> None:
    following = _next_year(bureau)
    following.cells["art20_1.normative.issued"] = 3
    following.cells["art20_1.normative.repealed"] = 0
    following.cells["art20_1.normative.in_force"] = 10  # 7 + 3 − 0
    assert _by_rule(check(following, previous=bureau), "active.in_force") == []
    following.cells["art20_1.normative.in_force"] = 9
    [finding] = _by_rule(check(following, previous=bureau), "active.in_force")
    assert "现行有效件数为9" in finding.message and "应为10" in finding.message


def test_problems_copied_from_last_year(bureau: Report) -> None:
    following = _next_year(bureau)
    [finding] = _by_rule(check(following, previous=bureau), "problems.repeated")
    assert finding.texts == ("problems",) and finding.part == "problems"
    following.texts["problems"] += "本年新增：档案数字化进度偏慢。"
    assert _by_rule(check(following, previous=bureau), "problems.repeated") == []


# ---------------------------------------------------------------------------- plausibility


def test_township_cannot_make_rules(township: Report) -> None:
    township.cells["art20_1.rules.made"] = 1
    [finding] = check(township)
    assert finding.message == (
        "乡镇、街道不能制定规章，但第二部分“规章”行的“本年新制作数量”填写了1，请核实"
    )
    assert finding.cells == ("art20_1.rules.made",)


def test_a_county_bureau_may_report_rules(bureau: Report) -> None:
    bureau.cells["art20_1.rules.issued"] = 1
    assert _by_rule(check(bureau), "active.township_rules") == []


@pytest.mark.parametrize("agency", ["某某街道办事处", "某某镇人民政府", "某某乡"])
def test_township_names(agency: str, township: Report) -> None:
    township.agency = agency
    township.cells["art20_1.rules.published"] = 2
    assert len(_by_rule(check(township), "active.township_rules")) == 1


def test_2021_overview_over_a_thousand_characters(bureau: Report) -> None:
    bureau.texts["overview"] = "字" * 1000 + "\n\n  "
    assert _by_rule(check(bureau), "overview.length") == []
    bureau.texts["overview"] += "多"
    [finding] = _by_rule(check(bureau), "overview.length")
    assert "共1001字，超过1000字" in finding.message


def test_2019_has_no_length_limit(township: Report) -> None:
    township.texts["overview"] = "字" * 3000
    assert check(township) == []


def test_unpaid_fees_must_be_explained_in_part_six(bureau: Report) -> None:
    bureau.cells["requests.new.natural"] += 1
    bureau.cells["requests.other_no_fee.natural"] = 1
    bureau.texts["other_matters"] = "无。"
    [finding] = _by_rule(check(bureau), "other_matters.fee")
    assert "有1件申请因逾期未缴纳费用不再处理" in finding.message
    assert finding.texts == ("other_matters",)
    bureau.texts["other_matters"] = "本年度未收取信息处理费。"
    assert _by_rule(check(bureau), "other_matters.fee") == []


def test_format_that_does_not_fit_the_year(township: Report, bureau: Report) -> None:
    township.year = 2021
    [finding] = _by_rule(check(township), "format.year")
    assert finding.message == "2021年度的报告应使用2021格式，本报告使用的是2019格式"
    bureau.year = 2020
    assert len(_by_rule(check(bureau), "format.year")) == 1


# ---------------------------------------------------------------------------- text vs tables


def test_example_restates_procurement_correctly(township: Report) -> None:
    assert "政府集中采购9项，采购总金额67.74万元" in township.text("overview")
    assert check(township) == []


def test_procurement_count_in_text_contradicts_table(township: Report) -> None:
    township.cells["art20_9.procurement.projects"] = 8
    [finding] = check(township)
    assert finding.message == "第一部分写有“政府集中采购9项”，但第二部分“采购项目数量”为8"
    assert finding.cells == ("art20_9.procurement.projects",)
    assert finding.texts == ("overview",)


def test_procurement_amount_in_text_contradicts_table(township: Report) -> None:
    township.cells["art20_9.procurement.amount"] = Decimal("76.74")
    [finding] = check(township)
    assert finding.message == "第一部分写有“采购总金额67.74万元”，但第二部分“采购总金额”为76.74万元"


def test_amount_in_yuan_against_a_table_in_wan(township: Report) -> None:
    township.texts["overview"] = "政府集中采购9项，采购总金额677400元。"
    assert check(township) == []
    township.texts["overview"] = "政府集中采购9项，采购总金额约67.7万元。"  # rounded in the text
    assert check(township) == []
    township.texts["overview"] = (
        "政府集中采购9项，采购总金额977400元。"  # 97.74万元: not the table's
    )
    assert [f.rule for f in check(township)] == ["text.procurement_amount"]
    township.texts["overview"] = "政府集中采购9项，采购总金额677400元。"
    township.units["art20_9.procurement.amount"] = "元"
    township.cells["art20_9.procurement.amount"] = Decimal("677400")
    assert check(township) == []


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        ("全年共收到政府信息公开申请53件。", None),
        ("全年共收到政府信息公开申请57件，其中上年结转4件。", None),  # new + carried in
        ("本年度受理依申请公开五十三件。", None),
        ("全年共收到政府信息公开申请52件。", "收到政府信息公开申请52件"),
        ("全年新收申请1,053件。", "新收申请1,053件"),
        ("收到群众来信20件，全部办结。", None),  # not a request for disclosure
    ],
)
def test_requests_received_in_text(bureau: Report, sentence: str, stated: str | None) -> None:
    bureau.texts["overview"] = sentence
    findings = _by_rule(check(bureau), "text.requests")
    if stated is None:
        assert findings == []
    else:
        [finding] = findings
        assert finding.message == (
            f"第一部分写有“{stated}”，但第三部分“本年新收政府信息公开申请数量”总计为53"
        )


def test_licensing_and_penalty_decisions_in_text(bureau: Report) -> None:
    bureau.texts["overview"] = "依申请公开工作规范。全年办理行政许可286件，作出行政处罚决定23起。"
    assert check(bureau) == []
    bureau.texts["overview"] = "依申请公开工作规范。全年办理行政许可280件，作出行政处罚决定二十起。"
    messages = [f.message for f in check(bureau)]
    assert messages == [
        "第一部分写有“行政许可280件”，但第二部分“行政许可”的处理决定数量为286",
        "第一部分写有“行政处罚决定二十起”，但第二部分“行政处罚”的处理决定数量为23",
    ]


def test_figures_that_are_not_about_the_tables_are_ignored(township: Report) -> None:
    township.texts["overview"] = "主动公开信息简报103篇，召开会议12次，行政许可事项清单35项。"
    assert check(township) == []


def test_errors_come_first(township: Report) -> None:
    township.cells["art20_1.rules.made"] = 1
    township.cells["requests.new.business"] = 1
    findings = check(township)
    assert [f.severity for f in findings] == [Severity.ERROR, Severity.WARNING]
