"""The county office's review items (issue 15 item 2), each a finding: a report with the fault
gets it, with a message a clerk understands; the example reports do not (except for what the
2019 township example really lacks: a year in its title and a 成文日期)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from model.checks import Finding, check
from model.datafile import read_datafile_path
from model.formats import Severity
from model.report import Report

DATA = Path(__file__).resolve().parents[2] / "resources" / "examples"

#: The review items this file covers.
REVIEW = {
    "title.words",
    "overview.empty",
    "problems.empty",
    "text.year",
    "text.other_notice",
    "problems.similar",
    "signature.date",
    "signature.agency",
    "overview.topics",
}


@pytest.fixture
def township() -> Report:
    return read_datafile_path(DATA / "example-2019-township.nianbao.json")


@pytest.fixture
def bureau() -> Report:
    return read_datafile_path(DATA / "sample-2021-county-bureau.nianbao.json")


def _by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_the_examples_raise_only_their_real_faults(township: Report, bureau: Report) -> None:
    assert check(bureau) == []
    # The township example's title is as published: no year, and 政府信息公开年度报告 without
    # 工作; the file has no 成文日期.  Nothing else.
    assert [(f.rule, f.message) for f in check(township)] == [
        (
            "title.words",
            "标题“古城回族乡政府信息公开年度报告”缺少年度“2019年”和“政府信息公开工作年度报告”",
        ),
        ("signature.date", "还没有填写成文日期（2019年度的报告应在2020年1月31日前成文并公布）"),
    ]
    assert all(f.severity is Severity.WARNING for f in check(township))


def test_examples_silent_when_compared_with_each_other(township: Report, bureau: Report) -> None:
    assert _by_rule(check(bureau, others=[township]), "problems.similar") == []


# ---------------------------------------------------------------------------- empty parts


def test_an_empty_report_says_what_is_not_filled_in() -> None:
    empty = Report("2021", "某某镇人民政府", 2022, signature_date=dt.date(2023, 1, 20))
    findings = check(empty)
    assert [f.message for f in findings] == [
        "第一部分“总体情况”尚未填写",
        "第五部分“存在的主要问题及改进情况”尚未填写",
    ]
    assert [(f.part, f.texts) for f in findings] == [
        ("overview", ("overview",)),
        ("problems", ("problems",)),
    ]
    assert not any(f.is_error for f in findings)


@pytest.mark.parametrize("key", ["overview", "problems"])
def test_a_part_of_white_space_is_empty(bureau: Report, key: str) -> None:
    bureau.texts[key] = " \n\u3000 "
    [finding] = [f for f in check(bureau) if f.rule.endswith(".empty")]
    assert finding.rule == f"{key}.empty" and finding.texts == (key,)


def test_part_six_may_stay_empty(bureau: Report) -> None:
    bureau.texts["other_matters"] = ""
    assert check(bureau) == []


# ---------------------------------------------------------------------------- other years


@pytest.mark.parametrize(
    ("sentence", "quote"),
    [
        (
            "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。",
            "统计期限自2021年1月1日起至2021年12月31日",
        ),
        (
            "统计期限为２０２１年１月１日至１２月３１日。",
            "统计期限为２０２１年１月１日至１２月３１日",
        ),
        ("数据统计期间为二〇二一年全年。", "统计期间为二〇二一年全年"),
        (
            "统计期限自2022年1月1日起至2021年12月31日止。",
            "统计期限自2022年1月1日起至2021年12月31日",
        ),
        (
            "现向社会公布2021年度政府信息公开工作年度报告。",
            "现向社会公布2021年度政府信息公开工作年度报告",
        ),
        (
            "特此公布2021年度政府信息公开工作年度报告。",
            "特此公布2021年度政府信息公开工作年度报告",
        ),
    ],
)
def test_statistics_period_of_another_year(bureau: Report, sentence: str, quote: str) -> None:
    bureau.texts["preamble"] = sentence
    [finding] = _by_rule(check(bureau), "text.year")
    assert finding.message == f"前言写有“{quote}”，但本报告是2022年度的报告"
    assert finding.texts == ("preamble",) and finding.part == "overview"


@pytest.mark.parametrize(
    "sentence",
    [
        "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
        "统计期限为二〇二二年一月一日至十二月三十一日。",
        "现向社会公布2022年度政府信息公开工作年度报告。",
        # Other years named outside the period's phrasing are right where they stand.
        "2021年共收到申请40件，本年有所增加。对照2021年度报告中的问题逐项整改。",
        "统计期限为全年，2021年结转的申请已全部办结。",
        # last year's report published on time is not this report announcing itself
        "按时编制并公布2021年政府信息公开工作年度报告，接受社会监督。",
        "于2022年1月按时在门户网站公布2021年度政府信息公开工作年度报告。",
    ],
)
def test_the_report_year_or_other_years_elsewhere(bureau: Report, sentence: str) -> None:
    bureau.texts["preamble"] = sentence
    assert _by_rule(check(bureau), "text.year") == []


def test_statistics_period_in_part_six(bureau: Report) -> None:
    bureau.texts["other_matters"] = (
        "本年度未收取信息处理费。统计期限自2021年1月1日至2021年12月31日。"
    )
    [finding] = _by_rule(check(bureau), "text.year")
    assert finding.part == "other_matters" and finding.message.startswith("第六部分写有")


# ---------------------------------------------------------------------------- other format


@pytest.mark.parametrize(
    "citation",
    ["国办公开办函〔2019〕60号", "国办公开办函[2019]60号", "国办公开办函（2019）60号"],
)
def test_citing_the_other_formats_notice(bureau: Report, citation: str) -> None:
    bureau.texts["preamble"] = f"本报告根据《条例》和{citation}的要求编制。"
    [finding] = _by_rule(check(bureau), "text.other_notice")
    assert finding.message == (
        "前言引用了国办公开办函〔2019〕60号（2019至2020年度的报告格式），"
        "本报告按国办公开办函〔2021〕30号的格式编制，请核实"
    )


def test_a_2019_format_report_citing_the_2021_notice(township: Report) -> None:
    township.texts["preamble"] += "按照国办公开办函〔2021〕30号要求编制。"
    [finding] = _by_rule(check(township), "text.other_notice")
    assert "国办公开办函〔2021〕30号（2021年度起的报告格式）" in finding.message


def test_citing_the_own_notice(bureau: Report) -> None:
    bureau.texts["preamble"] = "根据国办公开办函〔2021〕30号的要求编制本报告。"
    assert _by_rule(check(bureau), "text.other_notice") == []


# ---------------------------------------------------------------------------- 总体情况 topics


def test_overview_touching_none_of_the_topics(bureau: Report) -> None:
    bureau.texts["overview"] = "2022年，我局认真贯彻落实《条例》，主动公开政府信息312条。"
    [finding] = _by_rule(check(bureau), "overview.topics")
    assert finding.severity is Severity.WARNING and finding.texts == ("overview",)
    assert "依申请公开、政府信息管理、政府信息公开平台建设、监督保障" in finding.message


@pytest.mark.parametrize("word", ["依申请公开", "政府信息管理", "平台建设", "监督保障"])
def test_overview_touching_one_topic(bureau: Report, word: str) -> None:
    bureau.texts["overview"] = f"2022年，我局主动公开政府信息312条，{word}工作稳步推进。"
    assert _by_rule(check(bureau), "overview.topics") == []


def test_topics_are_not_asked_of_the_2019_format(township: Report) -> None:
    township.texts["overview"] = "主动公开信息简报103篇。"
    assert _by_rule(check(township), "overview.topics") == []


# ---------------------------------------------------------------------------- copies


def _other_unit(report: Report, agency: str, problems: str) -> Report:
    return Report(report.format_id, agency, report.year, texts={"problems": problems})


def test_part_five_nearly_the_same_as_another_units(bureau: Report) -> None:
    copied = bureau.text("problems").replace("我局", "我委").replace("基层所站", "各科室")
    other = _other_unit(bureau, "某某县住房和城乡建设局", copied)
    [finding] = _by_rule(check(bureau, others=[other]), "problems.similar")
    assert finding.message.startswith(
        "第五部分与某某县住房和城乡建设局2022年报告的第五部分几乎相同（"
    )
    assert finding.texts == ("problems",) and finding.part == "problems"


def test_boilerplate_shared_by_many_units_is_one_finding(bureau: Report) -> None:
    """Thirty units with the same 五 make one warning naming the closest unit and how many
    there are, not thirty lines in the findings list."""
    text = bureau.text("problems")
    others = [_other_unit(bureau, f"某某县第{i:02d}局", text) for i in range(30)]
    others.append(_other_unit(bureau, "某某县水利局", text.replace("基层所站", "各科室")))
    [finding] = _by_rule(check(bureau, others=others), "problems.similar")
    assert (
        "第五部分与某某县第29局等31个单位2022年报告的第五部分几乎相同（100%相同）"
        in finding.message
    )


def test_unit_names_do_not_hide_a_copy(bureau: Report) -> None:
    bureau.texts["problems"] = "某某县自然资源局" + bureau.text("problems")
    other_text = "某某县水利局" + bureau.text("problems").removeprefix("某某县自然资源局")
    other = _other_unit(bureau, "某某县水利局", other_text)
    [finding] = _by_rule(check(bureau, others=[other]), "problems.similar")
    assert "（100%相同）" in finding.message


def test_different_texts_and_other_years_are_not_copies(bureau: Report, township: Report) -> None:
    same_last_year = Report(
        "2021", "某某县水利局", 2021, texts={"problems": bureau.text("problems")}
    )
    different = _other_unit(bureau, "某某县水利局", township.text("problems"))
    itself = _other_unit(bureau, bureau.agency, bureau.text("problems"))
    others = [same_last_year, different, itself]
    assert _by_rule(check(bureau, others=others), "problems.similar") == []


def test_short_parts_are_not_compared(bureau: Report) -> None:
    bureau.texts["problems"] = "本年度无突出问题。"
    other = _other_unit(bureau, "某某县水利局", "本年度无突出问题。")
    assert _by_rule(check(bureau, others=[other]), "problems.similar") == []


# ---------------------------------------------------------------------------- 成文日期


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (dt.date(2023, 1, 31), None),
        (dt.date(2023, 1, 1), None),
        (
            dt.date(2023, 2, 1),
            "成文日期为2023年2月1日，晚于2023年1月31日"
            "（条例第四十九条：每年1月31日前报送并公布上一年度的报告）",
        ),
        (
            dt.date(2022, 1, 18),
            "成文日期为2022年1月18日，在2022年度结束之前，请核实（是否沿用了以前的日期）",
        ),
        (None, "还没有填写成文日期（2022年度的报告应在2023年1月31日前成文并公布）"),
    ],
)
def test_signature_date(bureau: Report, date: dt.date | None, message: str | None) -> None:
    bureau.signature_date = date
    findings = _by_rule(check(bureau), "signature.date")
    assert [f.message for f in findings] == ([message] if message else [])


@pytest.mark.parametrize(
    ("agency", "date", "deadline"),
    [
        # a people's government above the township publishes by 3月31日 (条例第四十九条)
        ("某某县人民政府", dt.date(2023, 3, 31), None),
        ("淮安市洪泽区人民政府", dt.date(2023, 2, 15), None),
        ("某某自治州人民政府", dt.date(2023, 4, 1), "2023年3月31日"),
        ("某某县政府", dt.date(2023, 4, 1), "2023年3月31日"),
        # townships, 街道 and departments (the government's 办公室 too) by 1月31日
        ("某某乡人民政府", dt.date(2023, 2, 15), "2023年1月31日"),
        ("某某镇政府", dt.date(2023, 2, 15), "2023年1月31日"),
        ("某某街道办事处", dt.date(2023, 2, 15), "2023年1月31日"),
        ("某某县人民政府办公室", dt.date(2023, 2, 15), "2023年1月31日"),
    ],
)
def test_signature_date_of_a_government(
    bureau: Report, agency: str, date: dt.date, deadline: str | None
) -> None:
    bureau.agency, bureau.signature_date = agency, date
    messages = [f.message for f in _by_rule(check(bureau), "signature.date")]
    if deadline is None:
        assert messages == []
    else:
        basis = (
            "条例第四十九条：县级以上地方人民政府每年3月31日前公布本级政府上一年度的报告"
            if deadline.startswith("2023年3月")
            else "条例第四十九条：每年1月31日前报送并公布上一年度的报告"
        )
        assert messages == [
            f"成文日期为{date.year}年{date.month}月{date.day}日，晚于{deadline}（{basis}）"
        ]
    bureau.signature_date = None
    [missing] = _by_rule(check(bureau), "signature.date")
    assert f"应在{deadline or '2023年3月31日'}前成文并公布" in missing.message


# ---------------------------------------------------------------------------- 落款 and title


@pytest.mark.parametrize(
    ("signature", "differs"),
    [
        (None, False),  # the unit itself signs
        ("某某县自然资源局", False),
        ("某某县 自然资源局", False),
        ("某某县林业局", True),
        ("某某县自然资源和规划局", True),
    ],
)
def test_signature_agency(bureau: Report, signature: str | None, differs: bool) -> None:
    bureau.signature_agency = signature
    findings = _by_rule(check(bureau), "signature.agency")
    if differs:
        [finding] = findings
        assert finding.message == f"落款“{signature}”与单位名称“某某县自然资源局”不一致，请核实"
    else:
        assert findings == []


@pytest.mark.parametrize(
    ("agency", "signature", "differs"),
    [
        ("某某县人民政府", "某某县政府", False),  # 人民政府 ↔ 政府 anywhere
        ("某某县人民政府办公室", "某某县政府办公室", False),
        ("平潭综合实验区管委会", "平潭综合实验区管理委员会", False),  # ↔ 管委会
        ("淮安市洪泽区人民政府", "洪泽区人民政府", False),  # the place it lies in left off
        ("福建省平潭县人民政府", "平潭县人民政府", False),
        ("某某市某某县自然资源局", "某某县自然资源局", False),
        ("某某县人民政府", "某某县人民政府办公室", False),  # its office signs for it
        ("某某县人民政府", "某某县人民政府办公厅", False),
        ("淮安市洪泽区人民政府", "泽区人民政府", True),  # not the end of a place
        ("淮安市洪泽区人民政府", "淮安市人民政府", True),
        ("某某县自然资源局", "资源局", True),
        ("某某县人民政府", "某某县教育局办公室", True),
    ],
)
def test_signature_agency_short_forms(
    bureau: Report, agency: str, signature: str, differs: bool
) -> None:
    bureau.agency, bureau.signature_agency = agency, signature
    assert len(_by_rule(check(bureau), "signature.agency")) == differs


def test_a_township_may_sign_with_or_without_its_government_suffix(township: Report) -> None:
    for signature in ("古城回族乡人民政府", "古城回族乡政府", "古城回族乡"):
        township.signature_agency = signature
        assert _by_rule(check(township), "signature.agency") == []
    township.signature_agency = "古城乡人民政府"
    assert len(_by_rule(check(township), "signature.agency")) == 1


@pytest.mark.parametrize(
    ("title", "missing"),
    [
        (None, None),  # the default title
        ("某某县自然资源局2022年度政府信息公开工作年度报告", None),
        ("某某县自然资源局\n二〇二二年政府信息公开工作年度报告", None),
        ("某某县自然资源局政府信息公开工作年度报告", "年度“2022年”"),
        ("某某县自然资源局2021年政府信息公开工作年度报告", "年度“2022年”"),
        ("某某县自然资源局2022年政务公开工作总结", "“政府信息公开工作年度报告”"),
    ],
)
def test_title(bureau: Report, title: str | None, missing: str | None) -> None:
    bureau.title = title
    findings = _by_rule(check(bureau), "title.words")
    if missing is None:
        assert findings == []
    else:
        [finding] = findings
        assert finding.message == f"标题“{title}”缺少{missing}"


def test_every_review_item_is_a_rule_of_both_formats_or_of_2021() -> None:
    from model.formats import FORMATS

    ids = {fmt_id: {rule.id for rule in fmt.rules} for fmt_id, fmt in FORMATS.items()}
    assert ids["2021"] >= REVIEW
    assert REVIEW - {"overview.topics"} <= ids["2019"]
