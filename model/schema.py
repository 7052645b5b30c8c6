"""The JSON Schema (draft 2020-12) of the ``.nianbao.json`` data file, generated from the formats.

The schema is published for other programs (a county office's aggregation script, say), so it
must say exactly what :func:`model.datafile.read_datafile` accepts.  It is therefore generated
from :mod:`model.formats`, never written by hand: a cell added to a format is in the schema the
moment it is in the format, and a test fails when the committed copy in
``resources/schema/`` is not what :func:`build_schema` generates.  Rewrite it with
``python -m model.schema``.

One thing JSON Schema cannot say: a count written with a decimal point (``3.0``) is refused.
:mod:`model.datafile` parses fractions as ``Decimal``, which ``jsonschema`` never takes for an
integer; a validator that parses them as floats would let ``3.0`` through.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from model.formats import (
    FIRST_YEAR,
    FORMATS,
    LAST_YEAR,
    MAX_COUNT,
    MAX_MONEY_DIGITS,
    MONEY_PLACES,
    CellDef,
    CellKind,
)
from model.formats.types import ReportFormat
from model.names import schema_pattern
from model.version import ALPHABET, LENGTH

SCHEMA_ID = "nianbao/1"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "resources/schema/nianbao-1.schema.json"

MAX_AGENCY = 200
#: The most units one list of a 汇总's ``aggregate`` object may name (a county has a few
#: hundred at most).
MAX_UNITS = 2000
#: The lists of the optional ``aggregate`` object, written only in the data file of a 汇总 (a
#: county's report summing its units'): the units summed, those that did not report, and those
#: that reported in another format and so were not summed.
AGGREGATE_LISTS = {
    "units": "汇总的单位",
    "missing": "应报未报的单位",
    "other_format": "使用其他格式、未汇总的单位",
}
MAX_TITLE = 500
#: The most characters one of a report's texts (前言, 总体情况, …) may hold, wherever it comes
#: from: the data file (this schema), the window, an import.  Real reports run to a few
#: thousand characters a part; this is several times that, and small enough that the largest
#: report the limits allow exports in seconds.  A PDF's time grows with its printed lines: four
#: texts of 20,000 characters in long paragraphs print in about 1 s, as 20,000 one-character
#: lines each (the most lines they can make) in about 6 s (benchmarks/bench_export.py).  It
#: was 200,000, which took minutes to print; a file with a longer text, valid then, is now
#: refused with a message naming the text and its length (a change to nianbao/1, made before
#: any real report came near the limit).
MAX_TEXT = 20_000

#: The end of a pattern.  ``$`` alone would also match before a final newline in Python's
#: ``re`` (which ``jsonschema`` uses), letting "67.74\n" through; the lookahead closes that gap
#: and means the same in ECMA-262.  Digits are spelled [0-9] because Python's ``\d`` also
#: matches other scripts' digits (٢٠٢٠), which ``Decimal`` would quietly accept.
END = r"(?!\n)$"
MONEY_PATTERN = rf"^[0-9]{{1,{MAX_MONEY_DIGITS}}}(\.[0-9]{{1,{MONEY_PLACES}}})?{END}"


def _date_pattern() -> str:
    """A calendar date YYYY-MM-DD (years 1000–2999), leap years included.

    Spelled as a pattern rather than ``"format": "date"`` because validators treat ``format``
    as a mere annotation by default; this way every validator refuses 2023-02-30, as the
    reader does.
    """
    year = r"[12][0-9]{3}"
    day_31 = r"(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
    day_30 = r"(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    day_28 = r"02-(0[1-9]|1[0-9]|2[0-8])"
    leap_year = r"[12][0-9](0[48]|[2468][048]|[13579][26])|(1[26]|2[048])00"
    return rf"^({year}-({day_31}|{day_30}|{day_28})|({leap_year})-02-29){END}"


DATE_PATTERN = _date_pattern()
#: A version code (model.version): “K7QX-3MPA”, in the code's 32 characters.
VERSION_PATTERN = rf"^[{ALPHABET}]{{{LENGTH // 2}}}-[{ALPHABET}]{{{LENGTH // 2}}}{END}"


def _string(
    max_length: int, min_length: int = 0, description: str = "", pattern: str = ""
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if min_length:
        schema["minLength"] = min_length
    schema["maxLength"] = max_length
    if pattern:
        schema["pattern"] = pattern
    if description:
        schema["description"] = description
    return schema


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be one of a report's texts, in the words the data file's reader
    uses (None: it can).  Characters are Unicode code points, as JSON Schema counts them."""
    if len(text) > MAX_TEXT:
        return f"过长（{len(text):,}字），最多{MAX_TEXT:,}字"
    return None


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """A closed object: an unexpected key is an error, never silently ignored."""
    schema: dict[str, Any] = {"type": "object"}
    if description:
        schema["description"] = description
    schema["properties"] = properties
    schema["additionalProperties"] = False
    return schema


def _value_defs() -> dict[str, Any]:
    """The three kinds of input cell, shared by every cell of both formats."""
    return {
        "count": {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
        "signed_count": {"type": "integer", "minimum": -MAX_COUNT, "maximum": MAX_COUNT},
        "money": {"type": "string", "pattern": MONEY_PATTERN},
    }


def _cell_schema(fmt: ReportFormat, cell: CellDef) -> dict[str, Any]:
    """An input cell refers to its kind; a derived cell is an integer no larger than its terms
    could add up to (it is compared with the computed total later, not trusted)."""
    description = fmt.part_of_table(cell.table.key).ordinal + cell.place
    if not cell.derived:
        return {"$ref": f"#/$defs/{cell.kind.value}", "description": description}
    return {
        "type": "integer",
        "minimum": 0,
        "maximum": len(cell.terms) * MAX_COUNT,
        "description": description + "（合计，只作核对）",
    }


def cells_schema(fmt: ReportFormat) -> dict[str, Any]:
    properties = {key: _cell_schema(fmt, cell) for key, cell in fmt.cells.items()}
    return _object(properties, f"{fmt.id}格式的单元格；缺少的输入单元格为空白")


def units_schema(fmt: ReportFormat) -> dict[str, Any]:
    """Only money cells whose column offers a choice of unit may name one."""
    properties = {
        key: {"enum": list(cell.column.unit_choices)}
        for key, cell in fmt.cells.items()
        if cell.kind is CellKind.MONEY and cell.column.unit_choices
    }
    return _object(properties, f"{fmt.id}格式中可选单位的金额单元格的单位")


def texts_schema(fmt: ReportFormat) -> dict[str, Any]:
    properties = {key: _string(MAX_TEXT) for key in fmt.text_keys}
    return _object(properties, f"{fmt.id}格式的文字部分；缺少的为空白")


#: What each format decides for itself, by the name of its entry in ``$defs``.
_BY_FORMAT = {"cells": cells_schema, "units": units_schema, "texts": texts_schema}


def _format_branch(fmt: ReportFormat) -> dict[str, Any]:
    return {
        "if": {"properties": {"format": {"const": fmt.id}}, "required": ["format"]},
        "then": {"properties": {name: {"$ref": f"#/$defs/{name}_{fmt.id}"} for name in _BY_FORMAT}},
    }


def _names(max_items: int, description: str) -> dict[str, Any]:
    """A list of agencies' names, as ``agency`` allows them."""
    return {
        "type": "array",
        "description": description,
        "maxItems": max_items,
        "items": _string(MAX_AGENCY, 1, pattern=schema_pattern(required=True)),
    }


def _top_properties() -> dict[str, Any]:
    signature = {
        "agency": _string(MAX_AGENCY, pattern=schema_pattern()),
        "date": {"type": "string", "pattern": DATE_PATTERN, "format": "date"},
    }
    return {
        "schema": {"const": SCHEMA_ID},
        "format": {"enum": list(FORMATS)},
        "agency": _string(MAX_AGENCY, 1, "报送机关名称", schema_pattern(required=True)),
        "year": {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
        "title": _string(
            MAX_TITLE,
            description="标题；缺省为“{机关}{年度}年政府信息公开工作年度报告”；可以分行",
            pattern=schema_pattern(line_breaks=True),
        ),
        "cells": {"type": "object"},
        "units": {"type": "object"},
        "texts": {"type": "object"},
        "signature": _object(signature, "落款"),
        "aggregate": _object(
            {key: _names(MAX_UNITS, what) for key, what in AGGREGATE_LISTS.items()},
            "只在汇总报告的数据文件中写出：汇总了哪些单位；读取时不采用",
        ),
        "version": {
            "type": "string",
            "pattern": VERSION_PATTERN,
            "description": "版本码，由内容算出，写出时附上只作核对；读取时不采用，按内容重新计算",
        },
    }


def _defs() -> dict[str, Any]:
    defs = _value_defs()
    for fmt in FORMATS.values():
        defs.update({f"{name}_{fmt.id}": build(fmt) for name, build in _BY_FORMAT.items()})
    return defs


def build_schema() -> dict[str, Any]:
    """The whole schema; ``cells``, ``units`` and ``texts`` are chosen by ``format``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "政府信息公开工作年度报告数据文件（nianbao/1）",
        "type": "object",
        "required": ["schema", "format", "agency", "year", "cells"],
        "properties": _top_properties(),
        "additionalProperties": False,
        "allOf": [_format_branch(fmt) for fmt in FORMATS.values()],
        "$defs": _defs(),
    }


def render_schema() -> str:
    """The committed file's exact text: readable, Chinese unescaped, in generated order."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8", newline="\n")
    print(f"wrote {SCHEMA_PATH}")


if __name__ == "__main__":
    main()
