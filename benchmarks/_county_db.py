"""The county desk's benchmark database: 150 units × 10 years, with a register.

The reports are those of benchmarks/_scale_db.py (random but plausible figures, 三、依申请公开
balanced and carried over from the year before), written through ``model.ops.save_report``;
the texts are drawn from a pool of sentences, so that units' texts differ as real ones do, and
a few units copy: three copy another unit's 五 of the last year, two their own 一 of the year
before.  On top of the reports (the desk's year is the last one, 2025):

- the register: 本级, 部门 and 乡镇街道 (``model.register.add_units``, kinds by ``guess_kind``);
- six units that must report have no report of 2025 (未报); three are new in 2025 (no report
  before: "added" in the carry-over), three stopped after 2024 and no longer must report
  ("gone"); five reports of 2025 do not balance (有错误); two reports of 2025 come from agencies that are not in the register;
- decisions of 2025: ten 已通过, five 已发布 (with their address), four 退回 (with a note).

Generated once and kept in the benchmark cache under a name that says what it holds.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import time
from pathlib import Path

from _record import cache_dir
from _scale_db import YEARS, random_report

from model import ops, register
from model.db import Database, open_database
from model.register import Decision, UnitKind
from model.report import Report

#: Bump when the generator changes, so that old cached files are not reused.
VERSION = 1
UNITS = 150
#: The desk's year: the last generated, so that it has a year before it.
YEAR = YEARS[-1]
COUNTY = "某某县人民政府"
_DEPARTMENTS = (
    "教育局", "财政局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
    "卫生健康委员会", "市场监督管理局", "生态环境分局", "民政局", "人力资源和社会保障局",
    "公安局", "司法局", "应急管理局", "文化和旅游局", "统计局", "医疗保障局", "退役军人事务局",
    "林业局",
)  # fmt: skip
_TOWNSHIPS = ("镇人民政府", "乡人民政府", "街道办事处")
_OPENING = "本年度，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
_SENTENCES = (
    "主动公开政府信息{n}条，其中机构职能{m}条、政策文件{k}条。",
    "通过政府网站发布信息{n}条，政务新媒体发布{m}条。",
    "全年收到政府信息公开申请{m}件，均在法定期限内答复。",
    "健全政府信息公开工作机制，明确{k}名工作人员负责信息公开工作。",
    "组织开展政府信息公开业务培训{k}次，参训{m}人次。",
    "围绕重点领域信息公开，公开财政预决算、“三公”经费等信息{m}条。",
    "加强政策解读，发布图文解读{k}篇，回应社会关切{m}次。",
    "完善依申请公开办理流程，规范登记、审核、答复等环节。",
    "推进基层政务公开标准化规范化建设，更新公开目录{k}项。",
    "做好政府信息公开平台建设，栏目内容及时更新，全年更新{n}次。",
    "落实保密审查制度，做到先审查、后公开，全年审查信息{n}条。",
    "开展政府开放日活动{k}次，邀请群众代表{m}人参加。",
    "加强监督保障，将政务公开纳入年度绩效考核，考核分值占{k}%。",
    "积极回应网民留言{m}条，办结率100%。",
    "按要求公开权责清单、行政许可和行政处罚结果{n}条。",
)
_PROBLEMS = (
    "公开内容不够全面，部分栏目更新不及时。",
    "政策解读形式较为单一，图解、视频等解读偏少。",
    "工作人员业务能力有待提高，培训覆盖面不够广。",
    "依申请公开答复文书规范性有待加强。",
    "基层政务公开标准化建设推进不平衡。",
    "下一步，将加强统筹协调，完善公开目录，提高公开质量。",
    "下一步，将丰富解读形式，加强对重要政策的解读力度。",
    "下一步，将加强业务培训，提升工作人员能力水平。",
    "下一步，将规范依申请公开办理流程，提升答复质量。",
    "下一步，将加强网站和政务新媒体的日常监管。",
)


def unit_names() -> list[tuple[str, UnitKind]]:
    """The register: the county's own office, departments, then townships (150 in all)."""
    names = [COUNTY]
    for number in range(89):
        department = _DEPARTMENTS[number % len(_DEPARTMENTS)]
        prefix = "某某县" if number < len(_DEPARTMENTS) else f"某某县第{number // 20 + 1}"
        names.append(prefix + department)
    for number in range(UNITS - len(names)):
        names.append(f"第{number + 1:02d}{_TOWNSHIPS[number % len(_TOWNSHIPS)]}")
    return [(name, register.guess_kind(name)) for name in names]


def county_database() -> Path:
    """The cached database, generated on first use."""
    path = cache_dir() / f"county-v{VERSION}-{UNITS}x{len(YEARS)}.sqlite3"
    if path.exists():
        return path
    partial = path.with_name(path.stem + ".partial.sqlite3")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    start = time.perf_counter()
    rng = random.Random(UNITS)
    units = unit_names()
    agencies = [name for name, _ in units]
    # Who reports when: most every year; a few not this year, a few only this year.
    silent = set(agencies[10:140:22])  # six: must report, nothing for YEAR
    added = set(agencies[143:146])  # new this year
    gone = set(agencies[146:149])  # stopped after last year
    strangers = ["某某县城市管理综合执法局", "某某县第二人民医院"]  # not in the register
    copiers = agencies[20:23]  # copy 五 from another unit this year
    repeaters = agencies[30:32]  # copy their own 一 of last year
    with open_database(partial) as db:
        register.add_units(db, [u for u in units if u[0] not in gone])
        register.add_units(db, [u for u in units if u[0] in gone], must_report=False)
        this_year: dict[str, Report] = {}
        for agency in [*agencies, *strangers]:
            last: Report | None = None
            for year in YEARS:
                if year == YEAR and agency in silent | gone:
                    continue
                if year < YEAR and (agency in added or agency in strangers):
                    continue
                report = random_report(rng, agency, year, last)
                report.texts = _texts(rng, agency)
                if year == YEAR and agency in repeaters and last is not None:
                    report.texts["overview"] = last.texts["overview"]
                if year == YEAR:
                    this_year[agency] = report
                else:
                    ops.save_report(db, report, replace=False)
                last = report
        for number, agency in enumerate(copiers):  # another unit's 五, its name put in
            source = this_year[agencies[60 + number]]
            this_year[agency].texts["problems"] = source.texts["problems"]
        for agency in agencies[100:105]:  # 一+二 no longer equals 三+四: 有错误
            cells = this_year[agency].cells
            cells["requests.new.natural"] = int(cells.get("requests.new.natural", 0)) + 1000
        for report in this_year.values():
            ops.save_report(db, report, replace=False)
        _decide(db, agencies, this_year)
    shutil.move(partial, path)
    took = time.perf_counter() - start
    print(f"generated {path.name}: {len(units)} units, reports in {took:.1f} s")
    return path


def _texts(rng: random.Random, agency: str) -> dict[str, str]:
    def fill(sentence: str) -> str:
        return sentence.format(
            n=rng.randrange(50, 3000), m=rng.randrange(0, 200), k=rng.randrange(1, 30)
        )

    overview = _OPENING.format(agency=agency) + "".join(fill(s) for s in rng.sample(_SENTENCES, 8))
    problems = "".join(rng.sample(_PROBLEMS, 5))
    return {"overview": overview, "problems": problems}


def _decide(db: Database, agencies: list[str], reports: dict[str, Report]) -> None:
    """The county's decisions on this year's reports."""
    decided = [a for a in agencies if a in reports]
    units = {u.name: u.id for u in register.list_units(db)}
    for agency in decided[40:50]:
        register.set_unit_year(db, units[agency], YEAR, decision=Decision.PASSED)
    for number, agency in enumerate(decided[50:55]):
        register.set_unit_year(
            db,
            units[agency],
            YEAR,
            decision=Decision.PUBLISHED,
            url=f"https://www.example.gov.cn/xxgk/{YEAR}/{number + 1}.html",
            published_on=dt.date(YEAR + 1, 1, 20),
        )
    for agency in decided[55:59]:
        register.set_unit_year(
            db, units[agency], YEAR, decision=Decision.RETURNED, note="表格数据前后不一致，请核实。"
        )
