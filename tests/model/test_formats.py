"""The format definition against the national templates, as docs/FORMATS.md describes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model.errors import UserError
from model.formats import FORMATS, CellKind, format_for_year, get_format

DOC = Path(__file__).resolve().parents[2] / "docs" / "FORMATS.md"


def test_cell_counts_match_the_templates() -> None:
    f2019, f2021 = get_format("2019"), get_format("2021")
    requests_2019 = [k for k in f2019.cells if k.startswith("requests.")]
    requests_2021 = [k for k in f2021.cells if k.startswith("requests.")]
    assert len(requests_2019) == 23 * 7
    assert len(requests_2021) == 25 * 7  # the 175-cell table
    assert len([k for k in f2019.input_keys if k.startswith("art20_")]) == 22
    assert len([k for k in f2021.input_keys if k.startswith("art20_")]) == 10
    assert len([k for k in f2019.cells if k.startswith("appeals.")]) == 15


def test_derived_cells_are_the_totals_only() -> None:
    for fmt in FORMATS.values():
        for key in fmt.derived_keys:
            table, row, column = key.split(".")
            assert column == "total" or (table, row) == ("requests", "handled"), key


def test_handled_adds_up_every_result_row_and_nothing_else() -> None:
    fmt = get_format("2021")
    terms = fmt.cells["requests.handled.natural"].terms
    rows = [t.split(".")[1] for t in terms]
    assert rows[0] == "granted" and rows[-1] == "other_misc"
    assert "new" not in rows and "carried_in" not in rows and "carried_out" not in rows
    assert len(rows) == 21


def test_cell_kinds() -> None:
    f2019, f2021 = get_format("2019"), get_format("2021")
    assert f2019.cells["art20_5.licensing.change"].kind is CellKind.SIGNED_COUNT
    assert f2019.cells["art20_9.procurement.amount"].kind is CellKind.MONEY
    assert f2019.cells["art20_9.procurement.amount"].column.unit_choices == ("万元", "元")
    assert f2021.cells["art20_8.fees.amount"].column.unit == "万元"
    assert f2021.cells["requests.new.natural"].kind is CellKind.COUNT


@pytest.mark.parametrize(
    ("year", "expected"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")]
)
def test_format_follows_the_year(year: int, expected: str) -> None:
    assert format_for_year(year).id == expected


def test_unknown_format_is_refused_in_chinese() -> None:
    with pytest.raises(UserError) as refused:
        get_format("2018")
    # A sentence, not the repr a KeyError would give.
    assert str(refused.value) == "未知的报告格式“2018”（可用：2019、2021）"


def test_six_parts_with_the_official_headings() -> None:
    for fmt in FORMATS.values():
        assert [p.heading for p in fmt.parts] == [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ]


def _doc_pairs() -> set[tuple[str, str]]:
    """Every key with its label in the doc, from a table row whose first two cells are the key
    (in code font) and the label, or from a key in code font followed by a colon and a label."""
    text = DOC.read_text(encoding="utf-8")
    pairs = set(re.findall(r"`(\w+)`: ([^;·|`(\n]+?)\s*(?=[;·|(\n]|$)", text))
    pairs |= set(re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", text, re.MULTILINE))
    return {(k, v.split(" — ")[0].strip()) for k, v in pairs}


def _defined_pairs() -> set[tuple[str, str]]:
    """Every key of the formats with the label the code gives it."""
    defined: set[tuple[str, str]] = set()
    for fmt in FORMATS.values():
        defined.add((fmt.id, fmt.document))
        defined |= {(p.key, p.heading) for p in fmt.parts}
        defined |= {(t.key, t.label) for t in fmt.texts}
        for table in fmt.tables:
            defined.add((table.key, table.caption))
            defined |= {(r.key, r.label) for r in table.rows}
            defined |= {(c.key, c.label) for c in table.columns}
    return defined


def _code_labels() -> set[str]:
    """Every string the formats print or show as a label, heading, hint or note."""
    labels: set[str] = set()
    for fmt in FORMATS.values():
        labels |= {fmt.document, fmt.name}
        labels |= {s for p in fmt.parts for s in (p.heading, p.short)}
        labels |= {s for t in fmt.texts for s in (t.label, t.hint) if s}
        for table in fmt.tables:
            labels |= {table.caption, *(g[0] for g in table.column_groups)}
            labels |= {table.corner} if table.corner else set()
            labels |= {s for r in table.rows for s in (r.label, *r.groups)}
            labels |= {c.label for c in table.columns}
    return labels


def test_every_key_and_label_of_the_doc_is_defined_exactly() -> None:
    pairs = _doc_pairs()
    assert len(pairs) > 60  # the parse found the tables
    unknown = pairs - _defined_pairs()
    assert not unknown


def test_every_label_of_the_code_is_in_the_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = {label for label in _code_labels() if label not in text}
    assert not missing
