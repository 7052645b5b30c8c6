"""Texts of 一 and 五 copied from another unit of the year or from the unit's last year."""

from __future__ import annotations

import random
import time

from county.copies import RULE, Copy, copy_findings, find_copies
from model.checks import check
from model.formats import Severity
from model.report import Report
from tests.county._texts import county_texts, sentences, text_of


def _report(agency: str, year: int = 2023, **texts: str) -> Report:
    return Report("2021", agency, year, texts=dict(texts))


def _texts(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    pool = sentences()
    return [text_of(pool, rng, 300) for _ in range(count)]


def test_a_text_copied_with_one_character_changed_is_found_naming_both_units() -> None:
    own, other, third = _texts(3)
    copied = own[:100] + "甲" + own[101:]
    reports = [
        _report("甲局", problems=own, overview=other),
        _report("乙局", problems=copied, overview=third),
        _report("丙局", problems=third, overview=own),
    ]
    copies = find_copies(reports, {})
    assert [(c.agency, c.text_key, c.other_agency, c.other_year) for c in copies] == [
        ("乙局", "problems", "甲局", 2023),
        ("甲局", "problems", "乙局", 2023),
    ]
    assert copies[0].percent == 99
    findings = copy_findings(copies, {r.agency: r for r in reports})
    assert set(findings) == {"甲局", "乙局"}
    (finding,) = findings["乙局"]
    assert finding.rule == RULE
    assert finding.severity is Severity.WARNING
    assert finding.part == "problems" and finding.texts == ("problems",)
    assert finding.message.startswith("第五部分与甲局2023年报告的第五部分几乎相同（99%相同）")


def test_different_texts_and_the_same_text_in_another_part_are_not_flagged() -> None:
    first, second = _texts(2)
    reports = [
        _report("甲局", overview=first, problems=second),
        _report("乙局", overview=second, problems=first),
    ]
    assert find_copies(reports, {}) == []


def test_the_units_own_names_do_not_hide_a_copy() -> None:
    (text,) = _texts(1)
    reports = [
        _report("甲局", problems="甲局" + text),
        _report("某某镇人民政府", problems="某某镇人民政府" + text),
    ]
    copies = find_copies(reports, {})
    assert {(c.agency, c.percent) for c in copies} == {("甲局", 100), ("某某镇人民政府", 100)}


def test_many_units_alike_name_the_closest_and_count_them() -> None:
    (text,) = _texts(1)
    reports = [_report("甲局", overview=text)]
    reports += [
        _report(name, overview=text[:50] + "改" * n + text[50 + n :])
        for n, name in ((1, "乙局"), (3, "丙局"), (5, "丁局"))
    ]
    copies = {c.agency: c for c in find_copies(reports, {})}
    assert copies["甲局"].other_agency == "乙局"
    assert copies["甲局"].alike == ("乙局", "丙局", "丁局")
    findings = copy_findings(copies.values(), {r.agency: r for r in reports})
    assert "与乙局等3个单位2023年报告的第一部分几乎相同" in findings["甲局"][0].message


def test_last_years_text_kept_with_a_few_changes_is_found() -> None:
    overview, problems = _texts(2)
    last = _report("甲局", 2022, overview=overview, problems=problems)
    this = _report(
        "甲局",
        overview=overview.replace("。", "；", 2),
        problems=problems.replace("。", "；", 1),
    )
    copies = find_copies([this], {"甲局": last})
    assert [(c.text_key, c.other_agency, c.other_year, c.last_year) for c in copies] == [
        ("overview", "甲局", 2022, True),
        ("problems", "甲局", 2022, True),
    ]
    messages = [f.message for f in copy_findings(copies, {"甲局": this})["甲局"]]
    assert messages[1].startswith("第五部分与本单位2022年报告的第五部分几乎相同")


def test_a_word_for_word_repeat_of_last_years_problems_is_left_to_the_reports_check() -> None:
    (problems,) = _texts(1)
    last = _report("甲局", 2022, problems=problems)
    this = _report("甲局", problems=problems)
    assert find_copies([this], {"甲局": last}) == []
    assert "problems.repeated" in {f.rule for f in check(this, last)}


def test_short_texts_are_not_compared() -> None:
    reports = [_report("甲局", problems="无。"), _report("乙局", problems="无。")]
    assert find_copies(reports, {}) == []


def test_150_units_with_boilerplate_are_compared_fast() -> None:
    texts = county_texts(150, 600)
    reports = [
        _report(f"单位{n:03d}", overview=text, problems=text[::-1]) for n, text in enumerate(texts)
    ]
    copied = reports[7].texts["overview"]
    reports[8].texts["overview"] = copied[:300] + "改" + copied[301:]
    best = 10.0  # processor time: the machine may be busy with other work
    for _ in range(3):
        start = time.process_time()
        copies = find_copies(reports, {})
        best = min(best, time.process_time() - start)
    print(f"find_copies, 150 units × 2 texts of 600 characters: {best * 1000:.0f} ms")
    assert {(c.agency, c.other_agency) for c in copies} == {
        ("单位007", "单位008"),
        ("单位008", "单位007"),
    }
    assert best < 0.5  # generous; about 0.06 s measured


def test_copy_records_say_whether_they_are_last_years() -> None:
    assert Copy("甲局", "overview", "甲局", 2022, 95).last_year
    assert not Copy("甲局", "overview", "乙局", 2023, 95).last_year
