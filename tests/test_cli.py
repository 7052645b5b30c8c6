"""The command line as the county office uses it: import, check, export, list — exit codes,
messages naming what is wrong, and a database left untouched by bad input."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli
import main
from export.renderers import RENDERERS, Rendered, Renderer
from model.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"
SAMPLE = ROOT / "resources" / "examples" / "sample-2021-county-bureau.nianbao.json"
AGENCY = "古城回族乡人民政府"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reports.sqlite3"


def run(db: Path, *args: str) -> int:
    return main.main(["--db", str(db), *args])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _variant(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "variant.nianbao.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_then_check_the_example(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "import", str(EXAMPLE)) == 0
    assert "已导入：古城回族乡人民政府 2019年（2019格式）" in capsys.readouterr().out
    assert run(db, "check", "--agency", AGENCY, "--year", "2019") == 0
    # The example's own faults, as published: no year in its title, no 成文日期.
    assert capsys.readouterr().out.strip().splitlines() == [
        "提示\t第一部分\t标题“古城回族乡政府信息公开年度报告”缺少年度“2019年”和“政府信息公开工作年度报告”",
        "提示\t第一部分\t还没有填写成文日期（2019年度的报告应在2020年1月31日前成文并公布）",
        "古城回族乡人民政府 2019年：0个错误，2个提示",
    ]
    assert run(db, "check", str(EXAMPLE)) == 0


def test_list_shows_what_was_imported(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "list") == 0
    assert "还没有报告" in capsys.readouterr().out
    run(db, "import", str(EXAMPLE), str(SAMPLE))
    capsys.readouterr()
    assert run(db, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:3] for line in lines] == [
        ["古城回族乡人民政府", "2019", "2019格式"],
        ["某某县自然资源局", "2022", "2021格式"],
    ]


def test_export_gives_back_the_imported_file(db: Path, tmp_path: Path) -> None:
    run(db, "import", str(SAMPLE))
    out = tmp_path / "out.nianbao.json"
    assert (
        run(db, "export", "--agency", "某某县自然资源局", "--year", "2022", "--json", str(out)) == 0
    )
    assert out.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


def test_unbalanced_column_exits_1_naming_column_and_sums(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _variant(tmp_path, lambda d: d["cells"].__setitem__("requests.new.legal", 3))
    assert run(db, "check", str(path)) == 1
    out = capsys.readouterr().out
    assert "错误\t第三部分\t第三部分“法律服务机构”列：第一项加第二项为3，第三项加第四项为0" in out


def _set(key: str, value: object):  # type: ignore[no-untyped-def]
    return lambda d: d["cells"].__setitem__(key, value)


BAD_FILES = {
    "string count": (_set("requests.new.natural", "abc"), "cells.requests.new.natural"),
    "negative count": (_set("requests.granted.business", -1), "cells.requests.granted.business"),
    "unknown key": (_set("requests.bogus.natural", 1), "requests.bogus.natural"),
    "2021 key in 2019": (_set("requests.other_no_fee.natural", 0), "requests.other_no_fee.natural"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_exits_2_naming_the_key_and_changes_nothing(
    case: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(db, "import", str(SAMPLE))
    before = _digest(db)
    change, key = BAD_FILES[case]
    path = _variant(tmp_path, change)
    assert run(db, "import", str(path)) == 2
    assert key in capsys.readouterr().err
    assert run(db, "check", str(path)) == 2
    assert key in capsys.readouterr().err
    assert _digest(db) == before
    assert run(db, "check", "--agency", AGENCY, "--year", "2019") == 2  # never imported


def test_truncated_file_exits_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(db, "import", str(SAMPLE))
    before = _digest(db)
    path = tmp_path / "cut.nianbao.json"
    path.write_bytes(EXAMPLE.read_bytes()[:700])
    assert run(db, "import", str(path)) == 2
    assert "cut.nianbao.json" in capsys.readouterr().err
    assert _digest(db) == before


def test_reimport_needs_replace(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(db, "import", str(EXAMPLE))
    changed = _variant(tmp_path, _set("art20_9.procurement.projects", 10))
    assert run(db, "import", str(changed)) == 2
    assert "--replace" in capsys.readouterr().err
    assert run(db, "import", "--replace", str(changed)) == 0
    out = tmp_path / "back.nianbao.json"
    run(db, "export", "--agency", AGENCY, "--year", "2019", "--json", str(out))
    assert (
        json.loads(out.read_text(encoding="utf-8"))["cells"]["art20_9.procurement.projects"] == 10
    )


def test_one_bad_file_among_several_imports_none(db: Path, tmp_path: Path) -> None:
    bad = _variant(tmp_path, _set("requests.new.natural", -5))
    assert run(db, "import", str(SAMPLE), str(bad)) == 2
    assert run(db, "check", "--agency", "某某县自然资源局", "--year", "2022") == 2


def test_carry_over_warning_uses_last_year_from_the_database(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(db, "import", str(SAMPLE))
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    cells = data["cells"]
    data["year"] = 2023
    # one more carried in than 2022 carried out, one fewer new: the balance still holds
    cells["requests.carried_in.natural"] = cells["requests.carried_out.natural"] + 1
    cells["requests.new.natural"] -= (
        cells["requests.carried_in.natural"]
        - json.loads(SAMPLE.read_text(encoding="utf-8"))["cells"]["requests.carried_in.natural"]
    )
    path = tmp_path / "2023.nianbao.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert run(db, "check", str(path)) == 0  # a warning is not an error
    expected = cells["requests.carried_in.natural"]
    assert f"本年“上年结转”为{expected}，但2022年报告" in capsys.readouterr().out


def test_help_and_errors_speak_chinese() -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "用法：" in done.stdout and "导入数据文件" in done.stdout
    done = subprocess.run(
        [sys.executable, "main.py", "check", "--year", "abc"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "不是有效的年度" in done.stderr
    done = subprocess.run(
        [sys.executable, "main.py", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().startswith("政务公开年报 0.")


_BAD_VALUES = st.one_of(
    st.text(min_size=1, max_size=5),
    st.integers(max_value=-1),
    st.integers(min_value=10**9 + 1),
    st.floats(allow_nan=False),
    st.none(),
    st.lists(st.integers(), max_size=2),
)


@st.composite
def _corrupted(draw: st.DrawFn) -> bytes:
    original = EXAMPLE.read_bytes()
    how = draw(st.sampled_from(["value", "drop", "truncate", "bytes"]))
    if how == "truncate":
        return original[: draw(st.integers(0, len(original) - 2))]
    if how == "bytes":
        at = draw(st.integers(0, len(original)))
        return original[:at] + draw(st.binary(min_size=1, max_size=8)) + b"\xff" + original[at:]
    data = json.loads(original)
    if how == "drop":
        del data[draw(st.sampled_from(["schema", "format", "agency", "year"]))]
    else:
        key = draw(st.sampled_from(sorted(k for k in data["cells"] if k.startswith("requests."))))
        data["cells"][key] = draw(_BAD_VALUES.filter(lambda v: not isinstance(v, bool)))
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_corrupted())
def test_random_corruptions_leave_the_database_byte_for_byte(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "fuzz.sqlite3"
    if not db.exists():
        run(db, "import", str(SAMPLE))
    before = _digest(db)
    path = tmp_path / "corrupt.nianbao.json"
    path.write_bytes(data)
    capsys.readouterr()
    assert run(db, "import", str(path)) == 2
    assert "不能导入" in capsys.readouterr().err
    assert _digest(db) == before


def test_export_pdf_straight_from_a_data_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "报告.pdf"
    assert run(db, "export", "--file", str(EXAMPLE), "--pdf", str(out)) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "已导出：古城回族乡人民政府 2019年" in capsys.readouterr().out
    assert not db.exists()  # a file export needs no database


def test_export_pdf_and_json_from_the_database(db: Path, tmp_path: Path) -> None:
    run(db, "import", str(SAMPLE))
    pdf, data = tmp_path / "out.pdf", tmp_path / "out.nianbao.json"
    args = [
        "--agency",
        "某某县自然资源局",
        "--year",
        "2022",
        "--pdf",
        str(pdf),
        "--json",
        str(data),
    ]
    assert run(db, "export", *args) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert data.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--file", str(EXAMPLE)], "至少给出一种输出"),
        (["--pdf", "x.pdf"], "--agency 和 --year"),
        (["--file", str(EXAMPLE), "--year", "2019", "--pdf", "x.pdf"], "不要同时给出"),
    ],
)
def test_export_needs_one_source_and_an_output(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run(db, "export", *args) == 2
    assert message in capsys.readouterr().err


def test_export_docx_straight_from_a_data_file(db: Path, tmp_path: Path) -> None:
    from export.docx import render_docx
    from model.datafile import read_datafile

    out = tmp_path / "报告.docx"
    assert run(db, "export", "--file", str(EXAMPLE), "--docx", str(out)) == 0
    assert out.read_bytes() == render_docx(read_datafile(EXAMPLE.read_bytes()))
    assert not db.exists()


def test_export_asks_for_an_output_naming_every_kind(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "export", "--file", str(EXAMPLE)) == 2
    assert capsys.readouterr().err == (
        "错误：请至少给出一种输出：--json 数据文件、--pdf PDF文件、--docx Word文件、--html 网页版文件 或 "
        "--package 报送材料文件夹\n"
    )


def test_a_renderer_added_to_the_registry_is_an_export_option(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new kind of document (an XML file, made up for the test): one module and one line in
    RENDERERS, nothing in the command line."""
    page = types.ModuleType("fake_xml_renderer")

    def render(report):  # type: ignore[no-untyped-def]
        return Rendered(f"<report>{report.agency}</report>".encode(), None, ("XML没有页码",))

    page.render = render  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, page.__name__, page)
    xml = Renderer("xml", "XML", "XML文件", ".xml", "XML (*.xml)", page.__name__, b"<")
    monkeypatch.setattr("export.renderers.RENDERERS", (*RENDERERS, xml))

    with pytest.raises(SystemExit):
        cli.run(["export", "--help"])
    assert "--xml 输出文件" in capsys.readouterr().out
    assert cli.run(["--db", str(db), "export", "--file", str(EXAMPLE)]) == 2
    assert "--html 网页版文件、--xml XML文件 或 --package 报送材料文件夹" in capsys.readouterr().err

    out, pdf = tmp_path / "报告.xml", tmp_path / "报告.pdf"
    args = ["export", "--file", str(EXAMPLE), "--xml", str(out), "--pdf", str(pdf)]
    assert cli.run(["--db", str(db), *args]) == 0
    assert out.read_text(encoding="utf-8") == f"<report>{AGENCY}</report>"
    assert pdf.read_bytes().startswith(b"%PDF-")
    printed = capsys.readouterr()
    assert printed.out.splitlines() == [  # in the registry's order
        f"已导出：{AGENCY} 2019年 → {pdf}",
        f"已导出：{AGENCY} 2019年 → {out}",
    ]
    assert "提示：XML没有页码" in printed.err
    # Its output is checked like the others': it does not replace the PDF.
    assert cli.run(["--db", str(db), "export", "--file", str(EXAMPLE), "--xml", str(pdf)]) == 2
    assert "它不是本程序导出的XML文件" in capsys.readouterr().err
    # …but it replaces its own earlier file, as the PDF does its own, with nothing else declared.
    assert cli.run(["--db", str(db), *args]) == 0
    assert out.read_text(encoding="utf-8") == f"<report>{AGENCY}</report>"


def test_a_clerk_message_from_anywhere_exits_2_and_a_bug_keeps_its_traceback(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(_db):  # type: ignore[no-untyped-def]
        raise UserError("数据库正被另一台电脑使用")

    monkeypatch.setattr("model.ops.list_reports", refuse)
    assert cli.run(["--db", str(db), "list"]) == 2
    assert capsys.readouterr().err == "错误：数据库正被另一台电脑使用\n"

    def fail(_db):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("model.ops.list_reports", fail)
    with pytest.raises(ZeroDivisionError):
        cli.run(["--db", str(db), "list"])


def test_without_a_command_the_window_is_wanted(tmp_path: Path) -> None:
    data = tmp_path / "x.nianbao.json"
    assert cli.run(["--db", str(tmp_path / "d.sqlite3"), "--open", str(data)]) == cli.OpenWindow(
        tmp_path / "d.sqlite3", crash_dialog=True, open_file=data
    )
    assert cli.run(["--no-crash-dialog"]) == cli.OpenWindow(None, False, None)
