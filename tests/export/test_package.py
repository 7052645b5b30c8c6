"""The submission package (报送材料): one new folder with the PDF, the Word file, the web page,
the data file and the review sheet, each read back as the county office would, each carrying
the same version code in its metadata and never on the report's own pages."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import docx
import pdfplumber
import pytest
from lxml import html as lxml_html

import cli
from export.package import FOLDER_SUFFIX, remove_stale_packages, write_package
from export.renderers import RENDERERS, Renderer
from model.checks import check
from model.datafile import DataFileError, read_datafile, write_datafile
from model.files import STALE_SECONDS, FileWriteError
from model.report import Report
from model.version import version_code

from .conftest import EXAMPLE, SAMPLE

BASE = "古城回族乡人民政府_2019年政府信息公开工作年度报告"


def _package(report: Report, parent: Path) -> Path:
    return write_package(report, parent, check(report), previous_known=False)


def _pdf(path: Path) -> tuple[str, dict[str, object]]:
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        return text, dict(pdf.metadata)


def test_every_file_is_there_and_carries_one_version_code(example: Report, tmp_path: Path) -> None:
    folder = _package(example, tmp_path)
    code = version_code(example)
    assert folder == tmp_path / f"{BASE}_报送材料"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            *(BASE + r.suffix for r in RENDERERS),
            f"{BASE}.nianbao.json",
            f"{BASE}_自查表.pdf",
        ]
    )
    assert {".pdf", ".docx", ".html"} <= {r.suffix for r in RENDERERS}
    assert list(tmp_path.iterdir()) == [folder]  # no temporary folder left beside it

    # The PDF: the report's pages, the code in its properties only.
    text, meta = _pdf(folder / f"{BASE}.pdf")
    assert "古城回族乡" in text and "政府信息公开" in text
    assert "67.74" in text  # a number of the report, as printed
    assert meta["NianbaoVersion"] == code
    assert code in str(meta["Keywords"])
    assert code not in text

    # The Word file: core properties, and the same report in its text.
    word = docx.Document(str(folder / f"{BASE}.docx"))
    props = word.core_properties
    assert props.identifier == code and props.version == code
    assert code in props.keywords
    body = "\n".join(p.text for p in word.paragraphs)
    body += "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "67.74" in body and code not in body

    # The web page: a meta element, not text on the page.
    page = lxml_html.parse(str(folder / f"{BASE}.html")).getroot()
    assert page.xpath('//meta[@name="nianbao-version"]/@content') == [code]
    assert code not in page.body.text_content()

    # The data file: the same report, and the code as a field.
    raw = (folder / f"{BASE}.nianbao.json").read_bytes()
    again = read_datafile(raw)
    assert again.cells == example.cells and again.texts == example.texts
    assert version_code(again) == code
    assert json.loads(raw)["version"] == code

    # The review sheet prints it.
    sheet, sheet_meta = _pdf(folder / f"{BASE}_自查表.pdf")
    assert code in sheet
    assert "自查表" in str(sheet_meta["Title"])


def test_two_reports_have_two_codes(example: Report, sample: Report, tmp_path: Path) -> None:
    """The code follows the content: another report's package says another code."""
    first = _package(example, tmp_path)
    second = _package(sample, tmp_path)
    codes = []
    for folder in (first, second):
        pdf = next(p for p in folder.iterdir() if p.name.endswith("报告.pdf"))
        codes.append(_pdf(pdf)[1]["NianbaoVersion"])
    assert codes == [version_code(example), version_code(sample)]
    assert codes[0] != codes[1]


def test_a_unit_name_never_becomes_a_path(example: Report, tmp_path: Path) -> None:
    parent = tmp_path / "out"
    parent.mkdir()
    report = dataclasses.replace(example, agency='../某/局\\办:公*室?"<>|')
    folder = _package(report, parent)
    assert folder.parent == parent
    assert list(parent.iterdir()) == [folder]
    assert folder.name == "_某_局_办_公_室__2019年政府信息公开工作年度报告_报送材料"
    assert len(list(folder.iterdir())) == len(RENDERERS) + 2
    assert all(p.is_file() and p.parent == folder for p in folder.iterdir())
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_an_existing_folder_is_never_touched(example: Report, tmp_path: Path) -> None:
    taken = tmp_path / f"{BASE}{FOLDER_SUFFIX}"
    taken.mkdir()
    (taken / f"{BASE}.pdf").write_bytes(b"%PDF the signed copy")
    (tmp_path / f"{BASE}{FOLDER_SUFFIX} (2)").mkdir()  # empty: the system would replace it
    (tmp_path / f"{BASE}{FOLDER_SUFFIX} (3)").write_text("a file of that name", encoding="utf-8")
    folder = _package(example, tmp_path)
    assert folder.name == f"{BASE}{FOLDER_SUFFIX} (4)"
    assert not any((tmp_path / f"{BASE}{FOLDER_SUFFIX} (2)").iterdir())
    assert [p.name for p in taken.iterdir()] == [f"{BASE}.pdf"]
    assert (taken / f"{BASE}.pdf").read_bytes() == b"%PDF the signed copy"
    assert (tmp_path / f"{BASE}{FOLDER_SUFFIX} (3)").read_text(encoding="utf-8") == (
        "a file of that name"
    )
    assert (folder / f"{BASE}.pdf").read_bytes().startswith(b"%PDF-")


def test_a_renderer_failing_leaves_nothing(
    example: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Renderer.render

    def render(self: Renderer, report: Report):  # type: ignore[no-untyped-def]
        if self.name == "docx":
            raise RuntimeError("renderer broke")
        return original(self, report)

    monkeypatch.setattr(Renderer, "render", render)
    with pytest.raises(RuntimeError):
        _package(example, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_half_way_leaves_nothing(
    example: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third file cannot be written: no folder, no file under a final name, no litter."""
    import export.package as package

    written: list[int] = []
    real_fsync = os.fsync

    def fsync(handle: int) -> None:
        written.append(handle)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        real_fsync(handle)

    monkeypatch.setattr(package.os, "fsync", fsync)
    with pytest.raises(FileWriteError) as error:
        _package(example, tmp_path)
    assert "报送材料没有生成" in str(error.value)
    assert len(written) == 3
    assert list(tmp_path.iterdir()) == []


def test_the_parent_must_be_a_folder(example: Report, tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(FileWriteError, match="不是一个文件夹"):
        _package(example, a_file)
    with pytest.raises(FileWriteError, match="无法在"):
        _package(example, tmp_path / "missing")
    assert a_file.read_text(encoding="utf-8") == "x"
    assert sorted(os.listdir(tmp_path)) == ["file.txt"]


def test_a_killed_package_is_tidied_later(example: Report, tmp_path: Path) -> None:
    stale = tmp_path / f".{BASE}{FOLDER_SUFFIX}.abcd1234.tmp"
    stale.mkdir()
    (stale / "half.pdf").write_bytes(b"%PDF")
    young = tmp_path / f".{BASE}{FOLDER_SUFFIX}.efgh5678.tmp"
    young.mkdir()
    other = tmp_path / ".mine.abcd1234.tmp"  # not a package's: never deleted
    other.mkdir()
    old = stale.stat().st_mtime - STALE_SECONDS - 10
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert remove_stale_packages(tmp_path) == [stale]
    assert young.is_dir() and other.is_dir()


# ---------------------------------------------------------------------------- the data file


def test_the_data_file_holds_the_code_only_when_asked(example: Report) -> None:
    assert "version" not in json.loads(write_datafile(example))
    stated = json.loads(write_datafile(example, version=True))
    assert stated["version"] == version_code(example)
    assert list(stated)[-1] == "version"


def test_a_stated_code_is_checked_for_form_and_never_trusted(example: Report) -> None:
    doc = json.loads(write_datafile(example, version=True))
    doc["cells"]["art20_9.procurement.amount"] = "70"  # edited by hand after export
    report = read_datafile(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert version_code(report) != doc["version"]  # the content decides
    doc["version"] = "K7QX-3MP0"  # 0 is not a character of the code
    with pytest.raises(DataFileError, match="version：“K7QX-3MP0”不是有效的版本码"):
        read_datafile(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


# ---------------------------------------------------------------------------- command line


def test_command_line_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.sqlite3"
    out = tmp_path / "报送"
    out.mkdir()
    assert cli.run(["--db", str(db), "export", "--file", str(SAMPLE), "--package", str(out)]) == 0
    printed = capsys.readouterr().out
    (folder,) = out.iterdir()
    assert f"已生成报送材料：某某县自然资源局 2022年 → {folder}" in printed
    for file in folder.iterdir():
        assert f"  {file.name}\n" in printed
    report = read_datafile(SAMPLE.read_bytes())
    assert _pdf(folder / f"{folder.name.removesuffix(FOLDER_SUFFIX)}.pdf")[1][
        "NianbaoVersion"
    ] == version_code(report)


def test_command_line_package_into_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.sqlite3"
    missing = tmp_path / "没有这个文件夹"
    code = cli.run(["--db", str(db), "export", "--file", str(EXAMPLE), "--package", str(missing)])
    assert code == 2
    assert f"无法在“{missing}”中生成报送材料" in capsys.readouterr().err
    assert not missing.exists()
    assert sorted(os.listdir(tmp_path)) in ([], ["cli.sqlite3"])
