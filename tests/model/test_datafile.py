"""The data file: canonical round trips, every kind of refusal, and agreement with the schema."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from model.datafile import (
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    DataFileError,
    read_datafile,
    write_datafile,
)
from model.formats import FIRST_YEAR, FORMATS, LAST_YEAR, MAX_COUNT, CellKind, ReportFormat
from model.names import InvalidName, clean_name
from model.report import Report
from model.schema import MAX_TEXT, build_schema

DATA = Path(__file__).resolve().parents[2] / "resources" / "examples"
EXAMPLE_2019 = DATA / "example-2019-township.nianbao.json"
SAMPLE_2021 = DATA / "sample-2021-county-bureau.nianbao.json"
FIXTURES = [EXAMPLE_2019, SAMPLE_2021]
VALIDATOR = Draft202012Validator(build_schema())
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def dump(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        read_datafile(data)
    return caught.value.problems


# ---------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_round_trip_is_byte_for_byte(path: Path) -> None:
    original = path.read_bytes()
    assert write_datafile(read_datafile(original)).encode("utf-8") == original


def test_the_2019_example_reads_as_expected() -> None:
    report = read_datafile(EXAMPLE_2019.read_bytes())
    assert (report.format_id, report.agency, report.year) == ("2019", "古城回族乡人民政府", 2019)
    assert report.title == "古城回族乡政府信息公开年度报告"
    assert report.cells["art20_9.procurement.amount"] == Decimal("67.74")
    assert report.cells["art20_9.procurement.projects"] == 9
    assert "appeals.review.upheld" not in report.cells
    assert report.units == {"art20_9.procurement.amount": "万元"}
    assert report.texts["other_matters"] == ""
    assert report.declared == {}
    assert (report.signature_agency, report.signature_date) == (None, None)


def test_the_2021_sample_reads_as_expected() -> None:
    report = read_datafile(SAMPLE_2021.read_bytes())
    assert report.title is None
    assert report.cells["art20_8.fees.amount"] == Decimal("126.4370")
    assert "preamble" not in report.texts
    assert report.signature_agency == "某某县自然资源局"
    assert report.signature_date == dt.date(2023, 1, 18)


def test_a_bom_is_tolerated() -> None:
    original = EXAMPLE_2019.read_bytes()
    assert read_datafile(b"\xef\xbb\xbf" + original) == read_datafile(original)


def test_derived_cells_go_to_declared_even_when_they_disagree() -> None:
    """A wrong total is a finding for model.checks, not a reason to refuse the file."""
    doc = load(SAMPLE_2021)
    doc["cells"]["requests.new.total"] = 999
    doc["cells"]["appeals.review.total"] = 4
    report = read_datafile(dump(doc))
    assert report.declared == {"requests.new.total": 999, "appeals.review.total": 4}
    assert "requests.new.total" not in report.cells
    text = write_datafile(report)
    assert text.index('"appeals.suit_after_review.pending"') < text.index('"requests.new.total"')
    assert text.index('"requests.new.total"') < text.index('"appeals.review.total"')


def test_writing_keeps_order_and_omits_only_what_is_unset() -> None:
    report = Report(
        "2019",
        "某乡人民政府",
        2020,
        cells={"requests.new.natural": 3, "art20_9.procurement.amount": Decimal("1.500")},
        texts={"problems": "", "preamble": "前言"},
        signature_date=dt.date(2021, 1, 5),
    )
    doc = json.loads(write_datafile(report))
    assert list(doc) == ["schema", "format", "agency", "year", "cells", "texts", "signature"]
    assert doc["cells"] == {"art20_9.procurement.amount": "1.500", "requests.new.natural": 3}
    assert list(doc["cells"]) == ["art20_9.procurement.amount", "requests.new.natural"]
    assert list(doc["texts"].items()) == [("preamble", "前言"), ("problems", "")]
    assert doc["signature"] == {"date": "2021-01-05"}


def test_a_report_with_a_key_outside_its_format_is_a_bug() -> None:
    report = Report("2019", "某乡人民政府", 2020, cells={"requests.other_no_fee.natural": 1})
    with pytest.raises(ValueError, match="other_no_fee"):
        write_datafile(report)


# ---------------------------------------------------------------------------- refusals


def mutate(path: Path, change: Callable[[dict[str, Any]], None]) -> bytes:
    doc = load(path)
    change(doc)
    return dump(doc)


def set_cell(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["cells"].__setitem__(key, value)


REFUSALS: list[tuple[str, Path, Callable[[dict[str, Any]], None], str]] = [
    (
        "text in a count",
        EXAMPLE_2019,
        set_cell("requests.new.natural", "abc"),
        "cells.requests.new.natural：应为整数，不能是文字“abc”",
    ),
    (
        "key of the other format",
        EXAMPLE_2019,
        set_cell("requests.other_no_fee.natural", 0),
        "cells.requests.other_no_fee.natural：这是2021格式的单元格，本文件是2019格式（该格式没有这一项）",
    ),
    (
        "key of no format",
        SAMPLE_2021,
        set_cell("requests.bogus.natural", 0),
        "cells.requests.bogus.natural：不是2021格式的单元格（该格式没有这一项）",
    ),
    ("unknown top-level field", EXAMPLE_2019, lambda d: d.__setitem__("foo", 1), "未知的字段“foo”"),
    (
        "unknown text",
        EXAMPLE_2019,
        lambda d: d["texts"].__setitem__("summary", ""),
        "texts：未知的字段“summary”",
    ),
    (
        "unknown signature field",
        SAMPLE_2021,
        lambda d: d["signature"].__setitem__("seal", "x"),
        "signature：未知的字段“seal”",
    ),
    (
        "unsupported version",
        EXAMPLE_2019,
        lambda d: d.__setitem__("schema", "nianbao/9"),
        "schema：不支持的版本“nianbao/9”，本程序读取 nianbao/1",
    ),
    (
        "year too early",
        EXAMPLE_2019,
        lambda d: d.__setitem__("year", 1999),
        "year：应为2000到2100之间的整数",
    ),
    (
        "year as text",
        EXAMPLE_2019,
        lambda d: d.__setitem__("year", "2019"),
        "year：应为2000到2100之间的整数，不能是文字“2019”",
    ),
    (
        "negative count",
        EXAMPLE_2019,
        set_cell("requests.granted.legal", -2),
        "cells.requests.granted.legal：不能为负数（-2）",
    ),
    (
        "count too large",
        EXAMPLE_2019,
        set_cell("requests.granted.legal", MAX_COUNT + 1),
        "cells.requests.granted.legal：数值1000000001过大",
    ),
    (
        "integral float count",
        EXAMPLE_2019,
        set_cell("requests.new.natural", 3.0),
        "cells.requests.new.natural：应为整数，不能是小数3.0",
    ),
    (
        "fractional count",
        EXAMPLE_2019,
        set_cell("requests.new.natural", 3.5),
        "cells.requests.new.natural：应为整数，不能是小数3.5",
    ),
    (
        "true as count",
        EXAMPLE_2019,
        set_cell("requests.new.natural", True),
        "cells.requests.new.natural：应为整数，不能是真假值true",
    ),
    (
        "signed count too small",
        EXAMPLE_2019,
        set_cell("art20_5.licensing.change", -MAX_COUNT - 1),
        "cells.art20_5.licensing.change：数值-1000000001过小",
    ),
    (
        "money as number",
        EXAMPLE_2019,
        set_cell("art20_9.procurement.amount", 67.74),
        "cells.art20_9.procurement.amount：金额应写成字符串形式的数字",
    ),
    (
        "money with 7 decimals",
        SAMPLE_2021,
        set_cell("art20_8.fees.amount", "1.1234567"),
        "cells.art20_8.fees.amount：“1.1234567”不是有效的金额：最多6位小数",
    ),
    (
        "money with exponent",
        SAMPLE_2021,
        set_cell("art20_8.fees.amount", "1e5"),
        "cells.art20_8.fees.amount：“1e5”不是有效的金额：不能用科学计数法",
    ),
    (
        "money with trailing newline",
        SAMPLE_2021,
        set_cell("art20_8.fees.amount", "1.5\n"),
        "cells.art20_8.fees.amount：",
    ),
    (
        "negative derived",
        SAMPLE_2021,
        set_cell("requests.new.total", -1),
        "cells.requests.new.total：不能为负数（-1）",
    ),
    (
        "unknown unit",
        EXAMPLE_2019,
        lambda d: d["units"].__setitem__("art20_9.procurement.amount", "千元"),
        "units.art20_9.procurement.amount：应为“万元”或“元”，不能是文字“千元”",
    ),
    (
        "unit of a fixed-unit cell",
        SAMPLE_2021,
        lambda d: d.__setitem__("units", {"art20_8.fees.amount": "元"}),
        "units.art20_8.fees.amount：这一项的单位固定为万元，不能另选",
    ),
    (
        "impossible date",
        SAMPLE_2021,
        lambda d: d["signature"].__setitem__("date", "2023-02-30"),
        "signature.date：日期应写成文字“YYYY-MM-DD”",
    ),
    (
        "date with slashes",
        SAMPLE_2021,
        lambda d: d["signature"].__setitem__("date", "2023/01/18"),
        "signature.date：",
    ),
    (
        "date with other digits",
        SAMPLE_2021,
        lambda d: d["signature"].__setitem__("date", "٢٠٢٣-٠١-١٨"),
        "signature.date：",
    ),
    ("missing agency", EXAMPLE_2019, lambda d: d.pop("agency"), "缺少必填字段“agency”"),
    ("missing cells", EXAMPLE_2019, lambda d: d.pop("cells"), "缺少必填字段“cells”"),
    ("empty agency", EXAMPLE_2019, lambda d: d.__setitem__("agency", ""), "agency：不能为空"),
    (
        "long title",
        EXAMPLE_2019,
        lambda d: d.__setitem__("title", "题" * 501),
        "title：过长（501字），最多500字",
    ),
    (
        "unknown format",
        EXAMPLE_2019,
        lambda d: d.__setitem__("format", "2020"),
        "format：报告格式应为“2019”或“2021”，不能是文字“2020”",
    ),
    (
        "texts as list",
        EXAMPLE_2019,
        lambda d: d.__setitem__("texts", []),
        "texts：应为对象（{…}），不能是列表",
    ),
    (
        "text as number",
        EXAMPLE_2019,
        lambda d: d["texts"].__setitem__("overview", 1),
        "texts.overview：应为文字，不能是整数1",
    ),
]


@pytest.mark.parametrize(
    ("path", "change", "expected"),
    [pytest.param(p, c, e, id=name) for name, p, c, e in REFUSALS],
)
def test_refusal_names_the_key_and_the_problem(path: Path, change, expected: str) -> None:
    problems = problems_of(mutate(path, change))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_every_problem_is_reported_at_once() -> None:
    def break_three(doc: dict[str, Any]) -> None:
        doc["cells"]["requests.new.natural"] = -1
        doc["cells"]["requests.new.business"] = "x"
        doc["foo"] = 1

    assert len(problems_of(mutate(EXAMPLE_2019, break_three))) == 3


def test_problems_are_capped() -> None:
    doc = load(SAMPLE_2021)
    doc["cells"] = {key: -1 for key in doc["cells"]}
    problems = problems_of(dump(doc))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].startswith("……另有")


def test_message_joins_the_problems_under_the_source() -> None:
    data = mutate(EXAMPLE_2019, lambda d: d.update(foo=1, bar=2))
    with pytest.raises(DataFileError) as caught:
        read_datafile(data, source="古城乡.nianbao.json")
    assert str(caught.value).splitlines() == [
        "“古城乡.nianbao.json”不是有效的年报数据文件：",
        "未知的字段“foo”",
        "未知的字段“bar”",
    ]


PARSE_REFUSALS = [
    ("empty", b"", "文件是空的"),
    ("whitespace", b" \n", "文件是空的"),
    ("gbk", '{"agency": "古城"}'.encode("gbk"), "文件不是UTF-8编码：第1行"),
    ("utf-16", '{"a": 1}'.encode("utf-16"), "文件是UTF-16编码"),
    ("trailing comma", b'{\n  "a": 1,\n}', "不是有效的JSON：第3行第1列"),
    ("missing comma", b'{"a": 1 "b": 2}', "不是有效的JSON：第1行第9列，此处缺少逗号"),
    ("truncated", b'{"schema": "nianbao/1", "for', "不是有效的JSON：第1行第25列"),
    ("nan", b'{"year": NaN}', "不允许写 NaN"),
    ("infinity", b'{"year": -Infinity}', "不允许写 -Infinity"),
    ("duplicate", b'{"a": {"b": 1, "b": 2}}', "字段“b”重复出现"),
    ("list", b"[]", "文件最外层应为一个对象（{…}），不能是列表"),
    ("string", b'"nianbao"', "文件最外层应为一个对象"),
    ("lone surrogate", b'{"agency": "\\ud800"}', "文件中有无效的Unicode字符"),
    ("long number", b'{"year": ' + b"9" * 5000 + b"}", "数字“99999999999999999999…”过长"),
    ("deep nesting", b"[" * 10_000 + b"]" * 10_000, "JSON嵌套层次过深"),
    ("deep objects", b'{"a":' * 4_000 + b"1" + b"}" * 4_000, "JSON嵌套层次过深"),
    ("deeper objects", b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "文件中的字段超过5,000个"),
    ("utf-32", '{"agency": "古城"}'.encode("utf-32"), "文件是UTF-32编码"),
    ("utf-32 no bom", '{"agency": "古城"}'.encode("utf-32-le"), "文件是UTF-32编码"),
    ("utf-16 no bom", '{"agency": "古城"}'.encode("utf-16-le"), "文件是UTF-16编码"),
    ("moderately deep", b'{"a":' * 200 + b"1" + b"}" * 200, "JSON嵌套层次过深"),
]


@pytest.mark.parametrize(
    ("data", "expected"), [pytest.param(d, e, id=name) for name, d, e in PARSE_REFUSALS]
)
def test_parse_refusal(data: bytes, expected: str) -> None:
    problems = problems_of(data)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_file_over_the_size_limit_is_not_parsed() -> None:
    data = b'{"texts": {"overview": "' + b"a" * MAX_FILE_BYTES + b'"}}'
    assert problems_of(data) == ["文件过大（20.0 MB），年报数据文件不超过20 MB"]


def test_a_huge_text_under_the_size_limit_is_refused_by_length() -> None:
    doc = load(EXAMPLE_2019)
    doc["texts"]["overview"] = "字" * 1_000_000
    assert problems_of(dump(doc)) == [f"texts.overview：过长（1,000,000字），最多{MAX_TEXT:,}字"]


# ---------------------------------------------------------------------------- hypothesis

TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "𠀀", "䶮", '𠀀䶮\n\t"\\', "（一）“三安全一稳定”"]),
)


def money() -> st.SearchStrategy[Decimal]:
    whole = st.integers(0, 10**12 - 1)
    fraction = st.one_of(st.none(), st.text("0123456789", min_size=1, max_size=6))
    return st.builds(lambda w, f: Decimal(f"{w}.{f}" if f else str(w)), whole, fraction)


def cell_value(fmt: ReportFormat, key: str) -> st.SearchStrategy[Any]:
    kind = fmt.cells[key].kind
    if kind is CellKind.MONEY:
        return money()
    low = -MAX_COUNT if kind is CellKind.SIGNED_COUNT else 0
    return st.one_of(st.integers(low, MAX_COUNT), st.sampled_from([0, low, MAX_COUNT]))


@st.composite
def values_for(draw: st.DrawFn, fmt: ReportFormat, keys: tuple[str, ...]) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
    values = {}
    for key in chosen:
        if fmt.cells[key].derived:
            values[key] = draw(st.integers(0, len(fmt.cells[key].terms) * MAX_COUNT))
        else:
            values[key] = draw(cell_value(fmt, key))
    return values


#: Characters a name may hold (model.names): no control, format, surrogate or separator
#: characters, and no unassigned ones (which include the noncharacters).
NAME_CHARS = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Cn"))


def names_as_stored(line_breaks: bool = False) -> st.SearchStrategy[str]:
    """Names as the database holds them: cleaned by model.names, never blank."""
    alphabet = st.one_of(NAME_CHARS, st.just("\n")) if line_breaks else NAME_CHARS
    text = st.text(alphabet, min_size=1, max_size=30)

    def stored(t: str) -> str:
        # Some marks of category Mn are invisible too (U+034F COMBINING GRAPHEME JOINER):
        # clean_name refuses them, so no stored name holds one.
        try:
            return clean_name(t, line_breaks=line_breaks)
        except InvalidName:
            return ""

    return text.map(stored).filter(bool)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    fmt = draw(st.sampled_from(list(FORMATS.values())))
    unit_keys = [k for k in fmt.input_keys if fmt.cells[k].column.unit_choices]
    units = {k: draw(st.sampled_from(fmt.cells[k].column.unit_choices)) for k in unit_keys}
    return Report(
        format_id=fmt.id,
        agency=draw(names_as_stored() | st.just("古城回族乡人民政府")),
        year=draw(st.integers(FIRST_YEAR, LAST_YEAR)),
        title=draw(st.none() | names_as_stored(line_breaks=True)),
        cells=draw(values_for(fmt, fmt.input_keys)),
        declared=draw(values_for(fmt, fmt.derived_keys)),
        units=draw(st.sampled_from([{}, units])),
        texts=draw(st.dictionaries(st.sampled_from(fmt.text_keys), TEXTS)),
        signature_agency=draw(st.none() | names_as_stored()),
        signature_date=draw(
            st.none() | st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31))
        ),
    )


@given(reports())
@SETTINGS
def test_random_reports_survive_write_and_read(report: Report) -> None:
    text = write_datafile(report)
    again = read_datafile(text.encode("utf-8"))
    assert again == report
    assert write_datafile(again) == text


# Corruptions: each takes a valid document's canonical text and the report, and returns
# bytes that must be refused.


def other_format_key(report: Report) -> str:
    other = next(f for f in FORMATS.values() if f.id != report.format_id)
    return next(k for k in other.input_keys if k not in report.format.cells)


def set_in(text: str, where: str, key: str, value: object) -> bytes:
    doc = json.loads(text)
    (doc if where == "" else doc.setdefault(where, {}))[key] = value
    return dump(doc)


@st.composite
def corruptions(draw: st.DrawFn) -> bytes:
    report = draw(reports())
    text = write_datafile(report)
    fmt = report.format
    data = text.encode("utf-8")
    kind = draw(st.sampled_from(CORRUPTIONS))
    return kind(draw, report, fmt, text, data)


def wrong_type(draw, report, fmt, text, data) -> bytes:
    key = draw(st.sampled_from(fmt.input_keys))
    bad: list[object] = ["abc", None, [], {}, True, 1.5] + (
        [3] if fmt.cells[key].kind is CellKind.MONEY else []
    )
    return set_in(text, "cells", key, draw(st.sampled_from(bad)))


def negative(draw, report, fmt, text, data) -> bytes:
    counts = [k for k in fmt.cells if fmt.cells[k].kind is CellKind.COUNT]
    return set_in(text, "cells", draw(st.sampled_from(counts)), -draw(st.integers(1, 10**6)))


def unknown_key(draw, report, fmt, text, data) -> bytes:
    where = draw(st.sampled_from(["", "cells", "texts", "signature", "units"]))
    return set_in(text, where, "x_" + draw(st.text(max_size=5)), 0)


def other_format(draw, report, fmt, text, data) -> bytes:
    return set_in(text, "cells", other_format_key(report), 0)


def deleted_field(draw, report, fmt, text, data) -> bytes:
    doc = json.loads(text)
    del doc[draw(st.sampled_from(["schema", "format", "agency", "year", "cells"]))]
    return dump(doc)


def truncated(draw, report, fmt, text, data) -> bytes:
    """Cut before the closing brace (only the final newline may go without harm)."""
    return data[: draw(st.integers(0, len(data) - 3))]


def invalid_utf8(draw, report, fmt, text, data) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xe4\xb8"])) + data[at:]


def duplicate_key(draw, report, fmt, text, data) -> bytes:
    lines = text.split("\n")
    pairs = [i for i, line in enumerate(lines) if '": ' in line and line.endswith(",")]
    at = draw(st.sampled_from(pairs))
    return "\n".join([*lines[: at + 1], lines[at], *lines[at + 1 :]]).encode("utf-8")


CORRUPTIONS = [
    wrong_type,
    negative,
    unknown_key,
    other_format,
    deleted_field,
    truncated,
    invalid_utf8,
    duplicate_key,
]


@given(corruptions())
@SETTINGS
def test_random_corruptions_are_refused_in_chinese(data: bytes) -> None:
    with pytest.raises(DataFileError) as caught:
        read_datafile(data)
    assert caught.value.problems
    assert all(CHINESE.search(problem) for problem in caught.value.problems)
    assert CHINESE.search(str(caught.value))


# Agreement: the reader refuses exactly what the published schema refuses.

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**13), 10**13),
        st.sampled_from(
            [
                0,
                -1,
                MAX_COUNT,
                MAX_COUNT + 1,
                -MAX_COUNT - 1,
                FIRST_YEAR - 1,
                FIRST_YEAR,
                LAST_YEAR,
                LAST_YEAR + 1,
            ]
        ),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([3.0, 3.5, -0.0]),
        st.text(max_size=8),
        st.sampled_from(
            [
                "67.74",
                "1.1234567",
                "1e5",
                "-1",
                "007.50",
                "1.5\n",
                "2020-01-20",
                "2023-02-30",
                "2020-01-20\n",
                "2019",
                "2021",
                "万元",
                "元",
                "nianbao/1",
                "nianbao/9",
                "",
                "١٢",
            ]
        ),
    ),
    lambda children: (
        st.lists(children, max_size=2) | st.dictionaries(st.text(max_size=3), children, max_size=2)
    ),
    max_leaves=4,
)
ALL_KEYS = sorted({k for f in FORMATS.values() for k in f.cells})
TEXT_KEYS = sorted({k for f in FORMATS.values() for k in f.text_keys})
TOP_KEYS = ["schema", "format", "agency", "year", "title", "cells", "units", "texts", "signature"]


@st.composite
def mutated_fixture(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(draw(st.sampled_from(FIXTURE_DOCS)))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["", "cells", "cells", "units", "texts", "signature"]))
        target = doc if where == "" else doc.get(where)
        if not isinstance(target, dict):
            continue
        keys = {
            "": TOP_KEYS,
            "cells": ALL_KEYS,
            "units": ALL_KEYS,
            "texts": TEXT_KEYS,
            "signature": ["agency", "date"],
        }[where]
        key = draw(st.sampled_from([*keys, "foo"]))
        if draw(st.booleans()) and key in target:
            del target[key]
        else:
            target[key] = draw(JSON_VALUES)
    return doc


FIXTURE_DOCS = [load(path) for path in FIXTURES]


@given(mutated_fixture())
@SETTINGS
def test_reader_refuses_exactly_what_the_schema_refuses(doc: dict[str, Any]) -> None:
    data = dump(doc)
    schema_ok = VALIDATOR.is_valid(json.loads(data, parse_float=Decimal))
    try:
        read_datafile(data)
        reader_ok = True
    except DataFileError:
        reader_ok = False
    assert reader_ok is schema_ok
