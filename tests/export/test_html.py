"""The web page export (issue 17): read back with lxml, then in a real browser (chromium
headless, tests/browser/chromium.py): axe-core, screenshots at 375 and 1280 px, and a paste
into a contenteditable editor the way Chromium pastes HTML.  And 复制网页版 in the window.

What a table cell must say is taken from the format definition (model/formats), not from the
renderer: each number sits in a <td> whose headers name its row label, its row groups, its
column label and its column groups."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement

from export.document import Paragraph, Table, build_document
from export.html import render, render_fragment, render_text
from export.renderers import renderer
from model.calc import all_values
from model.report import Report
from model.version import version_code
from tests.browser import chromium

from .conftest import narrative

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def long_text(example: Report) -> Report:
    """The example with ten pages of narrative and a hostile agency name."""
    texts = dict(example.texts, overview=narrative(40), problems=narrative(8))
    return dataclasses.replace(example, texts=texts, agency='某某<乡>人民政府 & "办事处"')


@pytest.fixture(params=["example", "sample", "stress", "long_text"])
def report(request: pytest.FixtureRequest) -> Report:
    value = request.getfixturevalue(request.param)
    assert isinstance(value, Report)
    return value


def _page(report: Report) -> HtmlElement:
    return lxml.html.document_fromstring(render(report).data)


def _grid(table: HtmlElement) -> dict[tuple[int, int], HtmlElement]:
    """The table's cells by grid position, each spanned position naming its cell (HTML's
    table model, as a browser builds it)."""
    grid: dict[tuple[int, int], HtmlElement] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            for dr in range(int(cell.get("rowspan", "1"))):
                for dc in range(int(cell.get("colspan", "1"))):
                    grid[(r + dr, c + dc)] = cell
            c += int(cell.get("colspan", "1"))
    return grid


def _text(element: HtmlElement) -> str:
    return "".join(element.itertext()).strip()


def _expected_headers(report: Report, key: str) -> set[str]:
    """A value's headings by the format: its row label and groups, its column label and the
    column groups above it (part 四: the row's groups and label head its columns)."""
    cell = report.format.cells[key]
    table = cell.table
    keys = [c.key for c in table.columns]
    where = keys.index(cell.column.key)
    column_groups = {
        label
        for label, first, last in table.column_groups
        if keys.index(first) <= where <= keys.index(last)
    }
    return {cell.row.label, *cell.row.groups, cell.column.label, *column_groups}


def _document_tables(report: Report) -> Iterator[tuple[str, Table]]:
    for section in build_document(report).sections:
        for block in section.blocks:
            if isinstance(block, Table):
                yield section.key, block


def _value_keys(report: Report) -> list[str]:
    """Every value cell the Document prints, part by part, row by row."""
    out = []
    for _, table in _document_tables(report):
        cells = sorted((c for c in table.cells if c.key), key=lambda c: (c.row, c.col))
        out += [c.key for c in cells if c.key is not None]
    return out


def _captions(report: Report) -> list[str]:
    captions = []
    for part in report.format.parts:
        for key in part.tables:
            table = report.format.table(key)
            captions.append(table.caption if table.stacked else part.heading.split("、", 1)[1])
    return captions


def _values_in(tables: list[HtmlElement], report: Report, *, by_headers: bool) -> list[str]:
    """Check every number of ``tables`` against the report and the format; return the keys in
    the order found.  ``by_headers``: the td's ``headers`` must name its headings (WCAG H43);
    otherwise (after a paste, where ids may be renamed) its headings must be <th> cells left of
    it in its row and above it in its column."""
    values = all_values(report.format, report.cells)
    document = {c.key: c.text for _, t in _document_tables(report) for c in t.cells if c.key}
    keys_in_order = _value_keys(report)
    found: list[str] = []
    for table in tables:
        grid = _grid(table)
        by_id = {e.get("id"): e for e in table.iter("th") if e.get("id")}
        seen: set[int] = set()
        for (r, c), cell in sorted(grid.items()):
            if cell.tag != "td" or id(cell) in seen or not _text(cell):
                continue
            seen.add(id(cell))
            key = keys_in_order[len(found)]
            found.append(key)
            assert _text(cell) == document[key], key
            assert _text(cell).startswith(str(values.get(key, 0))), key
            if by_headers:
                heads = [by_id[i] for i in cell.get("headers", "").split()]
            else:
                heads = [grid[(r, x)] for x in range(c)] + [grid[(y, c)] for y in range(r)]
            texts = {_text(h) for h in heads if h.tag == "th"}
            assert _expected_headers(report, key) <= texts, (key, texts)
            if by_headers:
                assert all(h.tag == "th" for h in heads), key
    assert found == keys_in_order
    return found


# ---------------------------------------------------------------------- read back with lxml


def test_the_page_is_a_standalone_utf8_page_with_the_version_code(report: Report) -> None:
    data = render(report).data
    assert data.startswith(b"<!DOCTYPE html>")
    assert data.decode("utf-8")
    page = _page(report)
    assert page.get("lang") == "zh-CN"
    assert page.find(".//meta[@charset]").get("charset") == "utf-8"
    assert "width=device-width" in page.find(".//meta[@name='viewport']").get("content")
    meta = page.find(".//meta[@name='nianbao-version']").get("content")
    assert meta == version_code(report)
    assert page.find(".//title").text == build_document(report).title
    assert render(report).pages is None


def test_headings_and_paragraphs_say_what_the_document_says(report: Report) -> None:
    document = build_document(report)
    page = _page(report)
    assert [_text(h) for h in page.iter("h1")] == [document.title]
    assert [_text(h) for h in page.iter("h2")] == [s.heading for s in document.sections]
    expected = [p.full_text for p in document.preamble]
    for section in document.sections:
        expected += [b.full_text for b in section.blocks if isinstance(b, Paragraph)]
    expected += [t for t in (document.signature, document.date) if t]
    printed = [_text(e) for e in page.iter("p", "h3")]
    assert printed == expected
    standalone = [
        p.lead
        for s in document.sections
        for p in s.blocks
        if isinstance(p, Paragraph) and p.lead and not p.text
    ]
    assert [_text(h) for h in page.iter("h3")] == standalone
    right = page.xpath("//p[contains(@style,'text-align:right')]")
    assert [_text(p) for p in right] == [t for t in (document.signature, document.date) if t]


def test_every_number_is_in_its_td_with_headers_naming_its_row_and_column(
    report: Report,
) -> None:
    page = _page(report)
    tables = page.xpath("//table")
    assert [_text(t.find("caption")) for t in tables] == _captions(report)
    found = _values_in(tables, report, by_headers=True)
    assert len(found) == len(report.format.cells)  # every cell the format has, 0 as 0
    for table in tables:
        assert not table.xpath(".//td[not(@headers)]//text()")  # no value without headers
        # every label cell is a <th>: the format's row labels all appear as th
        assert table.getparent().tag == "div"
        assert "overflow-x:auto" in table.getparent().get("style")


def test_spans_follow_the_official_form(sample: Report) -> None:
    """Part 三 of the 2021 format: three label columns under a corner cell, three header rows
    (申请人情况 › 法人或其他组织 › 商业企业…)."""
    table = _page(sample).xpath("//table")[-2]
    grid = _grid(table)
    assert _text(grid[(0, 3)]) == "申请人情况" and grid[(0, 3)].get("colspan") == "7"
    assert _text(grid[(1, 4)]) == "法人或其他组织" and grid[(1, 4)].get("colspan") == "5"
    assert _text(grid[(2, 4)]) == "商业企业"
    assert _text(grid[(5, 0)]) == "三、本年度办理结果" and grid[(5, 0)].get("rowspan") == "22"
    assert grid[(0, 0)] is grid[(2, 2)]  # the corner
    assert len({id(e) for e in grid.values()}) == len(table.xpath(".//td|.//th"))
    width = {c for (_, c) in grid}
    assert width == set(range(10))


def test_the_page_is_style_light_and_escapes_everything(long_text: Report) -> None:
    html = render(long_text).data.decode("utf-8")
    for forbidden in ("nowrap", "<script", "<style", "class=", "<font", ' width="'):
        assert forbidden not in html.lower(), forbidden
    assert not re.search(r"(?<!-)width:\s*[\d.]+px", html)  # no fixed pixel widths
    sizes = re.findall(r"font-size:\s*([^;\"]+)", html)
    assert sizes and all(s.endswith(("%", "em")) for s in sizes), sizes
    page = _page(long_text)
    assert page.find(".//meta[@name='author']").get("content") == long_text.agency
    signature = page.xpath("//p[contains(@style,'text-align:right')]")[0]
    assert _text(signature) == long_text.agency  # the 落款, escaped and read back
    assert "&lt;乡&gt;" in html and "<乡>" not in html


def test_the_fragment_is_the_pages_body(report: Report) -> None:
    fragment = render_fragment(report)
    assert "<html" not in fragment and "<head" not in fragment and "<meta" not in fragment
    assert fragment in render(report).data.decode("utf-8")
    assert fragment.startswith("<div")


def test_the_plain_text_has_tables_as_tab_separated_rows(sample: Report) -> None:
    text = render_text(sample)
    lines = text.splitlines()
    assert lines[0] == build_document(sample).title
    row = next(line for line in lines if line.startswith("一、本年新收政府信息公开申请数量"))
    assert row.split("\t")[3:] == ["38", "9", "0", "0", "4", "2", "53"]
    assert "行政事业性收费\t126.4370" in lines
    for paragraph in build_document(sample).sections[0].blocks:
        assert isinstance(paragraph, Paragraph) and paragraph.full_text in lines


def test_html_is_a_renderer_the_menu_and_command_line_offer() -> None:
    html = renderer("html")
    assert html.label == "网页版" and html.suffix == ".html"
    assert html.starts == b"<!DOCTYPE html"


def test_the_web_page_is_fast_against_the_word_file(long_text: Report) -> None:
    """Issue 17, item 4: the HTML export as a ratio against the Word export of the same report
    (benchmarks/bench_html.py measures it properly)."""

    def best(produce) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(3):
            start = time.perf_counter()
            produce(long_text)
            times.append(time.perf_counter() - start)
        return min(times)

    renderer("docx").render(long_text)  # imports
    ratio = best(lambda r: render(r)) / best(lambda r: renderer("docx").render(r))
    assert ratio < 0.5, ratio


# ---------------------------------------------------------------------- a real browser


@pytest.fixture(params=["example", "sample", "long_text"])
def browsed(request: pytest.FixtureRequest) -> Report:
    chromium.require()
    value = request.getfixturevalue(request.param)
    assert isinstance(value, Report)
    return value


def test_axe_core_finds_no_violation(browsed: Report, tmp_path: Path) -> None:
    results = chromium.axe(render(browsed).data.decode("utf-8"), tmp_path)
    assert results["violations"] == []
    assert isinstance(results["passes"], int) and results["passes"] >= 15


_WIDE = "<style>html{width:375px;background:#fff}</style></head>"
_MEASURE = (
    "var boxes=[].slice.call(document.querySelectorAll('table')).map(function(t){"
    "var d=t.parentNode;return {caption:t.caption.textContent,overflow:getComputedStyle(d)"
    ".overflowX,scrolls:d.scrollWidth>d.clientWidth,right:d.getBoundingClientRect().right}});"
    "report({page:document.body.scrollWidth,boxes:boxes});"
)


def test_on_a_phone_only_the_tables_scroll(browsed: Report, tmp_path: Path) -> None:
    """375 px wide: the page itself never scrolls sideways; a wide table scrolls in its box.
    By pixels: laid out 375 px wide in a 1280 px window, nothing is drawn right of 375 px."""
    html = render(browsed).data.decode("utf-8")
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    narrow = chromium.screenshot(page, tmp_path / "375.png", 375, 3000)
    chromium.screenshot(page, tmp_path / "1280.png", 1280, 3000)
    from PIL import Image

    with Image.open(narrow) as image:
        assert image.size == (375, 3000)
    # Headless chromium lays a window out at least 500 px wide: the page is pinned to 375 px.
    pinned_html = html.replace("</head>", _WIDE, 1)
    pinned = tmp_path / "pinned.html"
    pinned.write_text(pinned_html, encoding="utf-8")
    with Image.open(chromium.screenshot(pinned, tmp_path / "pinned.png", 1280, 6000)) as image:
        shot = image.convert("L")
    left = shot.crop((0, 0, 375, shot.height))
    right = shot.crop((380, 0, shot.width, shot.height))
    assert left.getextrema()[0] < 100  # the page did draw (text is dark)
    assert right.getextrema() == (255, 255), "something is drawn beyond 375 px"
    measured = tmp_path / "measure.html"
    measured.write_text(chromium.with_script(pinned_html, _MEASURE), encoding="utf-8")
    dom = chromium.dump_dom(measured)
    value = chromium.result(dom)
    assert isinstance(value, dict)
    assert value["page"] <= 375
    boxes = value["boxes"]
    assert all(b["overflow"] == "auto" and b["right"] <= 375 for b in boxes)
    part_three = boxes[-2]
    assert part_three["caption"] == "收到和处理政府信息公开申请情况"
    assert part_three["scrolls"]  # too wide for a phone: it scrolls inside its box


def test_pasted_into_an_editor_every_number_stays_in_its_table(
    browsed: Report, tmp_path: Path
) -> None:
    dom = chromium.paste(render_fragment(browsed), tmp_path)
    root = lxml.html.document_fromstring(dom)
    assert root.find(".//title").text == "pasted"
    editor = root.get_element_by_id("editor")
    tables = editor.xpath(".//table")
    assert [_text(t.find("caption")) for t in tables] == _captions(browsed)
    _values_in(tables, browsed, by_headers=False)
    document = build_document(browsed)
    assert _text(editor.find(".//h1")) == document.title


# ---------------------------------------------------------------------- 复制网页版


@pytest.mark.gui
def test_copy_web_page_puts_html_and_text_on_the_clipboard(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: Report
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    from gui.app import create_application, open_database
    from gui.main_window import MainWindow
    from gui.settings import Settings

    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: None)
    create_application([])
    window = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert open_database(window, tmp_path / "gui.sqlite3")
    assert window.session is not None
    try:
        window.session.import_report(sample, replace=False)
        file_menu = window.menuBar().actions()[0].menu()
        texts = [a.text() for a in file_menu.actions()]
        assert "导出网页版…" in texts and "复制网页版(&C)" in texts
        window.copy_html_action.trigger()
        data = QGuiApplication.clipboard().mimeData()
        assert data.hasHtml() and data.hasText()
        assert render_fragment(window.session.report) in data.html()
        assert data.text() == render_text(window.session.report)
        assert "已复制网页版" in window.statusBar().currentMessage()
        QGuiApplication.clipboard().clear()
        window.preview.copy_html_button.click()
        pasted = lxml.html.fragment_fromstring(
            QGuiApplication.clipboard().mimeData().html(), create_parent="div"
        )
        _values_in(pasted.xpath(".//table"), sample, by_headers=True)
    finally:
        window.session.close()
