"""A saved web page (.html/.htm, .mhtml/.mht) or HTML from the clipboard → paragraphs and tables.

The encoding comes from a BOM, then the page's own declaration, then UTF-8, then GB18030 (which
reads GBK and GB2312 pages).  The report is looked for in the usual content containers of
government sites; scripts, styles, comments, navigation and the text Word leaves behind when a
document is pasted into a CMS are dropped.  Tables are expanded into grids; a layout table
holding other tables gives its content as blocks and the inner tables as tables."""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from email.message import Message

import lxml.etree  # type: ignore[import-untyped]  # lxml ships no type information
import lxml.html  # type: ignore[import-untyped]

from published.document import Origin, SourceBlock, SourceDocument, SourceParagraph
from published.readers._common import (
    RawCell,
    expand_grid,
    join_lines,
    not_a_report,
    snippet,
    spaces,
    span_value,
    table_has_text,
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

# Elements whose content is never report text.
_DROP_TAGS = {
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head",
    "xml", "select", "button", "input", "textarea", "canvas", "audio", "video", "map",
}  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "header", "footer", "main", "aside", "blockquote", "pre", "center",
    "address", "figure", "figcaption", "hr", "nav", "body", "html", "form", "fieldset", "caption",
    "tr", "td", "th", "thead", "tbody", "tfoot",
}  # fmt: skip
# Content containers of common government CMSs, most specific first.
_CONTENT_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='zoom' or @id='Zoom' or @id='ZOOM']",
    "//*[@id='UCAP-CONTENT' or @id='ucap-content']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article_content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' word_con ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' pages_content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' zoom ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' content ')]",
    "//*[@id='content']",
    "//article",
)
# Navigation noise outside a content container: breadcrumbs, share bars, site navigation.
_NOISE = re.compile(
    r"breadcrumb|crumb|share|bdshare|position|location|dqwz|(^|[\s_-])nav|menu|footer|header|toolbar|print",
    re.I,
)
# What Word leaves in pasted HTML when the comment marks were lost.
_WORD_NOISE = (
    re.compile(
        r"Normal\s+0\s+(?:[\d.]+\s*(?:磅|pt)\s+)?(?:\d+\s+){0,3}(?:false\s+){1,4}"
        r"(?:[A-Z]{2}-[A-Z]{2}\s+){1,3}(?:X-NONE\s*)?(?:MicrosoftInternetExplorer4\s*)?"
    ),
    re.compile(r"/\*\s*Style Definitions\s*\*/"),
    re.compile(r"[A-Za-z0-9_.#:\-\s,]*\{[^{}]*mso-[^{}]*\}"),
    re.compile(r"(?:DefSemiHidden|DefUnhideWhenUsed|DefQFormat|DefPriority|LatentStyleCount)\S*"),
)


# ------------------------------------------------------------------ decoding


def _codec(name: str) -> str | None:
    try:
        found = codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return "gb18030" if found in ("gb2312", "gbk", "hz") else found


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Bytes of a page → text: BOM, the declared charset, UTF-8, GB18030 in that order."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    tried: list[str] = []
    names: list[str] = [declared] if declared else []
    match = _META_CHARSET.search(data[:32768])
    if match:
        names.append(match.group(1).decode("ascii", "ignore"))
    for name in [*names, "utf-8", "gb18030"]:
        found = _codec(name) if name else None
        if found is None or found in tried:
            continue
        tried.append(found)
        try:
            return data.decode(found)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def _unescape_js(text: str) -> str:
    """HTML that arrived inside a JavaScript string (``<table class=\\"x\\">``) → plain HTML."""
    if re.search(r"<(?:table|td|tr|p|div)\b[^<>]*\\\"", text, re.I):
        text = text.replace('\\"', '"').replace("\\/", "/").replace("\\'", "'")
        text = text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\t", " ")
    return text


# ------------------------------------------------------------------ the tree


def _tag(el: lxml.etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    # Word's own elements keep their prefix (<o:p> is not a paragraph: it is inline).
    return tag.lower()


_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _hidden(el: lxml.etree._Element) -> bool:
    """Hidden from the reader of the page (and holding no table, in case a script shows it)."""
    return bool(
        isinstance(el.tag, str)
        and (_HIDDEN.search(el.get("style", "")) or el.get("hidden") is not None)
        and next(el.iter("table"), None) is None
    )


def _clean(root: lxml.etree._Element) -> None:
    """Drop comments, scripts, styles, hidden elements and Word's XML islands in place (keeping
    tails)."""
    doomed = [
        el
        for el in root.iter()
        if not isinstance(el.tag, str)
        or _hidden(el)
        or _tag(el) in _DROP_TAGS
        or (isinstance(el.tag, str) and el.tag.lower().startswith(("w:", "m:", "v:")))
    ]
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        prev = el.getprevious()
        parent.remove(el)
        if tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail


def _text_len(el: lxml.etree._Element) -> int:
    return len("".join("".join(el.itertext()).split()))


def _count(el: lxml.etree._Element, tag: str) -> int:
    return sum(1 for _ in el.iter(tag))


def _content_root(body: lxml.etree._Element) -> lxml.etree._Element:
    """The CMS content container holding the report, else the body."""
    body_text = _text_len(body)
    body_cells = _count(body, "td") + _count(body, "th")
    for xpath in _CONTENT_XPATHS:
        found = [el for el in body.xpath(xpath) if isinstance(el, lxml.etree._Element)]
        best: lxml.etree._Element | None = None
        best_len = -1
        for el in found:
            length = _text_len(el)
            if length > best_len:
                best, best_len = el, length
        if best is None or best_len < 100:
            continue
        cells = _count(best, "td") + _count(best, "th")
        if body_cells and cells * 2 < body_cells:
            continue  # the tables of the report are elsewhere
        if best_len * 10 < body_text * 3 and cells < body_cells:
            continue
        return best
    return body


def _strip_noise(root: lxml.etree._Element) -> None:
    """Breadcrumbs, share bars and navigation (outside a content container): elements named so
    by their class or id that hold no table and little text."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el is root:
            continue
        names = f"{el.get('class', '')} {el.get('id', '')}"
        noisy = _tag(el) == "nav" or bool(names.strip() and _NOISE.search(names))
        if noisy and next(el.iter("table"), None) is None and _text_len(el) < 300:
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None and el.getparent() is not None:
            tail = el.tail
            prev = el.getprevious()
            parent.remove(el)
            if tail:
                if prev is not None:
                    prev.tail = (prev.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail


def _word_noise(text: str) -> str:
    for pattern in _WORD_NOISE:
        text = pattern.sub(" ", text)
    return text


def _cell_text(el: lxml.etree._Element) -> str:
    """A cell's text: its lines (inner <p>, <br>) joined by nothing, odd spaces made plain."""
    parts: list[str] = []

    def walk(node: lxml.etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            block = _tag(child) in _BLOCK_TAGS or _tag(child) == "br"
            if block:
                parts.append("\n")
            walk(child)
            if block:
                parts.append("\n")
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return join_lines(spaces("".join(parts)).strip())


def _rows(table: lxml.etree._Element) -> list[lxml.etree._Element]:
    """The rows of this table, not of tables nested in it."""
    rows = []
    for tr in table.iter("tr"):
        owner = next((a for a in tr.iterancestors("table")), None)
        if owner is table:
            rows.append(tr)
    return rows


def _has_nested(table: lxml.etree._Element) -> bool:
    return any(True for el in table.iterdescendants("table"))


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[SourceBlock] = []
        self.line: list[str] = []
        self.n_tables = 0
        self.n_paragraphs = 0

    def flush(self) -> None:
        text = _word_noise(join_lines(spaces("".join(self.line))))
        self.line = []
        text = " ".join(text.split(" "))  # keep single spaces as printed
        text = text.strip()
        if text:
            self.n_paragraphs += 1
            self.blocks.append(
                SourceParagraph(text, Origin(f"第{self.n_paragraphs}段", snippet(text)))
            )

    def table(self, el: lxml.etree._Element) -> None:
        self.flush()
        for caption in el.findall("caption"):
            self.walk(caption)
            self.flush()
        if _has_nested(el):
            # A layout table: its text and the tables inside it, in order.
            for tr in _rows(el):
                for cell in tr:
                    if _tag(cell) in ("td", "th"):
                        self.walk(cell)
                        self.flush()
            return
        raw: list[list[RawCell]] = []
        trs = _rows(el)
        for r, tr in enumerate(trs):
            raw.append(
                [
                    RawCell(
                        _cell_text(td),
                        span_value(td.get("colspan"), 1000),
                        span_value(td.get("rowspan"), len(trs) - r),
                    )
                    for td in tr
                    if _tag(td) in ("td", "th")
                ]
            )
        self.n_tables += 1
        grid = expand_grid(raw, f"第{self.n_tables}个表格")
        if grid is None or not table_has_text(grid):
            self.n_tables -= 1
            return
        if grid.width == 1:
            # A one-column table is a frame around text: its rows are paragraphs.
            self.n_tables -= 1
            for row in grid.rows:
                self.line.append(row[0].text)
                self.flush()
            return
        self.blocks.append(grid)

    def walk(self, el: lxml.etree._Element) -> None:
        tag = _tag(el)
        if el.text:
            self.line.append(el.text)
        for child in el:
            ctag = _tag(child)
            if ctag == "table":
                self.table(child)
            elif ctag == "br":
                self.flush()
            elif ctag in _BLOCK_TAGS:
                self.flush()
                self.walk(child)
                self.flush()
            elif ctag:
                self.walk(child)
            if child.tail:
                self.line.append(child.tail)
        del tag


def _title(doc: lxml.etree._Element) -> str | None:
    for xpath in ("//title", "//h1"):
        for el in doc.xpath(xpath):
            if isinstance(el, lxml.etree._Element):
                text = " ".join(spaces("".join(el.itertext())).split())
                if text:
                    return text
    return None


def read_html(html: str | bytes, name: str = "网页", kind: str = "网页") -> SourceDocument:
    text = decode_html(html) if isinstance(html, bytes) else html
    text = _unescape_js(_XML_DECL.sub("", text.lstrip("\ufeff")))
    if not text.strip():
        raise not_a_report("内容是空的：没有可以读取的文字。")
    try:
        doc = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise not_a_report("无法读取这个网页（HTML格式损坏）。") from exc
    title = _title(doc)
    _clean(doc)
    body = doc.find("body")
    if body is None:
        body = doc
    root = _content_root(body)
    if root is body:
        _strip_noise(body)
    walker = _Walker()
    if _tag(root) == "table":
        walker.table(root)
    else:
        walker.walk(root)
    walker.flush()
    if not walker.blocks:
        raise not_a_report("网页中没有可以读取的文字。")
    return SourceDocument(kind=kind, name=name, blocks=tuple(walker.blocks), title=title)


# ------------------------------------------------------------------ MHTML


def _html_part(message: Message) -> Message | None:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part
    return None


def read_mhtml(data: bytes, name: str) -> SourceDocument:
    """A page saved as one file (.mhtml/.mht): its text/html part, decoded per its headers."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    part = _html_part(message)
    if part is None:
        raise not_a_report("这个.mhtml文件中没有网页内容。")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise not_a_report("这个.mhtml文件中的网页是空的。")
    charset = part.get_content_charset()
    return read_html(decode_html(payload, charset), name, kind="网页")


def looks_like_mhtml(head: bytes) -> bool:
    lower = head[:4096].lower()
    return (
        lower.startswith((b"from:", b"mime-version:", b"content-type:", b"subject:", b"date:"))
        or b"\nmime-version:" in lower
    ) and b"multipart/related" in lower


__all__ = ["decode_html", "looks_like_mhtml", "read_html", "read_mhtml"]
