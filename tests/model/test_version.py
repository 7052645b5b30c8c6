"""The version code on the review sheet: the same report always gives the same code, however
it was stored; any change a reader could see gives another."""

from __future__ import annotations

import dataclasses
import datetime as dt
import doctest
import re
from decimal import Decimal
from pathlib import Path

import pytest

import model.version
from model import ops
from model.datafile import read_datafile, write_datafile
from model.db import Database
from model.formats import CellKind
from model.report import Report
from model.version import ALPHABET, canonical_content, version_code

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
EXAMPLE = EXAMPLES / "example-2019-township.nianbao.json"
SAMPLE = EXAMPLES / "sample-2021-county-bureau.nianbao.json"

#: Written down once, by hand from a run: the code must not drift between versions of the
#: program or between computers (a county office compares codes printed years apart).
KNOWN = {EXAMPLE: "NYVG-AWRK", SAMPLE: "GCEA-XG69"}


def _read(path: Path) -> Report:
    return read_datafile(path.read_bytes())


def test_the_docstring_example_holds() -> None:
    assert doctest.testmod(model.version).failed == 0


@pytest.mark.parametrize("path", [EXAMPLE, SAMPLE], ids=["2019", "2021"])
def test_code_is_short_unambiguous_and_fixed(path: Path) -> None:
    code = version_code(_read(path))
    assert re.fullmatch(r"[23456789A-HJ-NP-Z]{4}-[23456789A-HJ-NP-Z]{4}", code)
    assert not set(code) & set("01IO")
    assert set(ALPHABET).isdisjoint("01IO") and len(set(ALPHABET)) == 32
    assert code == KNOWN[path]


@pytest.mark.parametrize("path", [EXAMPLE, SAMPLE], ids=["2019", "2021"])
def test_same_after_data_file_and_database_round_trips(path: Path, db: Database) -> None:
    report = _read(path)
    code = version_code(report)
    assert version_code(read_datafile(write_datafile(report).encode("utf-8"))) == code
    report_id = ops.save_report(db, report, replace=False)
    stored = ops.load_report(db, report_id)
    assert version_code(stored) == code
    # and out of the database into a file and back once more
    assert version_code(read_datafile(write_datafile(stored).encode("utf-8"))) == code


def test_independent_of_dict_order_and_line_ends() -> None:
    report = _read(SAMPLE)
    shuffled = dataclasses.replace(
        report,
        cells=dict(reversed(list(report.cells.items()))),
        texts={k: v.replace("\n", "\r\n") for k, v in reversed(list(report.texts.items()))},
    )
    assert version_code(shuffled) == version_code(report)


def test_what_prints_alike_codes_alike() -> None:
    report = _read(EXAMPLE)
    fmt = report.format
    money = next(k for k in fmt.input_keys if fmt.cells[k].kind is CellKind.MONEY)
    blank = next(k for k in fmt.input_keys if not report.cells.get(k))
    same = dataclasses.replace(
        report,
        cells={
            **report.cells,
            blank: 0,
            money: Decimal(report.cells.get(money, 0)) + Decimal("0.000"),
        },
        title=report.display_title,
        signature_agency=report.agency
        if report.signature_agency is None
        else report.signature_agency,
        units={**report.units, money: report.unit(money) or ""},
    )
    assert version_code(same) == version_code(report)


def _changes(report: Report) -> dict[str, Report]:
    """One change of each kind the code covers."""
    fmt = report.format
    key = next(k for k in fmt.input_keys if report.cells.get(k))
    blank = next(k for k in fmt.input_keys if not report.cells.get(k))
    text_key = next(k for k in fmt.text_keys if report.text(k))
    replace = dataclasses.replace
    changes: dict[str, Report] = {}
    for money in (k for k in fmt.input_keys if fmt.cells[k].column.unit_choices):  # 2019 only
        other = next(u for u in fmt.cells[money].column.unit_choices if u != report.unit(money))
        changes["unit"] = replace(report, units={**report.units, money: other})
    return changes | {
        "cell": replace(report, cells={**report.cells, key: report.cells[key] + 1}),
        "blank cell filled": replace(report, cells={**report.cells, blank: 1}),
        "declared total": replace(report, declared={**report.declared, fmt.derived_keys[0]: 7}),
        "text": replace(report, texts={**report.texts, text_key: report.text(text_key) + "。"}),
        "one character": replace(
            report, texts={**report.texts, text_key: "甲" + report.text(text_key)[1:]}
        ),
        "agency": replace(report, agency=report.agency + "办公室"),
        "year": replace(report, year=report.year + 1),
        "title": replace(report, title="另一个标题"),
        "signature": replace(report, signature_agency="另一个单位"),
        "date": replace(report, signature_date=dt.date(2030, 1, 1)),
    }


@pytest.mark.parametrize("path", [EXAMPLE, SAMPLE], ids=["2019", "2021"])
def test_any_change_gives_another_code(path: Path) -> None:
    report = _read(path)
    code = version_code(report)
    changed = _changes(report)
    codes = {what: version_code(other) for what, other in changed.items()}
    same = [what for what, other in codes.items() if other == code]
    assert not same, f"unchanged code after changing: {same}"
    assert len(set(codes.values())) == len(codes)


def test_format_counts() -> None:
    assert version_code(Report("2019", "某某镇人民政府", 2020)) != version_code(
        Report("2021", "某某镇人民政府", 2020)
    )


def test_canonical_content_is_plain_ascii_json() -> None:
    text = canonical_content(_read(SAMPLE))
    assert text.isascii()
    assert text == canonical_content(_read(SAMPLE))
