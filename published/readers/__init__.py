"""Reading a published report back: a web page, a Word file, a PDF or copied text → a report.

Qt-free, like :mod:`model` and :mod:`export`.  See :mod:`published.pipeline` for the stages.

The readers turn every input into one :class:`published.document.SourceDocument` (paragraphs
and tables in reading order, each with where it came from).  They deliver text and tables only,
never what the report says.  Inputs that cannot be read raise
:class:`published.result.NotAReport` with a message in Chinese saying what to do instead.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from published.document import SourceDocument
from published.readers._common import ACCEPTED, CONVERT, not_a_report
from published.readers.docx import read_docx
from published.readers.html import decode_html, looks_like_mhtml, read_html, read_mhtml
from published.readers.pdf import read_pdf
from published.readers.text import read_text
from published.result import NotAReport

__all__ = ["read_bytes", "read_clipboard", "read_html", "read_path", "read_text"]

_TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".jsp", ".asp", ".aspx", ".php"}
_OLD = {".doc", ".wps", ".ofd", ".et", ".xls", ".ppt", ".dps"}


def read_path(path: Path) -> SourceDocument:
    """Read a file: what it is comes from its content first, its suffix second."""
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise not_a_report(f"“{path.name}”是一个文件夹，不是文件。") from exc
    except FileNotFoundError as exc:
        raise not_a_report(f"找不到文件“{path.name}”。") from exc
    except OSError as exc:
        raise not_a_report(f"无法打开文件“{path.name}”：{exc.strerror or exc}") from exc
    return read_bytes(data, path.name)


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "broken"
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or any(
        name.lower().endswith("/ofd.xml") or name.lower() == "ofd.xml" for name in names
    ):
        return "ofd"
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
        return "office"
    return "zip"


def _looks_like_html(head: str) -> bool:
    lower = head[:4096].lower()
    return any(
        mark in lower
        for mark in (
            "<html",
            "<!doctype html",
            "<table",
            "<body",
            "<head",
            "<meta",
            "<div",
            "<p>",
            "<p ",
            "<br",
        )
    )


def _decode_text(data: bytes) -> str | None:
    """Bytes of a text file: BOM, UTF-8, GB18030; None when it is not text."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t\f")
        if controls > max(2, len(text[:20000]) // 200):
            return None
        return text
    return None


def read_bytes(data: bytes, name: str) -> SourceDocument:
    """Read the bytes of a file named ``name`` (the name gives the suffix and the clerk's name)."""
    suffix = Path(name).suffix.lower()
    if not data or not data.strip():
        raise not_a_report(f"文件“{name}”是空的。")
    head = data[:1024]
    if b"%PDF-" in head:
        return read_pdf(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise not_a_report(f"“{name}”是旧版Word/WPS文件（.doc/.wps），无法直接读取；{CONVERT}。")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        kind = _zip_kind(data)
        if kind == "docx":
            return read_docx(data, name)
        if kind == "ofd":
            raise not_a_report(f"“{name}”是OFD版式文件，无法直接读取；{CONVERT}。")
        if kind == "broken" and suffix == ".docx":
            return read_docx(data, name)  # says it is damaged
        if kind == "broken" and suffix == ".ofd":
            raise not_a_report(f"“{name}”是OFD版式文件，无法直接读取；{CONVERT}。")
        raise not_a_report(f"无法读取“{name}”：这不是年报文件。{ACCEPTED}。")
    if suffix == ".pdf":
        raise not_a_report(f"“{name}”不是有效的PDF文件（已损坏或不完整）。")
    if suffix == ".docx":
        raise not_a_report(
            f"“{name}”不是有效的Word文件（已损坏或不完整）；请在WPS或Word中打开后重新另存为.docx。"
        )
    # Sites often serve a web page (or a page saved as .mht) under a .doc name: read by content.
    if looks_like_mhtml(head) or (
        suffix in (".mhtml", ".mht", ".doc") and b"multipart" in data[:8192].lower()
    ):
        return read_mhtml(data, name)
    text = _decode_text(data)
    if text is None:
        if suffix in _OLD:
            raise not_a_report(f"“{name}”的格式无法直接读取；{CONVERT}。")
        raise not_a_report(f"无法读取“{name}”：文件类型不认识。{ACCEPTED}。")
    start = text.lstrip()[:4096]
    if start.startswith("{\\rtf") or "<w:wordDocument" in start or "mso-application" in start:
        raise not_a_report(f"“{name}”是RTF或Word 2003 XML文件，无法直接读取；{CONVERT}。")
    if suffix in _TEXT_SUFFIXES and suffix:
        # Text that happens to hold a “<p>” stays text; a page saved as .txt is still a page.
        markup = text.lstrip().startswith("<") and _looks_like_html(text)
    else:
        markup = suffix in _HTML_SUFFIXES or suffix in (".mhtml", ".mht") or _looks_like_html(text)
    if markup:
        return read_html(decode_html(data), name)
    if suffix in _OLD:
        raise not_a_report(f"“{name}”的格式无法直接读取；{CONVERT}。")
    return read_text(text, name)


def read_clipboard(html: str | None, text: str | None) -> SourceDocument:
    """What a browser put on the clipboard: its HTML when there is some (a fragment, perhaps
    with ``<!--StartFragment-->`` marks and a ``Version:…StartHTML:…`` header), else its text."""
    if html and html.strip():
        fragment = html
        if fragment.lstrip().startswith("Version:"):
            start = fragment.find("<")
            fragment = fragment[start:] if start >= 0 else ""
        begin = fragment.find("<!--StartFragment-->")
        end = fragment.find("<!--EndFragment-->")
        if begin >= 0 and end > begin:
            fragment = fragment[begin + len("<!--StartFragment-->") : end]
        if fragment.strip():
            try:
                return read_html(fragment, "粘贴的内容", kind="网页")
            except NotAReport:
                if not (text and text.strip()):
                    raise
    if text and text.strip():
        return read_text(text, "粘贴的内容")
    raise not_a_report("剪贴板中没有内容：请在浏览器中选中年报全文，复制后再粘贴。")
