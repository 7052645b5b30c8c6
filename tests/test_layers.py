"""The Qt-free layers stay Qt-free, and the core renders nothing.

``model/``, ``export/``, ``published/`` and ``county/`` must run without a display and be testable without a QApplication,
so neither may import PySide6, shiboken6 or the ``gui`` package — not even lazily inside a
function.  ``model/`` is the core the exporters read: it imports neither them (``export``) nor
their libraries (ReportLab, python-docx). The check reads the source with ``ast`` rather than importing it, so it also catches
imports on code paths that tests never run. (Relative imports cannot leave their top-level
package, so only absolute ones and ``importlib.import_module("…")``/``__import__("…")`` calls
with a literal name are examined.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_FREE_PACKAGES = ("model", "export", "published", "county")
FORBIDDEN = frozenset({"PySide6", "shiboken6", "gui"})
#: What each Qt-free package may not import.
FORBIDDEN_IN = {
    "model": FORBIDDEN | {"export", "reportlab", "docx"},
    "export": FORBIDDEN,
    # Reading a published report builds a report; it never renders one.
    "published": FORBIDDEN | {"export", "reportlab"},
    # The county office's side (register, collect, review, indicators) reads and sums reports;
    # rendering them is the exporters' job, which the window and the command line call.
    "county": FORBIDDEN | {"export", "reportlab", "docx"},
}
DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})


def python_files(package: str) -> list[Path]:
    """Every .py file under ``package``; a package that does not exist yet has none."""
    folder = ROOT / package
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Yield (line, module) for every absolute import in the tree, wherever it sits."""
    for node in ast.walk(tree):
        match node:
            case ast.Import(names=aliases):
                for alias in aliases:
                    yield node.lineno, alias.name
            case ast.ImportFrom(module=str(module), level=0):
                yield node.lineno, module
            case ast.Call(
                func=ast.Name(id=importer) | ast.Attribute(attr=importer),
                args=[ast.Constant(value=str(module)), *_],
            ) if importer in DYNAMIC_IMPORTERS:
                yield node.lineno, module


def forbidden_imports(
    source: str, filename: str = "<string>", forbidden: frozenset[str] = FORBIDDEN
) -> list[str]:
    tree = ast.parse(source, filename=filename)
    return [
        f"line {line}: {module}"
        for line, module in sorted(imported_modules(tree))
        if module.split(".", 1)[0] in forbidden
    ]


def _offenders(package: str) -> dict[str, list[str]]:
    return {
        path.relative_to(ROOT).as_posix(): found
        for path in python_files(package)
        if (
            found := forbidden_imports(
                path.read_text(encoding="utf-8"), str(path), FORBIDDEN_IN[package]
            )
        )
    }


def test_model_and_export_do_not_import_qt_or_gui() -> None:
    offenders = {path: found for p in QT_FREE_PACKAGES for path, found in _offenders(p).items()}
    assert not offenders, f"Qt-free layers import Qt or gui: {offenders}"


def test_model_imports_no_renderer() -> None:
    assert python_files("model")  # the walk did find the core
    offenders = _offenders("model")
    assert not offenders, f"model/ imports export/, ReportLab or python-docx: {offenders}"


def test_the_check_catches_every_spelling() -> None:
    """Guard the guard: a detector that finds nothing would let the test above pass forever."""
    source = (
        "import os\n"
        "import PySide6.QtCore\n"
        "from shiboken6 import isValid\n"
        "def later():\n"
        "    from gui.main_window import MainWindow\n"
        "    return importlib.import_module('PySide6.QtGui')\n"
        "from . import gui\n"  # relative: the package's own submodule, allowed
        "import guidance\n"  # merely starts with 'gui', allowed
    )
    assert forbidden_imports(source) == [
        "line 2: PySide6.QtCore",
        "line 3: shiboken6",
        "line 5: gui.main_window",
        "line 6: PySide6.QtGui",
    ]


def test_the_check_catches_a_renderer_in_the_core() -> None:
    source = (
        "from model.report import Report\n"
        "import reportlab.platypus\n"
        "def later():\n"
        "    from export.pdf import render_pdf\n"
        "    import docx\n"
        "import docxcompose\n"  # merely starts with 'docx', allowed
        "import exporter\n"  # merely starts with 'export', allowed
    )
    assert forbidden_imports(source, forbidden=FORBIDDEN_IN["model"]) == [
        "line 2: reportlab.platypus",
        "line 4: export.pdf",
        "line 5: docx",
    ]
    assert forbidden_imports(source) == []  # export/ may use them
