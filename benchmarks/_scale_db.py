"""Large databases for the scale benchmark: N agencies × 10 years of realistic random reports.

Every report goes through ``model.ops.save_report`` (so it is checked like an import), one
agency's ten years after another.  The figures are random but plausible: mostly small counts,
many blanks, money with two decimals; each year's 三、依申请公开 balances (新收 + 上年结转 =
办理结果 + 结转下年度) and carries in what last year carried out, and the texts are a few hundred
characters.  A generated file is kept in the benchmark cache (never in the repository) under a
name that says what it holds, so later runs reuse it.
"""

from __future__ import annotations

import random
import shutil
import time
from decimal import Decimal
from pathlib import Path

from _record import cache_dir

from model import ops
from model.calc import derived_values
from model.db import open_database
from model.formats import CellKind, format_for_year
from model.report import Report

#: Bump when the generator changes, so that old cached files are not reused.
VERSION = 1
YEARS = tuple(range(2016, 2026))  # both formats: 2019 up to 2020, 2021 from 2021
_PLACES = ("乡人民政府", "镇人民政府", "街道办事处", "县教育局", "县财政局", "县自然资源局")
_SENTENCE = (
    "本年度，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息{n}条，"
    "办理依申请公开{m}件，全部按期答复。"
)


def scale_database(agencies: int) -> Path:
    """The cached database of ``agencies`` × 10 years, generated on first use."""
    path = cache_dir() / f"scale-v{VERSION}-{agencies}x{len(YEARS)}.sqlite3"
    if path.exists():
        return path
    partial = path.with_name(path.stem + ".partial.sqlite3")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    start = time.perf_counter()
    rng = random.Random(agencies)
    with open_database(partial) as db:
        for number in range(agencies):
            agency = f"第{number + 1:03d}{_PLACES[number % len(_PLACES)]}"
            last: Report | None = None
            for year in YEARS:
                last = random_report(rng, agency, year, last)
                ops.save_report(db, last, replace=False)
    shutil.move(partial, path)
    took = time.perf_counter() - start
    print(f"generated {path.name}: {agencies * len(YEARS)} reports in {took:.1f} s")
    return path


def random_report(rng: random.Random, agency: str, year: int, last: Report | None) -> Report:
    fmt = format_for_year(year)
    report = Report(format_id=fmt.id, agency=agency, year=year)
    for key in fmt.input_keys:
        if rng.random() < 0.35:
            continue  # left blank
        kind = fmt.cells[key].kind
        if kind is CellKind.MONEY:
            report.cells[key] = Decimal(rng.randrange(0, 500_000)) / 100
        elif kind is CellKind.SIGNED_COUNT:
            report.cells[key] = rng.randrange(-5, 20)
        else:
            report.cells[key] = int(rng.expovariate(1 / 8))
    _balance_requests(report, last)
    n, m = rng.randrange(50, 3000), rng.randrange(0, 200)
    report.texts = {
        "overview": _SENTENCE.format(agency=agency, n=n, m=m) * 4,
        "problems": "存在的主要问题是公开内容不够全面。" * rng.randrange(3, 12),
    }
    report.signature_agency = agency
    return report


def _balance_requests(report: Report, last: Report | None) -> None:
    """新收 + 上年结转 = 办理结果 + 结转下年度, with this year's carried-in as last year's out."""
    fmt = report.format
    totals = derived_values(fmt, report.cells)
    for column in fmt.table("requests").columns:
        carried_in, carried_out = (
            f"requests.{row}.{column.key}" for row in ("carried_in", "carried_out")
        )
        new, handled = f"requests.new.{column.key}", f"requests.handled.{column.key}"
        if carried_in not in fmt.input_keys or new not in fmt.input_keys:
            continue
        previous = last.cells.get(carried_out) if last and last.format_id == fmt.id else None
        report.cells[carried_in] = previous or 0
        handled_count = totals.get(handled, 0)
        if carried_out not in fmt.input_keys:
            continue
        stock = int(report.cells.get(new, 0)) + int(report.cells[carried_in])
        if stock < handled_count:
            report.cells[new] = int(report.cells.get(new, 0)) + int(handled_count) - stock
            stock = int(handled_count)
        report.cells[carried_out] = stock - int(handled_count)
