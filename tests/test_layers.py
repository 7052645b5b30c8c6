"""The Qt-free layers stay Qt-free.

``model/`` and ``export/`` must run without a display and be testable without a QApplication,
so neither may import PySide6, shiboken6 or the ``gui`` package — not even lazily inside a
function. The check reads the source with ``ast`` rather than importing it, so it also catches
imports on code paths that tests never run. (Relative imports cannot leave their top-level
package, so only absolute ones and ``importlib.import_module("…")``/``__import__("…")`` calls
with a literal name are examined.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_FREE_PACKAGES = ("model", "export")
FORBIDDEN = frozenset({"PySide6", "shiboken6", "gui"})
DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})


def python_files() -> list[Path]:
    """Every .py file under the Qt-free packages; a package that does not exist yet has none."""
    return sorted(
        path
        for package in QT_FREE_PACKAGES
        if (ROOT / package).is_dir()
        for path in (ROOT / package).rglob("*.py")
    )


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


def forbidden_imports(source: str, filename: str = "<string>") -> list[str]:
    tree = ast.parse(source, filename=filename)
    return [
        f"line {line}: {module}"
        for line, module in sorted(imported_modules(tree))
        if module.split(".", 1)[0] in FORBIDDEN
    ]


def test_model_and_export_do_not_import_qt_or_gui() -> None:
    offenders = {
        path.relative_to(ROOT).as_posix(): found
        for path in python_files()
        if (found := forbidden_imports(path.read_text(encoding="utf-8"), str(path)))
    }
    assert not offenders, f"Qt-free layers import Qt or gui: {offenders}"


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
