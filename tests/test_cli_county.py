"""The county desk on the command line: ``review --year Y [--json]`` (every unit's status and
findings) and ``aggregate --year Y --name NAME`` (the county's 汇总 written as a data file and
documents) — run in-process as the county office runs them, on a database built through the
typed operations, the outputs read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

import main
from model import ops, register
from model.datafile import read_datafile_path
from model.db import open_database
from model.register import Decision, UnitKind
from model.report import Report
from model.values import CellValue

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "examples" / "sample-2021-county-bureau.nianbao.json"
EXAMPLE_2019 = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"
YEAR = 2022
COUNTY = "某某县人民政府"
LAND = "某某县自然资源局"  # the sample as published: no finding of its own
SCHOOLS = "某某县教育局"  # the sample with its requests out of balance: one error
TOWN = "某某镇人民政府"  # registered, must report, has not
OFFICE = "某某县人民政府办公室"  # registered, reported, passed


def _sample(agency: str, **cells: CellValue) -> Report:
    report = read_datafile_path(SAMPLE)
    report = dataclasses.replace(report, agency=agency, signature_agency=agency)
    report.cells.update(cells)
    return report


REPORTS = {
    LAND: _sample(LAND),
    # 一+二 no longer equals 三+四: 99 new requests, the same decisions.
    SCHOOLS: _sample(SCHOOLS, **{"requests.new.natural": 99, "art20_5.licensing.decisions": 1000}),
    OFFICE: _sample(OFFICE, **{"art20_5.licensing.decisions": 7, "art20_6.penalty.decisions": 0}),
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "county.sqlite3"
    with open_database(path) as database:
        for report in REPORTS.values():
            ops.save_report(database, report, replace=False)
        register.add_units(
            database,
            [
                (OFFICE, UnitKind.OWN),
                (LAND, UnitKind.DEPARTMENT),
                (SCHOOLS, UnitKind.DEPARTMENT),
                (TOWN, UnitKind.TOWNSHIP),
            ],
        )
        office = register.find_unit(database, OFFICE)
        assert office is not None
        register.set_unit_year(database, office.id, YEAR, decision=Decision.PASSED)
    return path


def run(db: Path, *args: str) -> int:
    return main.main(["--db", str(db), *args])


def _sums(agencies: list[str]) -> dict[str, Any]:
    """The input cells of ``agencies``' reports added up here, independently of the program."""
    total: dict[str, Any] = {}
    for agency in agencies:
        for key, value in REPORTS[agency].cells.items():
            total[key] = total.get(key, 0) + (Decimal(value) if isinstance(value, str) else value)
    return total


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# ---------------------------------------------------------------------------- review


def test_review_json_lists_every_unit_with_its_status_and_findings(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "review", "--year", str(YEAR), "--json") == 1  # 教育局's report has an error
    document = json.loads(capsys.readouterr().out)
    assert document["year"] == YEAR
    units = {unit["agency"]: unit for unit in document["units"]}
    assert set(units) == {OFFICE, LAND, SCHOOLS, TOWN}
    # the register's order: by kind (本级, 部门, 乡镇街道), then by name
    assert [unit["agency"] for unit in document["units"]] == [OFFICE, SCHOOLS, LAND, TOWN]
    assert {agency: (u["kind"], u["status"]) for agency, u in units.items()} == {
        OFFICE: ("本级", "已通过"),
        LAND: ("部门", "已报"),
        SCHOOLS: ("部门", "有错误"),
        TOWN: ("乡镇街道", "未报"),
    }
    schools = units[SCHOOLS]
    assert schools["errors"] == 1
    assert schools["errors"] == sum(f["severity"] == "error" for f in schools["findings"])
    assert schools["warnings"] == len(schools["findings"]) - schools["errors"]
    balance = next(f for f in schools["findings"] if f["rule"] == "requests.balance")
    assert set(balance) == {"rule", "severity", "part", "message", "cells", "texts"}
    assert balance["severity"] == "error" and balance["part"] == "requests"
    assert "requests.new.natural" in balance["cells"]
    assert units[LAND]["errors"] == 0
    assert (units[TOWN]["errors"], units[TOWN]["findings"]) == (0, [])


def test_review_table_and_exit_status(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "review", "--year", str(YEAR)) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split("\t") == ["单位", "类别", "状态", "错误", "提示", "最后修改", "版本码"]
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:-1]}
    assert rows[SCHOOLS][1:4] == ["部门", "有错误", "1"]
    assert rows[OFFICE][1:4] == ["本级", "已通过", "0"]
    assert rows[TOWN][1:] == ["乡镇街道", "未报", "0", "0", "", ""]
    assert re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d", rows[LAND][5])
    assert rows[LAND][6] and rows[LAND][6] != rows[SCHOOLS][6]  # the version codes differ
    assert lines[-1].startswith(f"{YEAR}年：4个单位") and "1个单位的报告有错误" in lines[-1]
    # The faulty report put right: no unit has an error any more.
    with open_database(db) as database:
        ops.save_report(database, _sample(SCHOOLS), replace=True)
    assert run(db, "review", "--year", str(YEAR)) == 0


def test_review_shows_a_report_of_an_unregistered_agency(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(db) as database:
        ops.save_report(database, _sample("某某县水利局"), replace=False)
    assert run(db, "review", "--year", str(YEAR), "--json") == 1
    last = json.loads(capsys.readouterr().out)["units"][-1]
    assert (last["agency"], last["kind"], last["status"]) == ("某某县水利局", None, "已报")
    assert run(db, "review", "--year", str(YEAR)) == 1
    row = capsys.readouterr().out.splitlines()[-2].split("\t")
    assert row[:3] == ["某某县水利局", "未登记", "已报"]


def test_review_of_a_year_without_anything(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "review", "--year", "2020", "--json") == 0
    units = json.loads(capsys.readouterr().out)["units"]
    assert {u["agency"]: u["status"] for u in units} == dict.fromkeys(
        [OFFICE, LAND, SCHOOLS, TOWN], "未报"
    )


def test_review_refuses_a_bad_year(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(db, "review", "--year", "二〇二二")
    assert exit_.value.code == 2
    assert "不是有效的年度" in capsys.readouterr().err


# ---------------------------------------------------------------------------- aggregate


def test_aggregate_writes_the_sums_with_the_units_covered(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, pdf = tmp_path / "汇总.nianbao.json", tmp_path / "汇总.pdf"
    args = ("aggregate", "--year", str(YEAR), "--name", COUNTY, "--json", str(data))
    assert run(db, *args, "--pdf", str(pdf)) == 0
    out = capsys.readouterr().out
    assert "汇总3个单位的报告" in out
    assert TOWN in out  # missing
    errors = [line for line in out.splitlines() if line.strip().startswith("错误：")]
    assert len(errors) == 1  # 一+二=三+四, broken by one unit only
    assert SCHOOLS in errors[0] and LAND not in errors[0] and OFFICE not in errors[0]
    # summed as it stands, and said so
    assert f"注意：已汇总的“{SCHOOLS}”的报告有错误（1个错误）" in out
    assert f"结转：{YEAR - 1}年没有可以对比的报告" in out

    summed = read_datafile_path(data)
    assert (summed.agency, summed.year, summed.format_id) == (COUNTY, YEAR, "2021")
    expected = _sums([OFFICE, LAND, SCHOOLS])
    assert {key: summed.cells[key] for key in expected} == expected
    assert summed.cells["art20_5.licensing.decisions"] == 286 + 1000 + 7
    document = json.loads(data.read_text(encoding="utf-8"))
    assert sorted(document["aggregate"]["units"]) == sorted([OFFICE, LAND, SCHOOLS])
    assert document["aggregate"]["missing"] == [TOWN]
    assert str(53 + 114 + 53) in summed.texts["overview"]  # drafted: the requests received

    text = _pdf_text(pdf)
    assert "1293" in text  # 286 + 1000 + 7 许可决定
    assert str(38 + 99 + 38) in text  # 自然人 new requests
    for agency in (OFFICE, LAND, SCHOOLS, TOWN):
        assert agency in text.replace("\n", "")  # the appendix names them


def test_aggregate_of_named_agencies_only(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "部分.nianbao.json"
    args = ("aggregate", "--year", str(YEAR), "--name", COUNTY, "--json", str(data))
    assert run(db, *args, "--agency", LAND, "--agency", OFFICE) == 0
    assert "汇总2个单位的报告" in capsys.readouterr().out
    summed = read_datafile_path(data)
    expected = _sums([LAND, OFFICE])
    assert {key: summed.cells[key] for key in expected} == expected
    units = json.loads(data.read_text(encoding="utf-8"))["aggregate"]["units"]
    assert sorted(units) == sorted([LAND, OFFICE])


def test_aggregate_uses_the_stored_texts(db: Path, tmp_path: Path) -> None:
    with open_database(db) as database:
        created = register.create_aggregate(database, COUNTY, YEAR)
        register.set_aggregate_text(database, created.record.id, "overview", "全县依法公开。")
    data, docx = tmp_path / "汇总.nianbao.json", tmp_path / "汇总.docx"
    args = ("aggregate", "--year", str(YEAR), "--name", COUNTY)
    assert run(db, *args, "--json", str(data), "--docx", str(docx)) == 0
    assert read_datafile_path(data).texts["overview"] == "全县依法公开。"
    from docx import Document

    paragraphs = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "全县依法公开。" in paragraphs and TOWN in paragraphs


def test_aggregate_leaves_out_what_the_stored_aggregate_leaves_out(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(db) as database:
        aggregate_id = register.create_aggregate(database, COUNTY, YEAR).record.id
        register.set_aggregate_member(database, aggregate_id, SCHOOLS, included=False)
        register.set_aggregate_fields(
            database,
            aggregate_id,
            signature_agency="某某县人民政府办公室",
            signature_date=dt.date(2023, 2, 15),
        )
    data = tmp_path / "汇总.nianbao.json"
    assert run(db, "aggregate", "--year", str(YEAR), "--name", COUNTY, "--json", str(data)) == 0
    out = capsys.readouterr().out
    assert "汇总2个单位的报告" in out and f"未纳入汇总的单位（1个）：{SCHOOLS}" in out
    assert "汇总的检查：0个错误" in out  # the unit that broke 一+二=三+四 is not summed
    summed = read_datafile_path(data)
    expected = _sums([OFFICE, LAND])
    assert {key: summed.cells[key] for key in expected} == expected
    assert (summed.signature_agency, summed.signature_date) == (
        "某某县人民政府办公室",
        dt.date(2023, 2, 15),
    )


def test_aggregate_compares_the_carry_over_with_last_years_reports(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No 汇总 was made last year: the comparison is with last year's reports added up, and
    says so, naming the unit that reported last year and not this."""
    with open_database(db) as database:
        last = _sample("某某县旧局", **{"requests.carried_out.natural": 5})
        last.year = YEAR - 1
        ops.save_report(database, last, replace=False)
    data = tmp_path / "汇总.nianbao.json"
    assert run(db, "aggregate", "--year", str(YEAR), "--name", COUNTY, "--json", str(data)) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if "结转：" in x]
    assert f"{YEAR - 1}年全部报告合计" in line and "某某县旧局" in line
    assert f"{YEAR - 1}年汇总" not in line


def test_aggregate_says_when_every_report_is_left_out(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(db) as database:
        aggregate_id = register.create_aggregate(database, COUNTY, YEAR).record.id
        for agency in (OFFICE, LAND, SCHOOLS):
            register.set_aggregate_member(database, aggregate_id, agency, included=False)
    data = tmp_path / "汇总.nianbao.json"
    assert run(db, "aggregate", "--year", str(YEAR), "--name", COUNTY, "--json", str(data)) == 2
    assert "都列为不纳入" in capsys.readouterr().err
    assert not data.exists()


def test_aggregate_refuses_an_unknown_agency(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "汇总.nianbao.json"
    args = ("aggregate", "--year", str(YEAR), "--name", COUNTY, "--json", str(data))
    assert run(db, *args, "--agency", LAND, "--agency", "某某县不存在局") == 2
    assert "某某县不存在局" in capsys.readouterr().err
    assert not data.exists()


def test_aggregate_refuses_mixed_formats_writing_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = read_datafile_path(EXAMPLE_2019)
    old = dataclasses.replace(old, agency="某某乡人民政府", year=YEAR)  # the 2019 template
    with open_database(db) as database:
        ops.save_report(database, old, replace=False)
    data, pdf = tmp_path / "汇总.nianbao.json", tmp_path / "汇总.pdf"
    args = ("aggregate", "--year", str(YEAR), "--name", COUNTY, "--json", str(data))
    assert run(db, *args, "--pdf", str(pdf)) == 2
    err = capsys.readouterr().err
    assert "某某乡人民政府" in err and "2019" in err
    assert not data.exists() and not pdf.exists()
    # Leaving that unit out, the rest sums.
    assert run(db, *args, "--agency", LAND) == 0 and data.exists()


def test_aggregate_needs_an_output_and_a_report(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "aggregate", "--year", str(YEAR), "--name", COUNTY) == 2
    assert "请至少给出一种输出" in capsys.readouterr().err
    data = tmp_path / "汇总.nianbao.json"
    assert run(db, "aggregate", "--year", "2020", "--name", COUNTY, "--json", str(data)) == 2
    assert "没有2020年的报告" in capsys.readouterr().err
    assert not data.exists()
