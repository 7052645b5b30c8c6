"""Reading a published report, stage by stage.

    read_published(path) -> Imported            a saved page, .mhtml, .txt, .docx or .pdf
    read_published_text(text) -> Imported       text copied from a browser
    read_published_clipboard(html, text)        a browser copy (its HTML preferred)

1. a reader (:mod:`published.readers`) turns the input into a :class:`SourceDocument`:
   paragraphs and expanded table grids in reading order;
2. :mod:`published.sections` finds the six part headings in the text and cuts the narrative
   texts (前言, 总体情况, 存在的主要问题, 其他需要报告的事项); :mod:`published.meta` finds the agency,
   the year, the title and the 落款;
3. :mod:`published.tables` reads the official tables from the grids, and where a table is not
   a grid (text copied from a page runs its cells together) :mod:`published.flat` reads its rows
   from the text, splitting glued digits only where the totals leave one reading
   (:mod:`published.solver`);
4. :mod:`published.detect` decides the format from the tables (the year only where they say
   nothing) and names hybrids;
5. here the readings become one :class:`~model.report.Report` in that format: input cells in
   ``cells``, printed totals in ``declared`` (the checks compare them with the computed ones),
   and everything that could not be read without a decision in ``Imported.unread``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from model.calc import all_values, as_number
from model.formats import FORMATS, ReportFormat
from model.report import Report
from model.values import CellValue
from published.document import Origin, SourceDocument
from published.result import Imported, NotAReport, ReadCell, TableRead, Unread

if TYPE_CHECKING:
    from model.formats import Table
    from published.sections import Sections

#: The parts whose tables a copied page runs into its text.
_TABLE_PARTS = ("active", "requests", "appeals")


def read_published(path: Path) -> Imported:
    """The report published in the file at ``path``."""
    from published.readers import read_path

    return read_document(read_path(path))


def read_published_text(text: str, name: str = "粘贴的内容") -> Imported:
    from published.readers import read_text

    return read_document(read_text(text, name))


def read_published_clipboard(html: str | None, text: str | None) -> Imported:
    from published.readers import read_clipboard

    return read_document(read_clipboard(html, text))


def read_document(doc: SourceDocument) -> Imported:
    """The report in ``doc``; :class:`NotAReport` when it holds none."""
    from published.detect import choose_format
    from published.meta import read_meta
    from published.sections import find_sections, flatten, read_texts
    from published.tables import read_tables

    flat = flatten(doc)
    sections = find_sections(flat)
    meta = read_meta(doc, sections)
    reads = list(read_tables(doc.tables()))
    reads += _from_text(sections, {r.table_key for r in reads if r.cells or r.unread})
    if not any(r.cells or r.unread for r in reads):
        raise NotAReport(
            f"在“{doc.name}”中没有找到政府信息公开工作年度报告的表格"
            "（第二、三、四部分的统计表）。请确认这是已发布的年度报告；"
            "扫描件和图片无法读取。"
        )
    fmt, format_notes = choose_format(reads, meta.year)
    notes: list[str] = [*doc.notes, *sections.notes, *meta.notes, *format_notes]
    for read in reads:
        notes += read.notes
    texts = read_texts(sections)
    report = Report(
        format_id=fmt.id,
        agency=meta.agency or "",
        year=meta.year or 0,
        title=meta.title,
        texts={key: text for key, (text, _) in texts.items() if text and key in fmt.text_keys},
        signature_agency=meta.signature_agency,
        signature_date=meta.signature_date,
    )
    if not meta.agency:
        notes.append("没有找到发布单位的名称，请填写")
    if not meta.year:
        notes.append("没有找到报告的年度，请填写")
    cells, found_unread, mapping_notes = _assemble(fmt, reads)
    unread = list(found_unread)
    notes += mapping_notes
    unread += _foreign_units(fmt, cells)
    for key, cell in cells.items():
        if not _foreign_unit(fmt, key, cell):
            _store(report, fmt, key, cell)
    unread += _not_found(fmt, cells, unread, reads)
    _units_of_unread(report, fmt, unread)
    _drop_agreeing_totals(report, fmt)
    return Imported(
        report=report,
        cells=cells,
        unread=tuple(unread),
        notes=tuple(dict.fromkeys(notes)),
        source_kind=doc.kind,
        source_name=doc.name,
        texts={key: origin for key, (text, origin) in texts.items() if text},
    )


def _from_text(sections: Sections, found: set[str]) -> list[TableRead]:
    """The tables a copied page ran into its text, where no grid held them."""
    from published.flat import read_flat

    wanted = {t.key for fmt in FORMATS.values() for t in fmt.tables}
    if wanted <= found:
        return []
    flat = sections.flat
    spans = [sections.parts[p] for p in _TABLE_PARTS if p in sections.parts]
    if spans:
        start = min(s for s, _ in spans)
        end = max(e for _, e in spans)
    else:  # no headings found: the rows are looked for in the whole text
        start, end = 0, len(flat.text)

    def origin(a: int, b: int) -> Origin:
        return flat.origin(start + a, start + b)

    return [r for r in read_flat(flat.text[start:end], origin) if r.table_key not in found]


def _assemble(
    fmt: ReportFormat, reads: Sequence[TableRead]
) -> tuple[dict[str, ReadCell], list[Unread], list[str]]:
    """The cells of ``reads`` in ``fmt``'s keys.  A table read in another format keeps the
    cells whose keys ``fmt`` has too; a row ``fmt`` has and the table lacks is for the clerk."""
    cells: dict[str, ReadCell] = {}
    unread: list[Unread] = []
    notes: list[str] = []
    for read in reads:
        table = _table(fmt, read.table_key)
        if table is None:
            notes.append(f"{_caption(read)}不属于{fmt.id}年格式，未导入")
            continue
        for cell in read.cells:
            if cell.key in fmt.cells and cell.key not in cells:
                cells[cell.key] = cell
        unread += [u for u in read.unread if all(k in fmt.cells for k in u.keys)]
        if read.format_id != fmt.id:
            unread += _rows_missing(fmt, read, cells, unread)
    return cells, unread, notes


def _rows_missing(
    fmt: ReportFormat, read: TableRead, cells: dict[str, ReadCell], unread: Iterable[Unread]
) -> list[Unread]:
    """The rows of ``fmt``'s table that a table read in another format has no cells for: their
    cells are left for the clerk, with the other format's rows that ``fmt`` lacks as the source."""
    table = fmt.table(read.table_key)
    pending = {k for u in unread for k in u.keys}
    foreign = [c for c in read.cells if c.key not in fmt.cells]
    printed = "；".join(f"{_label_of(read, c.key)}：{c.printed or '空白'}" for c in foreign[:12])
    out = []
    for row in table.rows:
        keys = tuple(
            f"{table.key}.{row.key}.{col.key}"
            for col in table.columns
            if not fmt.cells[f"{table.key}.{row.key}.{col.key}"].derived
        )
        if not keys or any(k in cells or k in pending for k in keys):
            continue
        reason = (
            f"原报告此表为{read.format_id}年格式，没有“{row.label}”这一行"
            + (f"（原表另有：{printed}）" if printed else "")
            + "，请按实际情况填写"
        )
        out.append(Unread(keys, reason, read.origin))
    return out


def _label_of(read: TableRead, key: str) -> str:
    fmt = FORMATS.get(read.format_id)
    if fmt is None or key not in fmt.cells:
        return key
    cell = fmt.cells[key]
    return f"“{cell.row.label}”{cell.column.label}"


def _caption(read: TableRead) -> str:
    fmt = FORMATS.get(read.format_id)
    if fmt is not None:
        try:
            return f"“{fmt.table(read.table_key).caption}”"
        except KeyError:
            pass
    return f"表格“{read.table_key}”"


def _table(fmt: ReportFormat, key: str) -> Table | None:
    try:
        return fmt.table(key)
    except KeyError:
        return None


def _foreign_unit(fmt: ReportFormat, key: str, cell: ReadCell) -> bool:
    """A money value printed in a unit its column does not take (2021 收费金额 is in 万元; a
    report printing 元 would be stored ten thousand times too large)."""
    column = fmt.cells[key].column
    if cell.value is None or not cell.unit:
        return False
    allowed = (column.unit,) if column.unit else column.unit_choices
    return bool(allowed) and cell.unit not in allowed


def _foreign_units(fmt: ReportFormat, cells: dict[str, ReadCell]) -> list[Unread]:
    """Each value in a unit its column does not take, for the clerk, with the exact
    conversion as the one candidate (元 → 万元: the amount divided by 10000, no rounding)."""
    out = []
    for key, cell in cells.items():
        if not _foreign_unit(fmt, key, cell):
            continue
        column = fmt.cells[key].column
        target = column.unit or column.unit_choices[0]
        factor = _UNIT_FACTORS.get((cell.unit or "", target))
        value = Decimal(str(cell.value))
        candidates = ((value / factor,),) if factor else ()
        reason = (
            f"{fmt.cells[key].place}印为“{cell.printed}”（单位{cell.unit}），"
            f"本格式此列的单位是{target}"
            + (f"，换算为{value / factor}{target}" if factor else "")
            + "，请核对后选择"
        )
        out.append(Unread((key,), reason, cell.origin, candidates))
    return out


#: Exact conversions between the money units a report prints.
_UNIT_FACTORS = {("元", "万元"): Decimal(10000), ("万元", "元"): Decimal("0.0001")}


def _not_found(
    fmt: ReportFormat,
    cells: dict[str, ReadCell],
    unread: Sequence[Unread],
    reads: Sequence[TableRead],
) -> list[Unread]:
    """The input cells of the format that nothing was read for: never a silent blank.  A table
    not found at all is one item; a row its table lacks is one item per row."""
    pending = {k for u in unread for k in u.keys}
    seen_tables = {r.table_key for r in reads if r.cells or r.unread}
    out = []
    for table in fmt.tables:
        for row in table.rows:
            keys = tuple(
                key
                for col in table.columns
                if not fmt.cells[key := f"{table.key}.{row.key}.{col.key}"].derived
                and key not in cells
                and key not in pending
            )
            if not keys:
                continue
            if table.key in seen_tables:
                where = table.caption if table.stacked else f"第{fmt.part(table.part).number}部分"
                reason = f"{where}“{row.label}”行在原文中没有找到，请按原报告填写（原报告没有这一行时留空）"
            else:
                reason = f"原文中没有找到“{table.caption}”表，请按原报告填写"
            out.append(Unread(keys, reason, Origin("原文中没有找到")))
    return out


def _units_of_unread(report: Report, fmt: ReportFormat, unread: Sequence[Unread]) -> None:
    """A money cell left for the clerk keeps the unit its source printed (“1018703元”), so
    that the figure the clerk picks is stored in 元, not in the column's default 万元."""
    for item in unread:
        for key in item.keys:
            column = fmt.cells[key].column
            if not column.unit_choices or key in report.units:
                continue
            snippet = item.origin.snippet
            unit = "万元" if "万元" in snippet else "元" if "元" in snippet else None
            if unit in column.unit_choices:
                report.units[key] = unit


def _drop_agreeing_totals(report: Report, fmt: ReportFormat) -> None:
    """A printed total that equals the computed one says nothing more: kept, it would turn into
    a false alarm once the clerk corrects a cell of its row.  One that disagrees stays, and the
    checks report it (as on import of a data file)."""
    computed = all_values(fmt, report.cells)
    for key in [k for k, v in report.declared.items() if as_number(computed.get(k)) == v]:
        del report.declared[key]


def _store(report: Report, fmt: ReportFormat, key: str, cell: ReadCell) -> None:
    """A value read goes where the report keeps it: a printed total in ``declared``."""
    if cell.value is None:
        return
    value: CellValue = cell.value
    if fmt.cells[key].derived:
        report.declared[key] = value
    else:
        report.cells[key] = value
        column = fmt.cells[key].column
        if cell.unit and column.unit_choices and cell.unit in column.unit_choices:
            report.units[key] = cell.unit
