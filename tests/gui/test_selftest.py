"""`nianbao --selftest`, run in-process: the check the frozen bundle gets, on the source tree."""

from __future__ import annotations

from pathlib import Path

import pytest

import main
from gui.selftest import EXAMPLE, program_root, run_selftest

pytestmark = pytest.mark.gui


def test_selftest_passes_and_writes_its_result(qapp, tmp_path: Path) -> None:
    result = tmp_path / "selftest.txt"
    assert run_selftest(result) == 0
    lines = result.read_text(encoding="utf-8").splitlines()
    assert lines[-1].startswith("自检通过")
    for check in ("窗口", "Qt中文翻译", "数据库", "导入示例", "预览", "导出PDF", "导出Word"):
        assert any(line.startswith(f"通过  {check}：") for line in lines), check


def test_selftest_reports_a_failure(qapp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("gui.selftest.EXAMPLE", Path("no", "such.nianbao.json"))
    result = tmp_path / "selftest.txt"
    assert run_selftest(result) == 1
    text = result.read_text(encoding="utf-8")
    assert "失败  导入示例" in text
    assert text.splitlines()[-1].startswith("自检失败")


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
