"""Every way a report leaves the program as a document, in one list.

The command line (``export --pdf/--docx``), the window's 文件 menu, the preview tab's buttons
and the self-test all read :data:`RENDERERS`, so a new kind of document (a web page) is one
module with a ``render(report, appendix=None) -> Rendered`` function and one line here.

Importing this module is cheap: a renderer's module (ReportLab, python-docx) is imported on
its first use, so the window can list the exports before it has loaded either library.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from export.document import Appendix
    from model.files import FileKind
    from model.report import Report


@dataclass(frozen=True)
class Rendered:
    """A document ready to write to a file."""

    data: bytes
    #: The number of pages, when the format fixes them (PDF); None when the reader's program
    #: lays the pages out (Word).
    pages: int | None
    #: Things the clerk should know before printing or publishing (characters no font has).
    warnings: tuple[str, ...] = ()


class _RendererModule(Protocol):
    def render(self, report: Report, appendix: Appendix | None = None) -> Rendered: ...


@dataclass(frozen=True)
class Renderer:
    """One kind of document: what it is called, its file, and the module that renders it."""

    name: str  # the command line's option: --pdf
    label: str  # in the menu and on the buttons: 导出PDF
    noun: str  # in the status line: 已导出PDF（3页）
    suffix: str  # .pdf
    file_filter: str  # for the file dialog
    module: str  # imported on first use; it has ``render(report) -> Rendered``
    #: How its files start (``%PDF``): an export may replace only an earlier one of its kind,
    #: and the command line checks that before rendering anything.
    starts: bytes
    #: The command line's help for its option; by default “导出HTML文件（.html）”.
    help: str = ""

    def render(self, report: Report, appendix: Appendix | None = None) -> Rendered:
        """``report`` as this kind of document; ``appendix`` (a 汇总's coverage) is printed
        after its 落款 as 附件."""
        module = cast(_RendererModule, importlib.import_module(self.module))
        if appendix is None:
            return module.render(report)
        return module.render(report, appendix)

    @property
    def file_kind(self) -> FileKind:
        """Its files, as :func:`model.files.write_atomically` checks what an export replaces."""
        from model.files import FileKind  # not at start-up: the window lists exports early

        return FileKind(self.starts, (self.suffix,), f"{self.label}文件")

    @property
    def option_help(self) -> str:
        return self.help or f"导出{self.label}文件（{self.suffix}）"

    def describe(self, rendered: Rendered) -> str:
        """What was written, for the status line: “PDF（3页）”, “Word文档”."""
        pages = f"（{rendered.pages}页）" if rendered.pages is not None else ""
        return f"{self.noun}{pages}"


RENDERERS: tuple[Renderer, ...] = (
    Renderer(
        "pdf", "PDF", "PDF", ".pdf", "PDF 文件 (*.pdf)", "export.pdf", b"%PDF", "导出可打印的PDF"
    ),
    Renderer(
        "docx",
        "Word",
        "Word文档",
        ".docx",
        "Word 文档 (*.docx)",
        "export.docx",
        b"PK\x03\x04",
        "导出可编辑的Word文件（.docx）",
    ),
    Renderer(
        "html",
        "网页版",
        "网页",
        ".html",
        "网页文件 (*.html *.htm)",
        "export.html",
        b"<!DOCTYPE html",
        "导出网页版（.html），用于在政府网站发布",
    ),
)


def renderer(name: str) -> Renderer:
    """The renderer called ``name`` (``"pdf"``, ``"docx"``)."""
    for candidate in RENDERERS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)
