"""``nianbao --selftest``: prove that an installed copy of the program works, end to end.

The frozen bundle is checked with this before it is packed into the setup program (and a clerk's
support contact can run it on a laptop): the window opens offscreen, the example report is
imported into a throwaway database through the window, and every kind of document the program
exports (:data:`export.renderers.RENDERERS`: PDF, Word) is made, written and read back; the PDF
is then read as a published report (:mod:`published`, pdfminer) and must give every cell back.  What
it catches is what freezing breaks: a Qt plugin, a translation, a font, a migration script or a
module left out of the bundle.  Nothing of the clerk's is touched: the
database, the backups and the window settings all live in a temporary folder.

A windowed program on Windows has no console to print to, so the result can also be written to
a file (``nianbao.exe --selftest result.txt``).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from export import renderers
from export.renderers import Rendered, Renderer

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from model.report import Report

#: The example the bundle carries, at the same place relative to the root as in the repository.
EXAMPLE = Path("resources", "examples", "example-2019-township.nianbao.json")
EXAMPLE_AGENCY = "古城回族乡"
PAINT_TIMEOUT_S = 20.0


class SelfTestError(Exception):
    """A check that failed; the message says which and why."""


def program_root() -> Path:
    """The folder holding ``resources/``: the bundle or the repository."""
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else Path(__file__).resolve().parent.parent


def run_selftest(result_file: Path | None = None) -> int:
    """Run every check; print (and write to ``result_file``) one line each; 0 if all passed."""
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        print_safely(line)

    failed = _run_checks(say)
    say(f"自检{'失败' if failed else '通过'}：政务公开年报 {_version()}（{_kind()}）")
    if result_file is not None:
        result_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if failed else 0


def print_safely(line: str, stream: TextIO | None = None) -> None:
    """Print ``line``; never let the output take the self-test down.

    The output may be a pipe or a file in the system's ANSI code page (cp1252 on an English
    Windows or a CI runner, which has no Chinese): characters it lacks become "?".  A windowed
    program on Windows may have no output at all (``sys.stdout`` is None) or an invalid one;
    the result file still gets every line."""
    stream = sys.stdout if stream is None else stream
    if stream is None:
        return
    try:
        try:
            stream.write(line + "\n")
        except UnicodeEncodeError:
            encoding = getattr(stream, "encoding", None) or "ascii"
            stream.write(line.encode(encoding, "replace").decode(encoding) + "\n")
        stream.flush()
    except (OSError, ValueError):  # a closed pipe, an invalid handle
        pass


def _run_checks(say: Callable[[str], None]) -> bool:
    """True if any check failed.  Later checks are skipped once one fails: they depend on it."""
    # Offscreen unless a QApplication already exists (then the caller chose the platform).
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="nianbao-selftest-") as folder:
        checks = _Checks(Path(folder))
        try:
            for name, check in checks.in_order():
                started = time.perf_counter()
                detail = check()
                say(f"通过  {name}：{detail}（{_ms(started)}）")
        except Exception as error:  # every failure, expected or not, is the answer
            say(f"失败  {name}：{type(error).__name__}: {error}")
            return True
        finally:
            checks.close()
    return False


class _Checks:
    """The checks, in order; each returns a short detail for the result line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._main_window: MainWindow | None = None
        self._report: Report | None = None

    def in_order(self) -> list[tuple[str, Callable[[], str]]]:
        """Each check with its name, the first line of its docstring; one export a renderer."""
        steps = (self.window, self.translations, self.database, self.import_example, self.preview)
        named = [(str(step.__doc__), step) for step in steps]
        exports = [
            (f"导出{kind.label}", partial(self.export, kind)) for kind in renderers.RENDERERS
        ]
        later = (self.read_published, self.county_desk)
        return [*named, *exports, *((str(step.__doc__), step) for step in later)]

    @property
    def main_window(self) -> MainWindow:
        assert self._main_window is not None, "the window check comes first"
        return self._main_window

    @property
    def report(self) -> Report:
        assert self._report is not None, "the import check comes first"
        return self._report

    def window(self) -> str:
        """窗口"""
        from PySide6.QtCore import QEvent, QObject

        from gui.app import create_application
        from gui.main_window import MainWindow
        from gui.settings import Settings

        app = create_application([sys.argv[0] if sys.argv else "nianbao"])
        self._main_window = window = MainWindow(Settings(self.folder / "settings.ini"))
        painted: list[bool] = []

        class _Paint(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    painted.append(True)
                return False

        spy = _Paint(window)
        window.installEventFilter(spy)
        window.resize(1280, 720)
        window.show()
        _wait(lambda: bool(painted), "the window never painted")
        window.removeEventFilter(spy)
        return f"{app.platformName()}，字体 {app.font().family()}"

    def translations(self) -> str:
        """Qt中文翻译"""
        from PySide6.QtCore import QLibraryInfo, QTranslator

        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if not QTranslator().load("qtbase_zh_CN", folder):
            raise SelfTestError(f"qtbase_zh_CN.qm is not in {folder}")
        return "qtbase_zh_CN"

    def database(self) -> str:
        """数据库"""
        from gui.app import open_database

        path = self.folder / "selftest.sqlite3"
        if not open_database(self.main_window, path):
            raise SelfTestError(f"could not open {path}")
        return "新建并升级到最新版本"

    def import_example(self) -> str:
        """导入示例"""
        window = self.main_window
        assert window.session is not None
        path = program_root() / EXAMPLE
        if not path.is_file():
            raise SelfTestError(f"the example {path} is missing")
        refusals: list[str] = []
        window.session.refused.connect(refusals.append)
        window.import_file(path)
        self._report = report = window.session.report
        if report is None or EXAMPLE_AGENCY not in report.agency:
            raise SelfTestError(f"the example was not imported: {refusals or 'no report open'}")
        return f"{report.agency} {report.year}年"

    def preview(self) -> str:
        """预览"""
        window = self.main_window
        page = window.pages["preview"]
        window.tabs.setCurrentWidget(page)

        def pages() -> int:
            document = getattr(page, "document", None)
            return document.pageCount() if document is not None else 0

        _wait(lambda: pages() > 0, "the preview shows no pages")
        import multiprocessing

        from export.worker import WORKER

        # The pages come from the render process (export/worker.py): the installed program
        # started again as its worker (freeze_support in main.py), not the fallback thread.
        if WORKER.failed or not multiprocessing.active_children():
            raise SelfTestError("the preview was not rendered in its own process")
        from export.worker import below_normal

        if not WORKER.ask(below_normal):
            raise SelfTestError("the render process does not run below the window's priority")
        return f"{pages()}页，渲染进程（低优先级）"

    def export(self, kind: Renderer) -> str:
        """The report rendered by ``kind``, written to a file and read back from it."""
        from export.worker import render_with  # a PDF in the render process, as the window does

        rendered = render_with(kind, self.report)
        path = self.folder / f"selftest{kind.suffix}"
        path.write_bytes(rendered.data)
        data = path.read_bytes()
        if not data.startswith(kind.starts):
            raise SelfTestError(f"the file does not start with {kind.starts!r}")
        read_back = _READ_BACK.get(kind.name)
        detail = read_back(data, rendered) if read_back is not None else ""
        return f"{detail}{len(data) // 1024} KB"

    def read_published(self) -> str:
        """读取已发布的年报"""
        # The PDF the export check wrote, read back as a published report would be: proves the
        # PDF reader (pdfminer through pdfplumber) is in the bundle and reads every cell there.
        from model.calc import as_number
        from published.pipeline import read_published

        path = self.folder / "selftest.pdf"
        if not path.is_file():
            path.write_bytes(renderers.renderer("pdf").render(self.report).data)
        imported = read_published(path)
        got = imported.report
        if got.format_id != self.report.format_id:
            raise SelfTestError(f"read as the {got.format_id} format, not {self.report.format_id}")
        if imported.unread:
            first = imported.unread[0]
            raise SelfTestError(f"{imported.needing_review} cells unread: {first.reason}")
        keys = [key for key, cell in self.report.format.cells.items() if not cell.derived]
        wrong = [
            f"{key} {self.report.cells.get(key)} → {got.cells.get(key)}"
            for key in keys
            if as_number(self.report.cells.get(key)) != as_number(got.cells.get(key))
        ]  # blank = 0, as the checks count it
        if wrong:
            raise SelfTestError(f"{len(wrong)} cells read back differ: {'; '.join(wrong[:3])}")
        return f"全部{len(keys)}个填报格与导出前一致"

    def county_desk(self) -> str:
        """县级汇总台"""
        # The example's unit in the register, the desk window opened as the menu opens it, the
        # 汇总 of that one unit equal to its report, and the 汇总's PDF with its appendix.
        from export.aggregate import appendix
        from gui.desk.window import open_desk
        from model import register
        from model.calc import as_number

        window = self.main_window
        assert window.session is not None
        agency = self.report.agency
        register.add_unit(window.session.db, agency, register.guess_kind(agency))
        desk_window = open_desk(window)
        try:
            _wait(desk_window.isVisible, "the desk window never showed")
            desk = desk_window.context.desk
            row = desk.row(agency)
            if row is None or row.report_id is None:
                raise SelfTestError(f"the desk has no report of {agency}")
            sums = desk.sums()
            keys = [key for key, cell in self.report.format.cells.items() if not cell.derived]
            wrong = [
                key
                for key in keys
                if as_number(sums.cells.get(key)) != as_number(self.report.cells.get(key))
            ]
            if wrong:
                raise SelfTestError(f"{len(wrong)} summed cells differ, e.g. {wrong[0]}")
            summed = sums.report("自检县人民政府")
            rendered = renderers.renderer("pdf").render(summed, appendix(desk.coverage()))
            if not rendered.data.startswith(b"%PDF-"):
                raise SelfTestError("the 汇总's PDF does not start with %PDF-")
            return f"{row.status.value}，汇总{len(keys)}个填报格一致，PDF{rendered.pages}页"
        finally:
            desk_window.close()

    def close(self) -> None:
        """Close the window and the database, so the temporary folder can be removed."""
        window = self._main_window
        if window is None:
            return
        if window.session is not None:
            window.session.close()
        window.hide()
        window.deleteLater()
        from PySide6.QtCore import QCoreApplication, QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _pdf_pages(data: bytes, rendered: Rendered) -> str:
    """A PDF opens in Qt's reader with the pages it was rendered with."""
    from gui.printing import load_pdf

    if not data.startswith(b"%PDF-"):
        raise SelfTestError("the file does not start with %PDF-")
    pages = load_pdf(data).pageCount()
    if not rendered.pages or pages != rendered.pages:
        raise SelfTestError(f"{pages} pages read back, {rendered.pages} rendered")
    # ReportLab's C accelerator (rl-accel) is imported by name in an exec(), which the
    # bundle's analysis cannot see: without it every export runs the pure-Python fallback.
    from reportlab.lib import rl_accel

    if rl_accel.fp_str.__module__ != "_rl_accel":
        raise SelfTestError("ReportLab's C accelerator _rl_accel is not in the bundle")
    return f"{pages}页，C加速，"


def _docx_text(data: bytes, rendered: Rendered) -> str:
    """A Word file is a zip whose body names the example's agency."""
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    if EXAMPLE_AGENCY not in body:
        raise SelfTestError(f"word/document.xml does not mention {EXAMPLE_AGENCY}")
    return ""


#: How a written document of each kind is read back, beyond its first bytes; the detail it
#: gives opens the check's result line.
_READ_BACK: dict[str, Callable[[bytes, Rendered], str]] = {
    "pdf": _pdf_pages,
    "docx": _docx_text,
}


def _wait(done: Callable[[], bool], failure: str) -> None:
    deadline = time.monotonic() + PAINT_TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            raise SelfTestError(failure)
        _process_events()
        time.sleep(0.01)


def _process_events() -> None:
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents()


def _ms(started: float) -> str:
    return f"{(time.perf_counter() - started) * 1000:.0f} ms"


def _version() -> str:
    import model

    return model.__version__


def _kind() -> str:
    return "安装版" if getattr(sys, "frozen", False) else "源代码"
