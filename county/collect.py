"""Collecting the units' reports in one step (收取年报): files and folders → reports in the desk.

    gather(paths) -> files            folders walked, report files picked by their ending
    plan(db, paths) -> [Incoming]      every file read and matched, nothing written
    collect(db, items, new_units)      the NEW/REPLACE items written, in one transaction
    undo_collect(db, collected)        all of it taken back, unless changed since

Each file becomes its unit's report for the year the file itself gives.  Of several files of one
unit and year only one is collected, the others are :attr:`Action.DUPLICATE`, saying why: a data
file beats a published page (the 报送材料 folder holds the PDF, Word file, web page and data file
of one report), and of two data files the newer (by modified time) wins; of published pages
alone, one read completely beats one with unread cells, then a web page beats a Word file, which
beats a PDF.  A published page with unread cells is never collected here
(:attr:`Action.CONFIRM`: the clerk confirms it in the import review).  A report that is already
stored is replaced only when its content differs (:attr:`Action.REPLACE`, with every difference
listed), else :attr:`Action.SAME`.

Collecting adds the new units the clerk chose first, and a re-submitted report clears its
unit's decision for the year (:func:`model.register.clear_decisions`): it is reviewed again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from sqlalchemy import update

from model import names, ops, register, tables
from model.changes import StaleWriteError
from model.datafile import DataFileError, aggregate_members, read_datafile_path, read_error
from model.db import Database
from model.errors import OperationError
from model.formats import FIRST_YEAR, LAST_YEAR, ReportFormat
from model.register import UnitAdded, UnitKind, UnitYearSet
from model.report import Report
from model.schema import text_problem
from model.values import CellValue, date_text, to_text

#: The endings of the files :func:`gather` picks from a folder (a file named directly is
#: always taken).
SUFFIXES = (".json", ".html", ".htm", ".mhtml", ".mht", ".docx", ".pdf", ".txt")
DATA_FILE = "数据文件"
_KINDS = {"网页": "网页", "Word文档": "Word文件", "PDF": "PDF文件", "文本": "文本文件"}
#: Of published pages of one report, the one read most reliably first.
_PREFERRED = ("网页", "Word文件", "PDF文件", "文本文件")
_BLANK = "（空白）"
_SNIPPET = 40
#: A heading's own number (“三、本年度办理结果”): the part's number stands for it.
_NUMBERED = re.compile(r"\A[一二三四五六七八九十]+、")


class Action(StrEnum):
    NEW = "新报告"
    REPLACE = "替换"
    SAME = "相同"
    CONFIRM = "需确认"
    DUPLICATE = "重复"
    UNREADABLE = "无法读取"
    NOT_REPORT = "不是年报"


#: What :func:`collect` writes.
WRITTEN = (Action.NEW, Action.REPLACE)


@dataclass(frozen=True)
class Difference:
    """One place where a file's report differs from the stored one, as the clerk reads it."""

    place: str  # “三、（一）予以公开·自然人”, “一、总体情况”, “标题”, “落款”
    old: str
    new: str


@dataclass(frozen=True)
class Incoming:
    """One file and what collecting it would do.

    ``report`` is the report read (None when unreadable or not a report); ``problem`` says in
    Chinese why the action is not simply NEW/REPLACE/SAME (empty otherwise); ``unread`` counts
    the cells of a published page read without certainty; ``unit`` is its registered unit, else
    ``suggested_kind`` is the kind it would be registered as; ``existing`` is the stored report of
    that unit and year; ``differences`` are those between the two."""

    path: Path
    kind: str  # 数据文件 | 网页 | Word文件 | PDF文件 | 文本文件
    report: Report | None
    problem: str
    unread: int
    unit: register.Unit | None
    suggested_kind: UnitKind | None
    existing: Report | None
    differences: tuple[Difference, ...]
    action: Action
    #: The file's modified time (what decides between two data files).
    modified: float = 0.0

    @property
    def agency(self) -> str:
        return self.report.agency if self.report is not None else ""

    @property
    def year(self) -> int:
        return self.report.year if self.report is not None else 0


@dataclass(frozen=True)
class Collected:
    """What :func:`collect` did, for :func:`undo_collect`.

    ``reports`` pairs each report before (None: there was none) with the report as stored after;
    ``report_ids`` and ``modified`` are their ids and (before, after) modified times, in the same
    order; ``added`` are the units registered, ``cleared`` the decisions cleared."""

    reports: tuple[tuple[Report | None, Report], ...]
    added: tuple[UnitAdded, ...]
    cleared: tuple[UnitYearSet, ...]
    report_ids: tuple[int, ...] = ()
    modified: tuple[tuple[dt.datetime | None, dt.datetime], ...] = ()

    @property
    def agencies(self) -> tuple[str, ...]:
        """The units whose reports were written, each once, in order."""
        return tuple(dict.fromkeys(after.agency for _, after in self.reports))


# ---------------------------------------------------------------------------- gather


def gather(paths: Sequence[Path]) -> list[Path]:
    """The report files in ``paths``: a folder is walked (its sub-folders too) for files with
    one of :data:`SUFFIXES`, skipping hidden files and folders and Office's ``~$`` temporary
    files; a file named directly is always taken.  Each file once, in the order found."""
    found: dict[Path, None] = {}
    for path in paths:
        if not path.is_dir():
            found.setdefault(path)
            continue
        for folder, subfolders, files in os.walk(path):
            subfolders[:] = sorted(name for name in subfolders if not _hidden(name))
            for name in sorted(files):
                if not _hidden(name) and name.lower().endswith(SUFFIXES):
                    found.setdefault(Path(folder) / name)
    return list(found)


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


# ---------------------------------------------------------------------------- plan


def plan(db: Database, paths: Sequence[Path]) -> list[Incoming]:
    """Every report file in ``paths`` (see :func:`gather`) read and matched with the register and
    the stored reports; nothing is written.  One item per file, in :func:`gather`'s order."""
    items = [_read(path) for path in gather(paths)]
    chosen = _choose(items)
    return [rematch(db, item) if index in chosen else item for index, item in enumerate(items)]


def _read(path: Path) -> Incoming:
    """The file read, its action provisional (NEW for a report that can be collected)."""
    modified = _modified(path)
    if path.suffix.lower() == ".json":
        return _read_datafile(path, modified)
    return _read_published(path, modified)


def _read_datafile(path: Path, modified: float) -> Incoming:
    try:
        report = read_datafile_path(path)
    except DataFileError as error:
        return _failed(path, DATA_FILE, Action.UNREADABLE, str(error), modified)
    except OSError as error:
        return _failed(path, DATA_FILE, Action.UNREADABLE, read_error(path, error), modified)
    summed = _units_summed(path)
    if summed is not None:
        reason = (
            f"这是“{report.agency}”{report.year}年的汇总报告（汇总了{summed}个单位），"
            "不是单位的报告，不收取（收进来会把各单位的数字再加一遍）"
        )
        return _failed(path, DATA_FILE, Action.NOT_REPORT, reason, modified)
    problem = _storable(report)
    action = Action.UNREADABLE if problem else Action.NEW
    return _item(path, DATA_FILE, report, problem, 0, action, modified)


def _units_summed(path: Path) -> int | None:
    """How many units a 汇总's data file sums; None for a unit's own data file."""
    try:
        members = aggregate_members(path.read_bytes())
    except (OSError, ValueError):  # read a moment ago; gone or changed since: not a 汇总
        return None
    return None if members is None else len(members.units)


def _read_published(path: Path, modified: float) -> Incoming:
    from published.pipeline import read_document
    from published.readers import read_path
    from published.result import NotAReport

    kind = _kind_by_suffix(path)
    try:
        document = read_path(path)
    except NotAReport as error:  # damaged, scanned, an old .doc: the file cannot be read
        return _failed(path, kind, Action.UNREADABLE, str(error), modified)
    except Exception as error:  # a reader's bug must not stop the other files
        reason = f"读取“{path.name}”时出错（{type(error).__name__}），请在程序中逐个导入这个文件。"
        return _failed(path, kind, Action.UNREADABLE, reason, modified)
    kind = _KINDS.get(document.kind, kind)
    try:
        imported = read_document(document)
    except NotAReport as error:  # readable, but no report in it (a 自查表, a notice)
        return _failed(path, kind, Action.NOT_REPORT, str(error), modified)
    except Exception as error:
        reason = f"读取“{path.name}”时出错（{type(error).__name__}），请在程序中逐个导入这个文件。"
        return _failed(path, kind, Action.UNREADABLE, reason, modified)
    report = imported.report
    if not imported.cells:  # the report's tables are named but hold nothing: a 自查表, a form
        return _failed(path, kind, Action.NOT_REPORT, _nothing_read(path, report), modified)
    unread = imported.needing_review
    missing = [what for what, ok in (("单位名称", report.agency), ("年度", report.year)) if not ok]
    if missing:
        problem = f"没有找到报告的{'和'.join(missing)}，需要在导入时填写"
        return _item(path, kind, report, problem, unread, Action.CONFIRM, modified)
    problem = _storable(report)
    if problem:
        return _item(path, kind, report, problem, unread, Action.UNREADABLE, modified)
    report = replace(report, agency=names.clean_name(report.agency))
    if unread:
        problem = f"有{unread}个单元格没有读准，需要逐格确认后导入"
        return _item(path, kind, report, problem, unread, Action.CONFIRM, modified)
    return _item(path, kind, report, "", 0, Action.NEW, modified)


def _nothing_read(path: Path, report: Report) -> str:
    if (report.title or "").rstrip().endswith("自查表"):
        return f"“{path.name}”是发布前检查的《自查表》，不是年度报告，不收取。"
    return (
        f"在“{path.name}”中没有读到政府信息公开工作年度报告的任何数字"
        "（第二、三、四部分的统计表）。请确认这是已发布的年度报告；扫描件和图片无法读取。"
    )


def _storable(report: Report) -> str:
    """Why the database would refuse ``report`` (as :func:`model.ops.save_report` checks), or ""."""
    try:
        names.clean_name(report.agency)
        names.clean_name(report.title or "", names.TITLE, line_breaks=True)
        names.clean_name(report.signature_agency or "", names.SIGNATURE)
    except names.InvalidName as error:
        return str(error)
    if not names.clean_name(report.agency):
        return "没有单位名称"
    if not FIRST_YEAR <= report.year <= LAST_YEAR:
        return f"年度{report.year}不在{FIRST_YEAR}—{LAST_YEAR}年之间"
    for key, text in report.texts.items():
        if problem := text_problem(text):
            return f"“{_text_place(report.format, key)}”{problem}"
    return ""


def _choose(items: list[Incoming]) -> set[int]:
    """The indexes of the items to match: one per unit and year; the others become DUPLICATE
    (in place, in ``items``), naming the file chosen instead."""
    groups: dict[tuple[str, int], list[int]] = {}
    for index, item in enumerate(items):
        if item.action in (Action.NEW, Action.CONFIRM) and item.agency and item.year:
            groups.setdefault((names.lookup(item.agency), item.year), []).append(index)
    chosen: set[int] = set()
    for indexes in groups.values():
        best = min(indexes, key=lambda i: _rank(items[i]))
        chosen.add(best)
        for index in indexes:
            if index != best:
                items[index] = replace(
                    items[index],
                    action=Action.DUPLICATE,
                    problem=_duplicate_reason(items[index], items[best]),
                )
    return chosen


def _rank(item: Incoming) -> tuple[int, int, float, str]:
    """Smaller is preferred: a data file (the newest), then a completely read page by kind."""
    if item.kind == DATA_FILE:
        return (0, 0, -item.modified, str(item.path))
    order = _PREFERRED.index(item.kind) if item.kind in _PREFERRED else len(_PREFERRED)
    return (1 if item.action is Action.NEW else 2, order, -item.modified, str(item.path))


def _duplicate_reason(item: Incoming, best: Incoming) -> str:
    name = f"“{best.path.name}”"
    what = f"“{best.agency}”{best.year}年的报告"
    if item.kind == DATA_FILE and best.kind == DATA_FILE:
        if item.modified == best.modified:
            return f"与{name}是{what}的两个数据文件，收取{name}"
        return f"{what}有更新的数据文件{name}（修改于{_when(best.modified)}），本文件较旧，不收取"
    if best.kind == DATA_FILE:
        return f"{what}已有数据文件{name}，以数据文件为准"
    return f"{what}已从{name}读取，不重复收取"


def _when(modified: float) -> str:
    return dt.datetime.fromtimestamp(modified).strftime("%Y-%m-%d %H:%M")


def rematch(db: Database, item: Incoming) -> Incoming:
    """The item with its unit, the stored report and its action decided."""
    report = item.report
    assert report is not None
    if not report.agency or not report.year:
        return item
    unit = register.find_unit(db, report.agency)
    problem = item.problem
    if unit is not None and unit.name != report.agency:
        # the register's spelling (某某县 教育局 → 某某县教育局): one unit, one name, so its
        # reports of every year are found together
        problem = _joined(problem, f"单位名称按名册写作“{unit.name}”（文件中为“{report.agency}”）")
        report = replace(report, agency=unit.name)
    suggested = register.guess_kind(report.agency) if unit is None else None
    report_id = ops.find_report(db, report.agency, report.year)
    existing = ops.load_report(db, report_id) if report_id is not None else None
    found = differences(existing, report) if existing is not None else ()
    action = item.action
    if action is Action.NEW and existing is not None:
        action = Action.REPLACE if found else Action.SAME
    if action is Action.CONFIRM and existing is not None:  # collected before, say once confirmed
        problem = _joined(problem, f"库中已有该单位{report.year}年的报告，确认后将替换它")
    return replace(
        item,
        report=report,
        problem=problem,
        unit=unit,
        suggested_kind=suggested,
        existing=existing,
        differences=found,
        action=action,
    )


def _joined(problem: str, note: str) -> str:
    return f"{problem}；{note}" if problem else note


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _kind_by_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".mhtml", ".mht"):
        return "网页"
    if suffix == ".docx":
        return "Word文件"
    if suffix == ".pdf":
        return "PDF文件"
    if suffix == ".txt":
        return "文本文件"
    return "文件"


def _failed(path: Path, kind: str, action: Action, problem: str, modified: float) -> Incoming:
    return _item(path, kind, None, problem, 0, action, modified)


def _item(
    path: Path,
    kind: str,
    report: Report | None,
    problem: str,
    unread: int,
    action: Action,
    modified: float,
) -> Incoming:
    return Incoming(
        path=path,
        kind=kind,
        report=report,
        problem=problem,
        unread=unread,
        unit=None,
        suggested_kind=None,
        existing=None,
        differences=(),
        action=action,
        modified=modified,
    )


# ---------------------------------------------------------------------------- differences


def differences(old: Report, new: Report) -> tuple[Difference, ...]:
    """Everything a reader of the two printed reports would see differ, in the order of the
    report: format, title, the texts and tables by part, the totals as printed, the 落款."""
    found: list[Difference] = []
    if old.format_id != new.format_id:
        found.append(Difference("格式", _format_name(old), _format_name(new)))
    if old.display_title != new.display_title:
        found.append(Difference("标题", old.display_title, new.display_title))
    found += _text_differences(old, new)
    found += _cell_differences(old, new)
    found += _declared_differences(old, new)
    old_signature, new_signature = _signature(old), _signature(new)
    if old_signature != new_signature:
        found.append(Difference("落款", old_signature or _BLANK, new_signature or _BLANK))
    return tuple(found)


def _format_name(report: Report) -> str:
    return f"{report.format_id}年版格式"


def _text_differences(old: Report, new: Report) -> list[Difference]:
    found: list[Difference] = []
    keys = dict.fromkeys([*old.format.text_keys, *new.format.text_keys])
    for key in keys:
        before, after = old.text(key).strip(), new.text(key).strip()
        if before != after:
            place = _text_place(new.format if key in new.format.text_keys else old.format, key)
            found.append(Difference(place, *_snippets(before, after)))
    return found


def _text_place(fmt: ReportFormat, key: str) -> str:
    part = fmt.part_of_text(key)
    if part is not None:
        return part.heading
    try:
        return fmt.text(key).label
    except KeyError:
        return key


def _snippets(old: str, new: str) -> tuple[str, str]:
    """The two texts around their first difference, cut to a line each."""
    if not old or not new:
        return _cut(old, 0), _cut(new, 0)
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    start = max(0, start - 10)
    return _cut(old, start), _cut(new, start)


def _cut(text: str, start: int) -> str:
    if not text:
        return _BLANK
    piece = text[start : start + _SNIPPET].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if start + _SNIPPET < len(text) else "")


def _cell_differences(old: Report, new: Report) -> list[Difference]:
    found: list[Difference] = []
    fmt = new.format
    keys = [k for k in fmt.cells if not fmt.cells[k].derived]
    keys += [k for k in old.format.cells if k not in fmt.cells and not old.format.cells[k].derived]
    for key in keys:
        before, after = old.cells.get(key), new.cells.get(key)
        owner = new if key in fmt.cells else old
        if before != after or (
            (before is not None or after is not None) and _unit(old, key) != _unit(new, key)
        ):
            found.append(
                Difference(
                    _cell_place(owner.format, key),
                    _value_text(old, key, before),
                    _value_text(new, key, after),
                )
            )
    return found


def _declared_differences(old: Report, new: Report) -> list[Difference]:
    found: list[Difference] = []
    for key in dict.fromkeys([*old.declared, *new.declared]):
        before, after = old.declared.get(key), new.declared.get(key)
        if before != after:
            owner = new if key in new.format.cells else old
            place = f"{_cell_place(owner.format, key)}（印出的合计）"
            found.append(
                Difference(place, _value_text(old, key, before), _value_text(new, key, after))
            )
    return found


def _cell_place(fmt: ReportFormat, key: str) -> str:
    """“三、（三）不予公开1.属于国家秘密·自然人”: the part's number, the row and the column."""
    cell = fmt.cells[key]
    part = fmt.part_of_table(cell.table.key)
    where = [cell.table.caption] if cell.table.stacked else []
    where += [group for group in cell.row.groups if not _NUMBERED.match(group)]
    where += [_NUMBERED.sub("", cell.row.label), cell.column.label]
    return f"{part.number}、" + "·".join(where)


def _unit(report: Report, key: str) -> str | None:
    try:
        return report.unit(key)
    except KeyError:
        return None


def _value_text(report: Report, key: str, value: CellValue | None) -> str:
    if value is None:
        return _BLANK
    unit = _unit(report, key) if key in report.format.cells else None
    return to_text(value) + (unit or "")


def _signature(report: Report) -> str:
    return " ".join(
        part for part in (report.signature_agency, date_text(report.signature_date)) if part
    )


# ---------------------------------------------------------------------------- collect


def collect(
    db: Database, items: Sequence[Incoming], new_units: Mapping[str, UnitKind]
) -> Collected:
    """Write the NEW and REPLACE ``items`` in one transaction: first the units of ``new_units``
    not yet registered, then each report (a REPLACE only while the stored report is still the
    one planned against), then the decisions of those units for those years are cleared.  A
    refusal midway leaves the database as it was and is raised."""
    chosen = [item for item in items if item.action in WRITTEN and item.report is not None]
    written: list[tuple[Report | None, Report]] = []
    ids: list[int] = []
    modified: list[tuple[dt.datetime | None, dt.datetime]] = []
    with db.batch():
        fresh = {
            names.clean_name(name): kind
            for name, kind in new_units.items()
            if register.find_unit(db, name) is None
        }
        added = register.add_units(db, list(fresh.items())) if fresh else []
        for item in chosen:
            report = item.report
            assert report is not None
            before_id = ops.find_report(db, report.agency, report.year)
            before = ops.load_report(db, before_id) if before_id is not None else None
            before_modified = _modified_at(db, before_id) if before_id is not None else None
            if _stale(item, before):
                raise StaleWriteError(
                    f"“{report.agency}”{report.year}年的报告在核对后已被修改、新建或删除，"
                    "没有收取任何文件，请重新核对。"
                )
            report_id = ops.save_report(db, report, replace=item.action is Action.REPLACE)
            after = ops.load_report(db, report_id)
            written.append((before, after))
            ids.append(report_id)
            modified.append((before_modified, _modified_at(db, report_id)))
        cleared: list[UnitYearSet] = []
        by_year: dict[int, list[str]] = {}
        for _, after in written:
            by_year.setdefault(after.year, []).append(after.agency)
        for year, agencies in sorted(by_year.items()):
            cleared += register.clear_decisions(db, agencies, year)
    return Collected(
        reports=tuple(written),
        added=tuple(added),
        cleared=tuple(cleared),
        report_ids=tuple(ids),
        modified=tuple(modified),
    )


def _stale(item: Incoming, stored: Report | None) -> bool:
    """Whether the stored report is no longer the one ``item`` was planned against."""
    if item.action is Action.NEW:
        return stored is not None
    return stored is None or item.existing is None or bool(differences(stored, item.existing))


def undo_collect(db: Database, collected: Collected) -> None:
    """Take back everything ``collected`` did, in one transaction: each report as it was before
    (a new one deleted), the decisions cleared restored, the units added removed.  Refused
    (:class:`StaleWriteError`, nothing undone) when a report was changed since."""
    with db.batch():
        steps = zip(collected.reports, collected.report_ids, collected.modified, strict=True)
        for (before, after), report_id, (before_modified, after_modified) in reversed(list(steps)):
            _check_unchanged(db, report_id, after, after_modified)
            if before is None:
                ops.delete_report(db, report_id)
            else:
                ops.save_report(db, before, replace=True)
                if before_modified is not None:
                    _set_modified_at(db, report_id, before_modified)
        for cleared in reversed(collected.cleared):
            register.apply_register_inverse(db, cleared)
        for added in reversed(collected.added):
            register.apply_register_inverse(db, added)


def _check_unchanged(db: Database, report_id: int, after: Report, modified: dt.datetime) -> None:
    try:
        stored = ops.load_report(db, report_id)
    except OperationError:
        stored = None
    if (
        stored is None
        or stored.agency != after.agency
        or stored.year != after.year
        or differences(stored, after)
        or _modified_at(db, report_id) != modified
    ):
        raise StaleWriteError(
            f"“{after.agency}”{after.year}年的报告在收取后已被修改或删除，不能撤销这次收取。"
        )


def _modified_at(db: Database, report_id: int) -> dt.datetime:
    summary = ops.report_summaries(db, [report_id]).get(report_id)
    if summary is None:
        raise OperationError("报告已被删除。")
    return summary.modified_at


def _set_modified_at(db: Database, report_id: int, moment: dt.datetime) -> None:
    """Put back a report's modified time (an undone replace leaves it as it was)."""
    report = tables.report
    with db.transaction() as connection:
        statement = update(report).where(report.c.id == report_id).values(modified_at=moment)
        connection.execute(statement)


__all__ = [
    "SUFFIXES",
    "Action",
    "Collected",
    "Difference",
    "Incoming",
    "collect",
    "differences",
    "gather",
    "plan",
    "undo_collect",
]
