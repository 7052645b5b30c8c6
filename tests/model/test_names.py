"""What an agency name, a title and a signing agency may hold (model.names), enforced at every
entry: the data file, and the operations the window uses (create, rename, title, signature)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from model import ops
from model.datafile import DataFileError, read_datafile
from model.db import Database
from model.errors import OperationError
from model.names import AGENCY, InvalidName, clean_name, schema_pattern, visible
from model.schema import SCHEMA_PATH

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "examples"
    / "example-2019-township.nianbao.json"
)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("古城\u200d乡", "U+200D（零宽连接符）"),
        ("古城\u200b乡", "U+200B（零宽空格）"),
        ("\ufeff古城乡", "U+FEFF"),
        ("古城\u00ad乡", "U+00AD（软连字符）"),
        ("古城\u202e乡", "文字方向控制符 U+202E"),
        ("古城\u2067乡", "文字方向控制符 U+2067"),
        ("古城\x00乡", "控制字符 U+0000"),
        ("古城\x1b[31m乡", "控制字符 U+001B"),
        ("古城\x7f乡", "控制字符 U+007F"),
        ("古城\x85乡", "控制字符 U+0085"),
        ("古城\t乡", "制表符 U+0009"),
        ("古城\n乡", "换行符"),
        ("古城\u2028乡", "U+2028"),
        ("古城\ufdd0乡", "无效字符 U+FDD0"),
    ],
)
def test_a_name_may_not_hold_control_or_invisible_characters(text: str, named: str) -> None:
    with pytest.raises(InvalidName, match=re.escape(named)) as raised:
        clean_name(text, AGENCY)
    assert str(raised.value).startswith("机关名称含有")


def test_names_are_trimmed_and_nfc() -> None:
    assert clean_name("  古城乡\u3000") == "古城乡"
    assert clean_name("Cafe\u0301") == "Café"
    assert clean_name("\ue000乡") == "\ue000乡"  # private use: old systems' rare characters
    assert clean_name("乡\U00020000") == "乡\U00020000"  # CJK extension B
    assert clean_name("葛\U000e0100") == "葛\U000e0100"  # an ideographic variation sequence


def test_only_a_title_may_break_lines() -> None:
    assert clean_name(" 第一行 \r\n\r\n 第二行\r", "标题", line_breaks=True) == "第一行\n第二行"
    with pytest.raises(InvalidName, match="换行"):
        clean_name("第一行\n第二行", "落款单位")


@given(st.text(max_size=40))
def test_a_cleaned_name_is_clean_and_stays_so(text: str) -> None:
    try:
        cleaned = clean_name(text)
    except InvalidName:
        return
    assert clean_name(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert visible(cleaned) == cleaned  # nothing a terminal would act on


def _file(**changes: object) -> bytes:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "signature_agency":
            doc.setdefault("signature", {})["agency"] = value
        else:
            doc[key] = value
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"agency": "古城\u200d乡"}, "agency：机关名称含有不可见字符 U+200D"),
        ({"agency": "  "}, "agency：机关名称不能为空"),
        ({"title": "标题\u0007"}, "title：标题含有控制字符 U+0007"),
        ({"signature_agency": "落款\n单位"}, "signature.agency：落款单位含有换行符"),
    ],
)
def test_the_data_file_reader_applies_the_rule(changes: dict[str, str], message: str) -> None:
    with pytest.raises(DataFileError) as raised:
        read_datafile(_file(**changes))
    assert any(problem.startswith(message) for problem in raised.value.problems), raised.value


def test_the_data_file_reader_normalises() -> None:
    report = read_datafile(
        _file(agency=" 古城乡 ", title="标题\r\n第二行", signature_agency="e\u0301")
    )
    assert (report.agency, report.title, report.signature_agency) == ("古城乡", "标题\n第二行", "é")


def test_every_operation_applies_the_rule(db: Database) -> None:
    created = ops.create_report(db, "古城乡\u3000", 2019)
    assert ops.load_report(db, created.report_id).agency == "古城乡"
    with pytest.raises(OperationError, match=re.escape("U+200D")):
        ops.create_report(db, "古城\u200d乡", 2020)
    with pytest.raises(OperationError, match=re.escape("U+0001")):
        ops.rename_report(db, created.report_id, "古城\x01乡")
    with pytest.raises(OperationError, match=re.escape("标题含有不可见字符 U+200B")):
        ops.set_title(db, created.report_id, "标题\u200b")
    with pytest.raises(OperationError, match="落款单位含有换行符"):
        ops.set_signature(db, created.report_id, "落款\n单位", None)
    ops.set_title(db, created.report_id, "上一行\r\n下一行 ")
    ops.set_signature(db, created.report_id, "e\u0301", None)
    stored = ops.load_report(db, created.report_id)
    assert (stored.title, stored.signature_agency) == ("上一行\n下一行", "é")
    assert ops.find_report(db, "古城乡", 2019) == created.report_id
    assert len(ops.list_reports(db)) == 1


def test_import_refuses_what_the_rule_refuses_even_from_a_report_object(db: Database) -> None:
    report = read_datafile(_file())
    report.agency = "古城\u2066乡"
    with pytest.raises(OperationError, match=re.escape("U+2066")):
        ops.save_report(db, report, replace=False)
    assert ops.list_reports(db) == []


def _accepted(text: str, line_breaks: bool) -> bool:
    try:
        clean_name(text, AGENCY, line_breaks=line_breaks)
    except InvalidName:
        return False
    return True


@pytest.mark.parametrize("line_breaks", [False, True], ids=["name", "title"])
def test_the_schema_pattern_admits_exactly_the_characters_the_rule_admits(
    line_breaks: bool,
) -> None:
    """Every code point, alone and between two letters: the published schema and the reader
    never disagree about a name (a file the schema accepts is one the program reads)."""
    pattern = re.compile(schema_pattern(line_breaks=line_breaks))
    disagree = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if bool(pattern.search(f"古{chr(code)}乡")) != _accepted(f"古{chr(code)}乡", line_breaks)
    ]
    assert disagree == []


def test_the_required_pattern_refuses_a_blank_name_and_admits_a_real_one() -> None:
    pattern = re.compile(schema_pattern(required=True))
    assert not pattern.search("")
    assert not pattern.search(" \u3000 ")
    assert pattern.search(" 古城回族乡人民政府 ")
    assert not pattern.search("古城乡\n")  # a final line break too ($ alone would let it by)


def test_a_signature_with_a_control_character_is_refused_by_schema_and_reader_alike() -> None:
    """The case hypothesis found: the schema let \\x1f through while the reader refused it."""
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc.setdefault("signature", {})["agency"] = "\x1f"
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert not Draft202012Validator(schema).is_valid(doc)
    with pytest.raises(DataFileError, match="落款单位含有控制字符 U\\+001F"):
        read_datafile(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
