"""``import-published``: a published page, Word file, PDF or copied text read back from the
command line — one data file per input or new reports in the database, exit 0 when every cell was
read, 1 when some wait for a decision, 2 when an input is not a readable report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import main
from export.docx import render_docx
from export.pdf import render_pdf
from model import ops
from model.datafile import read_datafile, read_datafile_path
from model.db import open_database
from model.values import CellValue

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"
SAMPLE = ROOT / "resources" / "examples" / "sample-2021-county-bureau.nianbao.json"
SAMPLES = ROOT / "tests" / "data" / "published" / "samples"
#: 金井 2021: a copied page whose every cell reads (tables flattened, values apart).
COMPLETE = SAMPLES / "07-jinjing-2021" / "page.txt"
#: 金井 2022: its 结转下年度 row prints 6 values for 7 cells (IMPORTER.md §7.2).
SHORT_ROW = SAMPLES / "08-jinjing-2022" / "page.txt"


def _figures(cells: dict[str, CellValue]) -> dict[str, CellValue]:
    return {key: value for key, value in cells.items() if value != 0}


def run(db: Path, *args: str) -> int:
    return main.main(["--db", str(db), *args])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reports.sqlite3"


def test_a_complete_page_becomes_a_data_file_and_exits_0(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "金井2021.nianbao.json"
    assert run(db, "import-published", str(COMPLETE), "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert "2021年格式，平潭综合实验区金井片区管理局 2021年" in printed
    assert "0个待确认" in printed and f"已写入 {out}" in printed
    report = read_datafile_path(out)
    assert (report.agency, report.year, report.format_id) == (
        "平潭综合实验区金井片区管理局",
        2021,
        "2021",
    )
    # 规范性文件 本年制发1 / 废止0 / 现行有效6, printed “规范性文件106”.
    assert report.cells["art20_1.normative.issued"] == 1
    assert report.cells["art20_1.normative.in_force"] == 6
    assert "金井片区管理局坚持以习近平" in report.texts["overview"]
    assert not db.exists()  # --out never touches the database


def test_a_row_short_of_values_is_listed_and_exits_1(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.nianbao.json"
    assert run(db, "import-published", str(SHORT_ROW), "--out", str(out)) == 1
    printed = capsys.readouterr().out
    assert "待确认：" in printed and "结转下年度" in printed
    report = read_datafile_path(out)
    # The row left for the clerk is blank, not guessed.
    assert not any(key.startswith("requests.carried_out.") for key in report.cells)


def test_into_the_database_as_new_reports_never_replacing_without_replace(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "import-published", str(COMPLETE)) == 0
    assert "已导入数据库" in capsys.readouterr().out
    with open_database(db) as database:
        report_id = ops.find_report(database, "平潭综合实验区金井片区管理局", 2021)
        assert report_id is not None
        stored = ops.load_report(database, report_id)
    assert stored.cells["art20_1.normative.issued"] == 1

    assert run(db, "import-published", str(COMPLETE)) == 2
    assert "已有“平潭综合实验区金井片区管理局”2021年的报告" in capsys.readouterr().err
    assert run(db, "import-published", str(COMPLETE), "--replace") == 0


def test_many_inputs_into_a_folder_each_with_its_own_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "读出"
    pdf = tmp_path / "古城.pdf"
    pdf.write_bytes(render_pdf(read_datafile(SAMPLE.read_bytes())).data)
    status = run(
        db, "import-published", str(COMPLETE), str(SHORT_ROW), str(pdf), "--out", str(folder)
    )
    assert status == 1  # the worst of 0, 1 and 0
    # Both samples are called page.txt: the second gets a name of its own, never the first's.
    assert sorted(p.name for p in folder.iterdir()) == [
        "page (2).nianbao.json",
        "page.nianbao.json",
        "古城.nianbao.json",
    ]
    first = read_datafile_path(folder / "page.nianbao.json")
    second = read_datafile_path(folder / "page (2).nianbao.json")
    assert (first.year, second.year) == (2021, 2022)
    printed = capsys.readouterr().out
    assert printed.count("已写入") == 3


@pytest.mark.parametrize(
    ("example", "given"),
    [
        # A 2021 report with its title and 落款: everything is read from the document.
        (SAMPLE, ()),
        # The real 2019 township report prints no year anywhere (its title lacks it and it has
        # no 成文日期): the clerk gives it, and the rest is read.
        (EXAMPLE, ("--agency", "古城回族乡人民政府", "--year", "2019")),
    ],
    ids=["2021-sample", "2019-example"],
)
def test_the_programs_own_pdf_and_word_file_read_back_to_the_same_cells(
    db: Path, tmp_path: Path, example: Path, given: tuple[str, ...]
) -> None:
    original = read_datafile(example.read_bytes())
    for name, data in (
        ("报告.pdf", render_pdf(original).data),
        ("报告.docx", render_docx(original)),
    ):
        source, out = tmp_path / name, tmp_path / f"{name}.nianbao.json"
        source.write_bytes(data)
        assert run(db, "import-published", str(source), "--out", str(out), *given) == 0, name
        back = read_datafile_path(out)
        # A blank prints as 0, so it reads back as 0: the same figures, blank or not.
        assert _figures(back.cells) == _figures(original.cells), name
        assert back.declared == {}, name  # the printed totals are the computed ones
        assert (back.agency, back.year, back.format_id) == (
            original.agency,
            original.year,
            original.format_id,
        ), name


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("random.pdf", bytes(range(256)) * 40, "PDF"),
        ("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<<", "PDF"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "另存为"),
        ("not-a-report.html", "<html><body><p>今日天气晴。</p></body></html>".encode(), "年度报告"),
        ("empty.txt", b"", ""),
    ],
)
def test_an_unreadable_input_exits_2_with_a_message_and_writes_nothing(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: bytes,
    words: str,
) -> None:
    source, out = tmp_path / name, tmp_path / "out.nianbao.json"
    source.write_bytes(data)
    assert run(db, "import-published", str(source), "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{source}：") and words in err
    assert "Traceback" not in err
    assert not out.exists() and not db.exists()


def test_one_unreadable_input_does_not_stop_the_others(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    folder = tmp_path / "out"
    assert run(db, "import-published", str(bad), str(COMPLETE), "--out", str(folder)) == 2
    assert [p.name for p in folder.iterdir()] == ["page.nianbao.json"]


def test_agency_and_year_can_be_given_when_the_page_lacks_them(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    body = text.split("==================== 正文 ====================", 1)[1]
    body = body.replace("平潭综合实验区金井片区管理局", "本单位").replace("2021年", "本年")
    source, out = tmp_path / "无名.txt", tmp_path / "无名.nianbao.json"
    source.write_text(body, encoding="utf-8")
    assert run(db, "import-published", str(source), "--out", str(out)) == 2
    assert "--agency" in capsys.readouterr().err
    args = ["--agency", "某某片区管理局", "--year", "2021"]
    assert run(db, "import-published", str(source), "--out", str(out), *args) in (0, 1)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert (report["agency"], report["year"]) == ("某某片区管理局", 2021)
