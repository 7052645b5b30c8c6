"""Chinese line breaking (禁则): checked on plain widths, then as ReportLab lays it out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from export.linebreak import CLOSING, OPENING, break_lines, break_opportunities

TEXT = "政府集中采购9项，采购总金额67.74万元，及时予以公开发布。《青海日报》“掌上平安”——2019年度……"


def _lines(text: str, width: int) -> list[str]:
    return break_lines(text, [1.0] * len(text), width)


def test_closing_punctuation_never_starts_a_line() -> None:
    for width in range(4, 20):
        for line in _lines(TEXT, width)[1:]:
            assert line[0] not in CLOSING, (width, line)


def test_opening_punctuation_never_ends_a_line() -> None:
    for width in range(4, 20):
        for line in _lines(TEXT, width)[:-1]:
            assert line[-1] not in OPENING, (width, line)


def test_numbers_stay_with_their_units() -> None:
    allowed = break_opportunities("总金额67.74万元，2019年")
    text = "总金额67.74万元，2019年"
    glued = {i for i, ok in enumerate(allowed) if not ok}
    for i, char in enumerate(text):
        if char in "7.4万元019年" and i > 3:
            assert i in glued, char
    assert allowed[text.index("6")]  # a break may come before the number


def test_doubled_dashes_and_ellipses_stay_whole() -> None:
    allowed = break_opportunities("甲——乙……丙")
    assert not allowed[2] and not allowed[5]


def test_spaces_do_not_start_or_end_lines() -> None:
    lines = _lines("公开 2019 年度政府财政预算、决算等", 7)
    assert all(line == line.strip(" ") for line in lines)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet="政府信息公开，。、；：？！（）《》“”—…0123456789.万元年 ", min_size=1, max_size=80
    ),
    st.integers(min_value=3, max_value=30),
)
def test_breaking_loses_nothing_and_keeps_the_rules_where_it_can(text: str, width: int) -> None:
    lines = _lines(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        # a line may exceed the width only by the closing punctuation hanging at its end
        assert len(line.rstrip("".join(CLOSING))) <= width or len(line) <= width
