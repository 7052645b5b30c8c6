"""The installer's scripts, read as text: no bundle is built here (that is `make bundle`)."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path
from typing import Any

import model
from gui.selftest import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "nianbao.spec"
NSI = ROOT / "installer" / "nianbao.nsi"
PROGRAM = [
    ROOT / "main.py",
    ROOT / "cli.py",
    *(p for d in ("model", "export", "gui") for p in (ROOT / d).rglob("*.py")),
]


def _spec_constant(name: str) -> Any:
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not a literal in {SPEC.name}")


def _imported_modules() -> set[str]:
    found: set[str] = set()
    for path in PROGRAM:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_spec_excludes_no_module_the_program_imports() -> None:
    excluded = [f"PySide6.{m}" for m in _spec_constant("EXCLUDED_QT")]
    excluded += _spec_constant("EXCLUDED_PY")
    imported = _imported_modules()
    assert "PySide6.QtWidgets" in imported  # the walk did find the program's imports
    clashes = sorted(
        name for name in imported for ex in excluded if name == ex or name.startswith(ex + ".")
    )
    assert clashes == []


def test_the_spec_leaves_out_the_big_qt_modules() -> None:
    excluded = set(_spec_constant("EXCLUDED_QT"))
    assert {
        "QtWebEngineCore",
        "Qt3DCore",
        "QtMultimedia",
        "QtQuick",
        "QtQml",
        "QtCharts",
    } <= excluded


def test_the_spec_carries_what_the_program_reads_from_disk() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in text
    assert EXAMPLE.parts[0] == "resources"  # the self-test's example travels with resources/
    for migration_file in ('"env.py"', '"script.py.mako"', '"versions"'):
        assert migration_file in text
    assert "qtbase_zh_CN.qm" in text
    assert "console=False" in text and "COLLECT(" in text  # one folder, a windowed program


def test_the_spec_carries_every_renderer() -> None:
    """A renderer's module is imported by name (export.renderers), out of the analysis' sight."""
    assert "*(kind.module for kind in RENDERERS)" in SPEC.read_text(encoding="utf-8")


def test_the_frozen_program_runs_in_utf8_mode() -> None:
    """The frozen program ignores PYTHONUTF8; without UTF-8 mode a redirected print of Chinese
    fails on an English Windows (code page 1252)."""
    assert ("X utf8", None, "OPTION") in _spec_constant("OPTIONS")
    assert re.search(r"EXE\(\s*pyz,\s*a\.scripts,\s*OPTIONS,", SPEC.read_text(encoding="utf-8"))


def test_the_setup_installs_per_user_without_administrator_rights() -> None:
    text = NSI.read_text(encoding="utf-8-sig")
    assert "RequestExecutionLevel user" in text
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_ID}"' in text
    assert "$PROGRAMFILES64" in text  # per machine when run as administrator
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in text
    assert '!define APP_EXE "nianbao.exe"' in text
    assert 'NAME = "nianbao"' in SPEC.read_text(encoding="utf-8")


def test_the_setup_associates_the_data_file() -> None:
    text = NSI.read_text(encoding="utf-8-sig")
    assert ".nianbao.json" in text
    assert 'WriteRegStr SHCTX "Software\\Classes\\${PROG_ID}\\shell\\open\\command"' in text
    assert "OpenWithProgids" in text


def test_the_uninstaller_keeps_the_data_unless_asked() -> None:
    text = NSI.read_text(encoding="utf-8-sig")
    data_section = re.search(r'Section /o "un\.[^"]*数据" (\w+)(.*?)SectionEnd', text, re.S)
    assert data_section is not None  # an optional section, unticked by default
    assert 'RMDir /r "$LOCALAPPDATA\\${APP_ID}"' in data_section.group(2)
    outside = text.replace(data_section.group(0), "")
    assert 'RMDir /r "$LOCALAPPDATA' not in outside  # the data goes only if that is ticked
    assert 'RMDir /r "$INSTDIR"' not in text  # never a recursive delete of a chosen folder


def test_the_setup_carries_version_information() -> None:
    text = NSI.read_text(encoding="utf-8-sig")
    for key in ("VIProductVersion", "VIFileVersion", '"ProductVersion"', '"FileDescription"'):
        assert key in text
    build = _load_build()
    assert build.version() == (model.__version__, _quad(model.__version__))


def _quad(version: str) -> str:
    numbers = re.findall(r"\d+", version)[:4]
    return ".".join(numbers + ["0"] * (4 - len(numbers)))


def _load_build() -> Any:
    spec = importlib.util.spec_from_file_location(
        "installer_build", ROOT / "installer" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_setup_refuses_windows_older_than_10_1903_and_32_bit() -> None:
    """Qt6Core.dll links to the system ICU (icuuc.dll), which Windows has since 10 version 1903
    (build 18362); the bundle is 64-bit only."""
    text = NSI.read_text(encoding="utf-8-sig")
    check = re.search(r"Function \.onInit(.*?)FunctionEnd", text, re.S)
    assert check is not None
    assert "${IfNot} ${RunningX64}" in check.group(1)
    assert "${OrIfNot} ${AtLeastBuild} 18362" in check.group(1)


def test_the_setup_is_named_for_64_bit_windows() -> None:
    assert _load_build().setup_name() == f"nianbao-setup-{model.__version__}-x64.exe"
