"""Reading and writing the ``.nianbao.json`` data file (the contract: docs/DATA-FILE.md).

The file is a public contract: clerks carry it between offices and other programs write it.
So reading is strict and all or nothing: every problem found (up to :data:`MAX_PROBLEMS`) is
named, with the key and in Chinese, in one :class:`DataFileError`, and nothing half-read ever
reaches the database.  What "valid" means is decided by the published schema
(:mod:`model.schema`) and nothing else, so the reader and the schema cannot disagree; this
module only adds what a schema cannot see (encoding, JSON syntax, duplicate keys, NaN, absurd
sizes) and turns the validator's findings into sentences a clerk can act on.

Writing is canonical, so that a file read and written back is byte for byte the same and two
exports of one report can be compared with ``diff``.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TypeVar

from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

from model import names
from model.errors import UserError, os_reason
from model.formats import (
    FIRST_YEAR,
    FORMATS,
    LAST_YEAR,
    MAX_COUNT,
    MAX_MONEY_DIGITS,
    MONEY_PLACES,
    CellDef,
    CellKind,
    ReportFormat,
)
from model.report import Report
from model.schema import AGGREGATE_LISTS, SCHEMA_ID, build_schema
from model.values import CellValue, from_json, json_type, to_json
from model.version import version_code

#: A real report is under 100 KB; anything this large is not a report (and is not parsed).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: More problems than this are summarised: the file is clearly not what it claims to be.
MAX_PROBLEMS = 20
#: A valid file nests two levels deep; far deeper nesting is refused before validation.
MAX_DEPTH = 32
#: Longest number literal accepted by the parser (valid files need at most 13 characters).
MAX_NUMBER_CHARS = 40
#: Far more keys than any valid file holds (a format has a few hundred cells): a file with more
#: is refused before it is parsed, so a file of millions of keys costs neither time nor memory.
MAX_KEYS = 5000

_T = TypeVar("_T")
_BOM = b"\xef\xbb\xbf"
_SURROGATE = re.compile("[\ud800-\udfff]")
_SYNTAX = (
    ("Expecting property name", "此处应为用双引号括起的字段名（最后一项后面不能有逗号）"),
    ("Expecting value", "此处应为一个值（数字、文字、对象等）"),
    ("Expecting ',' delimiter", "此处缺少逗号"),
    ("Expecting ':' delimiter", "此处缺少冒号"),
    ("Unterminated string", "文字缺少结尾的双引号"),
    ("Invalid control character", "文字中有未转义的控制字符（如换行应写成 \\n）"),
    ("Invalid \\escape", "无效的转义序列"),
    ("Invalid \\u", "无效的 \\u 转义序列"),
    ("Extra data", "JSON内容结束后还有多余的内容"),
)


class DataFileError(UserError):
    """A data file that cannot be imported; ``problems`` are the sentences shown to the clerk."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        header = [f"“{self.source}”不是有效的年报数据文件："] if self.source else []
        return "\n".join(header + self.problems)


class _Refused(Exception):
    """A problem that stops parsing; there is nothing left to validate."""


# ---------------------------------------------------------------------------- reading


def read_datafile(data: bytes, source: str = "") -> Report:
    """The report in ``data``, or a :class:`DataFileError` naming every problem found."""
    try:
        doc, problems = _parse(data)
    except _Refused as exc:
        raise DataFileError([str(exc)], source) from None
    problems += _schema_problems(doc)
    if problems or not isinstance(doc, dict):
        raise DataFileError(_capped(problems), source)
    return _report(doc)


class NotAFile(UserError, OSError):
    """The path is a folder, a device or a pipe, not a file; ``str()`` is the message."""


def open_regular_file(path: Path) -> Any:
    """``path`` opened for reading in binary, or :class:`NotAFile` if it is not a regular file.

    Opened without blocking and looked at before a byte is read: a pipe (FIFO) would otherwise
    wait for ever for a writer, and a device such as ``/dev/zero`` never ends."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if path.is_dir():  # Windows cannot open a folder at all
        raise NotAFile(errno.EISDIR, f"“{path}”是一个文件夹，不是数据文件")
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            what = "文件夹" if stat.S_ISDIR(mode) else "设备或管道"
            raise NotAFile(errno.EINVAL, f"“{path}”是一个{what}，不是数据文件")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_error(path: Path, error: OSError) -> str:
    """Why the file at ``path`` cannot be read, in Chinese."""
    if isinstance(error, NotAFile):
        return str(error.strerror)
    return f"无法读取文件“{path}”：{os_reason(error)}"


def read_datafile_path(path: Path, source: str | None = None) -> Report:
    """The report in the file at ``path`` (``OSError`` if it cannot be read, :func:`read_error`
    words it).

    A file too large to be a report is refused after reading just past the limit, so a
    100 MB file dropped on the window costs no more memory than a 20 MB one; a folder, a
    device or a pipe is refused before anything is read (:func:`open_regular_file`)."""
    with open_regular_file(path) as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        size = path.stat().st_size / 1024 / 1024
        raise DataFileError(
            [f"文件过大（{size:.1f} MB），年报数据文件不超过{MAX_FILE_BYTES // 2**20} MB"],
            path.name if source is None else source,
        )
    return read_datafile(data, source=path.name if source is None else source)


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"……另有{len(problems) - MAX_PROBLEMS}处问题未列出"]


def _parse(data: bytes) -> tuple[object, list[str]]:
    """The JSON document and the duplicate keys found on the way (reported, not fatal)."""
    if len(data) > MAX_FILE_BYTES:
        size = len(data) / 1024 / 1024
        raise _Refused(f"文件过大（{size:.1f} MB），年报数据文件不超过{MAX_FILE_BYTES // 2**20} MB")
    text = _decode(data)
    if not text.strip():
        raise _Refused("文件是空的")
    _check_key_count(text)
    duplicates: list[str] = []
    doc = _loads(text, duplicates)
    _check_structure(doc)
    return doc, [f"字段“{key}”重复出现（同一处每个字段只能写一次）" for key in duplicates]


def _decode(data: bytes) -> str:
    """UTF-8 text; a BOM (as Windows Notepad writes it) is tolerated, nothing else is."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    wide = _wide_encoding(data)
    if wide:
        raise _Refused(f"文件是{wide}编码，请另存为UTF-8编码")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _Refused(
            f"文件不是UTF-8编码：第{line}行有无法识别的字节；"
            "请以UTF-8编码保存（GBK等编码的文件需先转换）"
        ) from None


def _wide_encoding(data: bytes) -> str:
    """``UTF-16`` or ``UTF-32`` when ``data`` is in one of them (by its BOM, or by the zero
    bytes around the first character of a JSON file, which is ASCII), else ``""``."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return "UTF-32"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    head = data[:4]
    if len(head) == 4 and (head[1:] == b"\x00\x00\x00" or head[:3] == b"\x00\x00\x00"):
        return "UTF-32"
    if len(head) >= 2 and (head[1] == 0) != (head[0] == 0):
        return "UTF-16"
    return ""


#: The end of a key: a quote no backslash escapes, then a colon.  Inside a JSON string every
#: quote is escaped, so each match ends a key (a key ending in an escaped backslash is missed,
#: which only makes the count lower).
_KEY_END = re.compile(r'(?<!\\)"\s*:')


def _check_key_count(text: str) -> None:
    """Refuse, before parsing, a file with far more keys than a report can have: counting
    stops at :data:`MAX_KEYS`, so a file of millions of keys costs a few milliseconds."""
    for count, _ in enumerate(_KEY_END.finditer(text), 1):
        if count > MAX_KEYS:
            raise _Refused(_TOO_MANY_KEYS)


_TOO_MANY_KEYS = (
    f"文件中的字段超过{MAX_KEYS:,}个，远多于年报数据文件可能有的（几百个），不是年报数据文件"
)


def _loads(text: str, duplicates: list[str]) -> object:
    try:
        return json.loads(
            text,
            object_pairs_hook=functools.partial(_object, duplicates),
            parse_constant=_refuse_constant,
            parse_float=_parse_fraction,
            parse_int=_parse_int,
        )
    except json.JSONDecodeError as exc:
        raise _Refused(
            f"不是有效的JSON：第{exc.lineno}行第{exc.colno}列，{_syntax(exc.msg)}"
        ) from None
    except RecursionError:
        raise _Refused("JSON嵌套层次过深，不是年报数据文件") from None


def _syntax(message: str) -> str:
    for english, chinese in _SYNTAX:
        if message.startswith(english):
            return chinese
    return "格式错误"


def _object(duplicates: list[str], pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a repeated key is recorded, since ``json`` would keep only the last."""
    if len(pairs) > MAX_KEYS:
        raise _Refused(_TOO_MANY_KEYS)
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            duplicates.append(key)
        seen.add(key)
    return dict(pairs)


def _refuse_constant(name: str) -> object:
    raise _Refused(f"不允许写 {name}（不是JSON数值）")


def _check_length(literal: str) -> None:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _Refused(f"数字“{literal[:20]}…”过长")


def _parse_int(literal: str) -> int:
    _check_length(literal)
    return int(literal)


def _parse_fraction(literal: str) -> Decimal:
    """Exact, and never taken for an integer: a count written ``3.0`` is refused."""
    _check_length(literal)
    return Decimal(literal)


def _check_structure(doc: object) -> None:
    """No absurd nesting (the validator recurses) and no lone surrogate (``\\ud800`` is valid
    JSON but cannot be stored or written as UTF-8).  Iterative, so depth cannot crash it."""
    stack: list[tuple[object, int]] = [(doc, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str) and _SURROGATE.search(value):
            raise _Refused("文件中有无效的Unicode字符（不成对的代理项）")
        children: Iterable[object] = ()
        if isinstance(value, dict):
            children = [*value.keys(), *value.values()]
        elif isinstance(value, list):
            children = value
        if depth > MAX_DEPTH and children:
            raise _Refused("JSON嵌套层次过深，不是年报数据文件")
        stack.extend((child, depth + 1) for child in children)


# ---------------------------------------------------------------------------- validation


def _validator() -> Any:
    """The validator of the schema of the formats registered now, built once for them."""
    return _validator_for(tuple(FORMATS.values()))


@functools.lru_cache(maxsize=2)
def _validator_for(formats: tuple[ReportFormat, ...]) -> Any:
    """``formats`` is the cache key: a format registered later (a test's) gets its own."""
    return Draft202012Validator(build_schema())


def _schema_problems(doc: object) -> list[str]:
    """Every schema violation as a sentence, at most one per place in the file."""
    if not isinstance(doc, dict):
        return [f"文件最外层应为一个对象（{{…}}），不能是{_what(doc)}"]
    if "schema" in doc and doc["schema"] != SCHEMA_ID:
        return [_version_problem(doc["schema"])]
    messages: dict[str, str] = {}
    for error in _validator().iter_errors(doc):
        for place, message in _translate(error, doc):
            messages.setdefault(place, message)
    return list(messages.values())


def _version_problem(version: object) -> str:
    """A file of another version is not read at all: its other problems would be noise."""
    if isinstance(version, str):
        return f"schema：不支持的版本“{version}”，本程序读取 {SCHEMA_ID}"
    return f"schema：应为“{SCHEMA_ID}”，不能是{_what(version)}"


def _translate(error: Any, doc: dict[str, Any]) -> list[tuple[str, str]]:
    path = [str(part) for part in error.absolute_path]
    if error.validator == "required":
        return _missing(path, error.instance, error.validator_value)
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        return [_unknown(path, key, doc) for key in error.instance if key not in known]
    place = ".".join(path)
    return [(place, f"{place or '文件'}：{_wrong(path, error, doc)}")]


def _missing(
    path: list[str], instance: dict[str, Any], required: list[str]
) -> list[tuple[str, str]]:
    prefix = "".join(f"{part}." for part in path)
    return [
        (prefix + key, f"缺少必填字段“{prefix}{key}”") for key in required if key not in instance
    ]


def _unknown(path: list[str], key: str, doc: dict[str, Any]) -> tuple[str, str]:
    place = ".".join([*path, key])
    fmt = _format_of(doc)
    if path == ["cells"] and fmt:
        return place, f"{place}：{_not_in_format(fmt, key)}"
    if path == ["units"] and fmt:
        return place, f"{place}：{_no_unit_choice(fmt, key)}"
    where = f"{'.'.join(path)}：" if path else ""
    return place, f"{where}未知的字段“{key}”"


def _no_unit_choice(fmt: ReportFormat, key: str) -> str:
    cell = fmt.cells.get(key)
    if cell is not None and cell.column.unit:
        return f"这一项的单位固定为{cell.column.unit}，不能另选"
    if cell is not None:
        return "这一项不是可选单位的金额"
    return _not_in_format(fmt, key)


def _not_in_format(fmt: ReportFormat, key: str) -> str:
    others = [f.id for f in FORMATS.values() if f is not fmt and key in f.cells]
    if others:
        return f"这是{others[0]}格式的单元格，本文件是{fmt.id}格式（该格式没有这一项）"
    return f"不是{fmt.id}格式的单元格（该格式没有这一项）"


def _format_of(doc: dict[str, Any]) -> ReportFormat | None:
    format_id = doc.get("format")
    return FORMATS.get(format_id) if isinstance(format_id, str) else None


def _wrong(path: list[str], error: Any, doc: dict[str, Any]) -> str:
    """What is wrong with one value, worded for the place it is in."""
    fmt = _format_of(doc)
    if len(path) == 2 and path[0] == "cells" and fmt and path[1] in fmt.cells:
        return _cell_problem(fmt.cells[path[1]], error.validator, error.instance)
    if error.validator == "pattern" and tuple(path) in _NAMES:
        return _name_problem(tuple(path), error.instance)
    if error.validator == "pattern" and len(path) == 3 and path[0] == "aggregate":
        return _name_problem(("agency",), error.instance)
    special = _FIELD_PROBLEMS.get(tuple(path))
    if special is not None:
        return special(error.instance)
    return _generic_problem(error.validator, error.validator_value, error.instance)


def _cell_problem(cell: CellDef, validator: str, raw: object) -> str:
    if cell.kind is CellKind.MONEY:
        if validator == "type":
            return f'金额应写成字符串形式的数字（如 "67.74"），不能是{_what(raw)}'
        return f"“{raw}”不是有效的金额：{_money_reason(str(raw))}"
    if validator == "type":
        return f"应为整数，不能是{_what(raw)}"
    if validator == "minimum" and cell.kind is CellKind.COUNT:
        return f"不能为负数（{raw}）"
    if validator == "minimum":
        return f"数值{raw}过小，不能小于-{MAX_COUNT:,}"
    if cell.derived:
        return f"合计{raw}超过了各项之和可能的最大值"
    return f"数值{raw}过大，超过{MAX_COUNT:,}，请核实"


def _money_reason(text: str) -> str:
    whole, _, fraction = text.partition(".")
    if "e" in text.lower():
        return '不能用科学计数法，应写成如 "67.74"'
    if text.startswith("-"):
        return "金额不能为负数"
    if len(fraction) > MONEY_PLACES:
        return f"最多{MONEY_PLACES}位小数"
    if whole.isdigit() and len(whole) > MAX_MONEY_DIGITS:
        return f"金额过大（整数部分最多{MAX_MONEY_DIGITS}位）"
    return f"应为不小于0的数字，最多{MONEY_PLACES}位小数，不带单位和逗号"


def _year_problem(raw: object) -> str:
    return f"应为{FIRST_YEAR}到{LAST_YEAR}之间的整数，不能是{_what(raw)}"


def _format_problem(raw: object) -> str:
    known = "或".join(f"“{key}”" for key in FORMATS)
    return f"报告格式应为{known}，不能是{_what(raw)}"


def _date_problem(raw: object) -> str:
    return f'日期应写成文字“YYYY-MM-DD”（如 "2020-01-20"）并且是真实的日期，不能是{_what(raw)}'


def _version_code_problem(raw: object) -> str:
    if isinstance(raw, str):
        return f"“{raw}”不是有效的版本码（应为“K7QX-3MPA”这样的8位码）"
    return f"应为版本码文字，不能是{_what(raw)}"


_FIELD_PROBLEMS: dict[tuple[str, ...], Callable[[object], str]] = {
    ("year",): _year_problem,
    ("format",): _format_problem,
    ("signature", "date"): _date_problem,
    ("version",): _version_code_problem,
}

_TYPE_NAMES = {"string": "文字", "integer": "整数", "object": "对象（{…}）", "array": "数组（[…]）"}


def _generic_problem(validator: str, limit: Any, raw: object) -> str:
    if validator == "type":
        return f"应为{_TYPE_NAMES.get(limit, limit)}，不能是{_what(raw)}"
    if validator == "minLength":
        return "不能为空"
    if validator == "maxLength" and isinstance(raw, str):
        return f"过长（{len(raw):,}字），最多{limit:,}字"
    if validator in ("enum", "const"):
        allowed = limit if validator == "enum" else [limit]
        return f"应为{'或'.join(f'“{value}”' for value in allowed)}，不能是{_what(raw)}"
    return f"不符合数据文件格式（{validator}）"


def _what(raw: object) -> str:
    """A value as the clerk wrote it, for messages."""
    if isinstance(raw, Decimal):
        hint = "（整数不要写小数点）" if raw == raw.to_integral_value() else ""
        return f"小数{raw}{hint}"
    if isinstance(raw, int) and not isinstance(raw, bool):
        return f"整数{raw}"
    if isinstance(raw, bool):
        return f"真假值{str(raw).lower()}"
    return json_type(raw)


# ---------------------------------------------------------------------------- the report


#: The names (place in the file → what the clerk calls it, whether it may break lines), whose
#: ``pattern`` in the schema is :func:`model.names.schema_pattern`.
_NAMES = {
    ("agency",): (names.AGENCY, False),
    ("title",): (names.TITLE, True),
    ("signature", "agency"): (names.SIGNATURE, False),
}


def _name_problem(place: tuple[str, ...], raw: object) -> str:
    """Why the schema's pattern refused the name at ``place``, as :mod:`model.names` says it."""
    what, breaks = _NAMES[place]
    try:
        names.clean_name(str(raw), what, line_breaks=breaks)
    except names.InvalidName as error:
        return str(error)
    return f"{what}不能为空（不能只有空格）"


def _clean(value: str | None, what: str, line_breaks: bool = False) -> str | None:
    if value is None:
        return None
    return names.clean_name(value, what, line_breaks=line_breaks) or None


def _report(doc: dict[str, Any]) -> Report:
    """A :class:`Report` from a document the schema accepted (so
    every lookup is safe); names in the form :mod:`model.names` stores them."""
    fmt = FORMATS[doc["format"]]
    signature = doc.get("signature", {})
    date = signature.get("date")
    return Report(
        format_id=fmt.id,
        agency=names.clean_name(doc["agency"], names.AGENCY),
        year=doc["year"],
        title=_clean(doc.get("title"), names.TITLE, line_breaks=True),
        cells=_values(fmt, doc["cells"], derived=False),
        declared=_values(fmt, doc["cells"], derived=True),
        units=dict(doc.get("units", {})),
        texts=dict(doc.get("texts", {})),
        signature_agency=_clean(signature.get("agency"), names.SIGNATURE),
        signature_date=dt.date.fromisoformat(date) if date is not None else None,
    )


def _values(fmt: ReportFormat, cells: dict[str, Any], *, derived: bool) -> dict[str, CellValue]:
    """Input cells go to ``Report.cells``; derived ones (only kept to be compared with the
    computed totals) to ``Report.declared``."""
    return {
        key: from_json(fmt.cells[key].kind, raw) if not derived else raw
        for key, raw in cells.items()
        if fmt.cells[key].derived is derived
    }


# ---------------------------------------------------------------------------- writing


class _Coverage(Protocol):
    """:class:`model.aggregate.Coverage`, as far as the data file needs it."""

    @property
    def covered(self) -> tuple[str, ...]: ...
    @property
    def missing(self) -> tuple[str, ...]: ...
    @property
    def other_format(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class AggregateMembers:
    """What the data file of a 汇总 says about the units it sums (its ``aggregate`` object):
    for the county office's own records and other programs; a reader ignores it."""

    units: tuple[str, ...]
    missing: tuple[str, ...] = ()
    other_format: tuple[str, ...] = ()

    @classmethod
    def of(cls, coverage: _Coverage) -> AggregateMembers:
        """From a :class:`model.aggregate.Coverage`."""
        return cls(tuple(coverage.covered), tuple(coverage.missing), tuple(coverage.other_format))

    @classmethod
    def from_lists(cls, lists: Mapping[str, Sequence[str]]) -> AggregateMembers:
        """From the ``aggregate`` object's lists by name; a name the schema lacks is a bug."""
        stray = set(lists) - set(AGGREGATE_LISTS)
        if stray:
            raise ValueError(f"aggregate has lists outside the schema: {sorted(stray)}")
        units, missing, other = (tuple(lists.get(key, ())) for key in AGGREGATE_LISTS)
        return cls(units, missing, other)

    def as_json(self) -> dict[str, list[str]]:
        lists = {"units": self.units, "missing": self.missing, "other_format": self.other_format}
        assert set(lists) == set(AGGREGATE_LISTS)  # the schema's lists, in its order
        return {key: list(lists[key]) for key in AGGREGATE_LISTS}


def aggregate_members(data: bytes) -> AggregateMembers | None:
    """The ``aggregate`` object of a data file :func:`read_datafile` accepted: set only in a
    county's 汇总, which must never be taken for one unit's report (collected with the units'
    reports, it would count them twice)."""
    import json

    doc = json.loads(_decode(data))
    lists = doc.get("aggregate") if isinstance(doc, dict) else None
    return AggregateMembers.from_lists(lists) if isinstance(lists, dict) else None


def write_datafile(
    report: Report,
    *,
    version: bool = False,
    aggregate: AggregateMembers | Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The canonical text of ``report``: fixed key order, two-space indent, Chinese unescaped,
    a final newline.  ``read_datafile`` of it gives back an equal report.  With ``version``,
    the report's version code (:mod:`model.version`) closes the file, as in the submission
    package; a reader recomputes the code from the content and never takes it from the file.
    ``aggregate`` (a 汇总's units: :class:`AggregateMembers`, or a mapping of the schema's
    lists ``units``, ``missing``, ``other_format``) is written before the version code; a
    reader ignores it."""
    doc = _document(report)
    if isinstance(aggregate, Mapping):
        aggregate = AggregateMembers.from_lists(aggregate)
    if aggregate is not None:
        doc["aggregate"] = aggregate.as_json()
    if version:
        doc["version"] = version_code(report)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _document(report: Report) -> dict[str, object]:
    fmt = report.format
    doc: dict[str, object] = {"schema": SCHEMA_ID, "format": fmt.id}
    doc.update(agency=report.agency, year=report.year)
    if report.title is not None:
        doc["title"] = report.title
    doc["cells"] = _written_cells(report, fmt)
    if report.units:
        doc["units"] = _in_order(report.units, fmt.input_keys, "units")
    if report.texts:
        doc["texts"] = _in_order(report.texts, fmt.text_keys, "texts")
    signature = _signature(report)
    if signature:
        doc["signature"] = signature
    return doc


def _written_cells(report: Report, fmt: ReportFormat) -> dict[str, int | str]:
    """Filled input cells in print order, then the declared totals an imported file carried."""
    inputs = _in_order(report.cells, fmt.input_keys, "cells")
    declared = _in_order(report.declared, fmt.derived_keys, "declared")
    return {key: to_json(value) for key, value in (inputs | declared).items()}


def _in_order(values: dict[str, _T], order: tuple[str, ...], what: str) -> dict[str, _T]:
    """``values`` in the format's order; a key the format lacks is a bug, not data to drop."""
    stray = set(values) - set(order)
    if stray:
        raise ValueError(f"Report.{what} has keys outside the format: {sorted(stray)}")
    return {key: values[key] for key in order if key in values}


def _signature(report: Report) -> dict[str, str]:
    signature: dict[str, str] = {}
    if report.signature_agency is not None:
        signature["agency"] = report.signature_agency
    if report.signature_date is not None:
        signature["date"] = report.signature_date.isoformat()
    return signature
