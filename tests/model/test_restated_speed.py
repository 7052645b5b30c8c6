"""The first check of a report compiles the formats' patterns fast (start-up): texts and
patterns are matched in a stand-in alphabet (model/restated.py ``_STAND_IN``) whose classes
compile to small bitmaps, and what is found is exactly what the patterns say."""

from __future__ import annotations

import re
import re._compiler as sre_compiler
import re._constants as sre_constants
import re._parser as sre_parser
from collections.abc import Iterator

import pytest

from model.checks import _document_pattern, check
from model.formats import FORMATS
from model.formats.common import TEXT_REQUESTS
from model.report import Report
from model.restated import _STAND_IN, find_figures


def _patterns() -> Iterator[str]:
    for fmt in FORMATS.values():
        yield _document_pattern(fmt.document)
        for rule in fmt.rules:
            for name in ("pattern", "context", "unless", "agency_pattern", "government"):
                value = getattr(rule, name, None)
                if isinstance(value, str) and value:
                    yield value


PATTERNS = sorted(set(_patterns()))

#: Every character a stand-in could be: controls and Latin-1, not ASCII text.
CANDIDATES = [chr(c) for c in range(1, 0x100) if not (0x20 <= c < 0x7F)]


def _items(sub: sre_parser.SubPattern) -> Iterator[tuple[object, object]]:
    for op, av in sub:
        yield op, av
        for child in av if isinstance(av, (list, tuple)) else (av,):
            if isinstance(child, sre_parser.SubPattern):
                yield from _items(child)
            elif isinstance(child, (list, tuple)):
                for grand in child:
                    if isinstance(grand, sre_parser.SubPattern):
                        yield from _items(grand)


def test_the_stand_ins_swap_places_one_for_one() -> None:
    for char, code in _STAND_IN.items():
        assert isinstance(code, str) and len(code) == 1
        assert _STAND_IN.get(ord(code)) == chr(char), "the translation must be its own inverse"
        assert not code.isspace() and not chr(char).isspace(), r"\s must not change"


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_pattern_means_the_same_in_stand_ins(pattern: str) -> None:
    """No \\w, \\d or \\b (the stand-ins are not words or digits) and every range still a
    range of the same characters."""
    for op, av in _items(sre_parser.parse(pattern)):
        if op is sre_constants.IN:
            for kind, arg in av:  # type: ignore[attr-defined]
                if kind is sre_constants.RANGE:
                    low, high = arg
                    span = "".join(map(chr, range(low, high + 1))).translate(_STAND_IN)
                    assert [ord(c) for c in span] == list(range(ord(span[0]), ord(span[-1]) + 1))
                assert kind is not sre_constants.CATEGORY or arg is sre_constants.CATEGORY_SPACE
        assert op is not sre_constants.CATEGORY or av is sre_constants.CATEGORY_SPACE
        assert op is not sre_constants.AT or av in (
            sre_constants.AT_BEGINNING,
            sre_constants.AT_END,
        )


def test_no_pattern_compiles_a_big_character_class(monkeypatch: pytest.MonkeyPatch) -> None:
    """A class holding Chinese characters compiles into a 64K bitmap (0.2–0.3 ms each): the
    translated patterns have none, so the first check of a report stays fast."""
    big: list[str] = []
    optimize = sre_compiler._optimize_charset

    def watched(charset, *args, **kwargs):  # type: ignore[no-untyped-def]
        out, cased = optimize(charset, *args, **kwargs)
        if any(op is sre_constants.BIGCHARSET for op, _ in out):
            big.append(repr(charset))
        return out, cased

    monkeypatch.setattr(sre_compiler, "_optimize_charset", watched)
    for pattern in PATTERNS:
        re.compile(pattern.translate(_STAND_IN), re.NOFLAG)
        re.purge()
    assert big == []


def test_a_text_holding_a_stand_in_is_read_as_written() -> None:
    pattern, context, unless = TEXT_REQUESTS.pattern, TEXT_REQUESTS.context, TEXT_REQUESTS.unless
    [figure] = find_figures("本年度共收到政府信息公开申请１２件。", pattern, context, unless)
    assert (figure.quote, figure.value) == ("收到政府信息公开申请１２件", 12)
    # a control or Latin-1 character is none of 件, 十二, １２…: nothing is read
    for char in CANDIDATES:
        assert (
            find_figures(f"本年度共收到政府信息公开申请12{char}。", pattern, context, unless) == ()
        )
        assert (
            find_figures(f"本年度共收到政府信息公开申请{char}件。", pattern, context, unless) == ()
        )


def test_the_findings_quote_the_original_words() -> None:
    report = Report(
        format_id="2021",
        agency="某某县教育局",
        year=2023,
        cells={"requests.new.natural": 3},
        texts={"overview": "本年度共收到政府信息公开申请１２件，办结１２件。"},
    )
    messages = [f.message for f in check(report) if f.rule == "text.requests"]
    assert messages == [
        "第一部分写有“收到政府信息公开申请１２件”，但第三部分“本年新收政府信息公开申请数量”总计为3"
    ]
