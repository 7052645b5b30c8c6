"""`nianbao --selftest`, run in-process: the check the frozen bundle gets, on the source tree."""

from __future__ import annotations

import io
import sys
import types
from pathlib import Path

import pytest

import main
from export.renderers import RENDERERS, Rendered, Renderer
from gui.selftest import EXAMPLE, print_safely, program_root, run_selftest
from published.result import Imported

pytestmark = pytest.mark.gui


def test_selftest_passes_and_writes_its_result(qapp, tmp_path: Path) -> None:
    result = tmp_path / "selftest.txt"
    assert run_selftest(result) == 0
    lines = result.read_text(encoding="utf-8").splitlines()
    assert lines[-1].startswith("自检通过")
    checks = ("窗口", "Qt中文翻译", "数据库", "导入示例", "预览", "导出PDF", "导出Word")
    for check in (*checks, "读取已发布的年报", "县级汇总台"):
        assert any(line.startswith(f"通过  {check}：") for line in lines), check
    # every cell of the example's tables, read back from the exported PDF
    assert any(
        line.startswith("通过  读取已发布的年报：全部166个填报格与导出前一致") for line in lines
    )
    # the desk's 汇总 of the one unit equals its report, and its PDF (with the appendix) renders
    assert any(
        line.startswith("通过  县级汇总台：已报，汇总166个填报格一致，PDF") for line in lines
    )


def test_selftest_fails_when_the_desk_sums_wrongly(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import county.desk
    from model.aggregate import Sums

    real = county.desk.sum_reports

    def one_more(reports: list[object], year: int) -> Sums:
        sums = real(reports, year)  # type: ignore[arg-type]
        sums.cells["requests.new.natural"] = int(sums.cells["requests.new.natural"]) + 1
        return sums

    monkeypatch.setattr(county.desk, "sum_reports", one_more)
    result = tmp_path / "selftest.txt"
    assert run_selftest(result) == 1
    last = result.read_text(encoding="utf-8").splitlines()[-2]
    assert last.startswith("失败  县级汇总台：SelfTestError: 1 summed cells differ")


def test_selftest_fails_when_the_pdf_reads_back_a_different_number(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import published.pipeline

    real = published.pipeline.read_published

    def one_cell_misread(path: Path) -> Imported:
        imported = real(path)
        key = "requests.new.natural"  # 本年新收政府信息公开申请数量, 自然人
        assert key in imported.report.cells
        imported.report.cells[key] = 999
        return imported

    monkeypatch.setattr(published.pipeline, "read_published", one_cell_misread)
    result = tmp_path / "selftest.txt"
    assert run_selftest(result) == 1
    last = result.read_text(encoding="utf-8").splitlines()[-2]
    assert last.startswith("失败  读取已发布的年报：SelfTestError: 1 cells read back differ")
    assert "→ 999" in last


def test_selftest_reports_a_failure(qapp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("gui.selftest.EXAMPLE", Path("no", "such.nianbao.json"))
    result = tmp_path / "selftest.txt"
    assert run_selftest(result) == 1
    text = result.read_text(encoding="utf-8")
    assert "失败  导入示例" in text
    assert text.splitlines()[-1].startswith("自检失败")


def test_every_renderer_in_the_registry_is_exported_and_checked(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = types.ModuleType("fake_xml_renderer")
    page.render = lambda report: Rendered(b"<report></report>", None)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, page.__name__, page)
    xml = Renderer("xml", "XML", "XML文件", ".xml", "XML (*.xml)", page.__name__, b"<")
    monkeypatch.setattr("export.renderers.RENDERERS", (*RENDERERS, xml))
    result = tmp_path / "selftest.txt"
    assert run_selftest(result) == 0
    lines = result.read_text(encoding="utf-8").splitlines()
    assert [line.split("：")[0] for line in lines if line.startswith("通过  导出")] == [
        "通过  导出PDF",
        "通过  导出Word",
        "通过  导出网页版",
        "通过  导出XML",
    ]

    page.render = lambda report: Rendered(b"", None)  # type: ignore[attr-defined]
    assert run_selftest(result) == 1
    assert "失败  导出XML：SelfTestError: the file does not start with b'<'" in (
        result.read_text(encoding="utf-8")
    )


def test_command_line_option_runs_it(monkeypatch, tmp_path: Path) -> None:
    calls: list[Path | None] = []

    def fake(path: Path | None) -> int:
        calls.append(path)
        return 0

    monkeypatch.setattr("gui.selftest.run_selftest", fake)
    assert main.main(["--selftest"]) == 0
    assert main.main(["--selftest", str(tmp_path / "r.txt")]) == 0
    assert calls == [None, tmp_path / "r.txt"]


def test_the_example_is_where_the_bundle_carries_it() -> None:
    assert (program_root() / EXAMPLE).is_file()


def _stream(encoding: str) -> io.TextIOWrapper:
    """An output like a redirected one on Windows: strict, in the ANSI code page."""
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")


def test_output_redirected_on_an_english_windows_does_not_crash_it(
    qapp, tmp_path: Path, monkeypatch
) -> None:
    out = _stream("cp1252")  # an English Windows or a CI runner: no Chinese in the code page
    monkeypatch.setattr("sys.stdout", out)
    result = tmp_path / "selftest.txt"
    assert run_selftest(result) == 0
    lines = result.read_text(encoding="utf-8").splitlines()
    assert lines[-1].startswith("自检通过")  # the file has the Chinese, whole
    out.flush()
    printed = out.buffer.getvalue().decode("cp1252").splitlines()  # type: ignore[attr-defined]
    assert len(printed) == len(lines)
    assert printed[-1] == lines[-1].encode("cp1252", "replace").decode("cp1252")


def test_output_in_a_chinese_code_page_is_whole() -> None:
    out = _stream("cp936")
    print_safely("通过  导出PDF：2页", out)
    assert out.buffer.getvalue().decode("cp936") == "通过  导出PDF：2页\n"  # type: ignore[attr-defined]


def test_a_closed_or_missing_output_is_skipped(monkeypatch) -> None:
    closed = _stream("utf-8")
    closed.close()
    print_safely("自检通过", closed)  # ValueError: I/O operation on closed file
    monkeypatch.setattr("sys.stdout", None)  # a windowed program on Windows
    print_safely("自检通过")
