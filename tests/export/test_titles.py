"""Titles break by meaning and stand balanced (GB/T 9704 §7.3.1): the real titles of issue 16
(from the published reports 15-huaian-2024, 01-shanghai-2019 and 10-junshan-2021), a long
office name with a parenthesis, and a line break the clerk typed."""

from __future__ import annotations

from itertools import pairwise

import pytest

from export.geometry import TITLE_CHARS
from export.titles import text_width, title_lines

TAIL = "政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("淮安市人民政府2024年政府信息公开工作年度报告", ["淮安市人民政府2024年", TAIL]),
        (
            "2019年上海市人民政府办公厅政府信息公开工作年度报告",
            ["2019年上海市人民政府办公厅", TAIL],
        ),
        (
            "平潭综合实验区君山片区管理局2021年政府信息公开工作年度报告",
            ["平潭综合实验区君山片区管理局", "2021年" + TAIL],
        ),
        (
            "某某县人民政府办公室（某某县政务服务数据管理局）2023年政府信息公开工作年度报告",
            ["某某县人民政府办公室", "（某某县政务服务数据管理局）", "2023年" + TAIL],
        ),
    ],
)
def test_real_titles_break_between_phrases(title: str, lines: list[str]) -> None:
    assert title_lines(title, TITLE_CHARS) == lines


def test_the_long_office_name_is_26_characters() -> None:
    name = "某自治州某某县人民政府办公室（县政务服务数据管理局）"
    assert len(name) == 26
    lines = title_lines(name + "2023年" + TAIL, TITLE_CHARS)
    assert "".join(lines) == name + "2023年" + TAIL
    assert lines[-1].endswith(TAIL) and all(text_width(x) <= TITLE_CHARS for x in lines)
    assert not any(x.startswith("）") or x.endswith("（") for x in lines)
    assert len(lines) == 3


WORDS = ["年度", "政府信息", "信息公开", "工作年度报告", "2024年", "2021年度"]


@pytest.mark.parametrize(
    "title",
    [
        "淮安市人民政府2024年政府信息公开工作年度报告",
        "平潭综合实验区管理委员会2021年度政府信息公开工作年度报告",
        "某某自治州某某县某某镇人民政府（某某街道办事处）2024年政府信息公开工作年度报告",
        "中共某某市委机构编制委员会办公室（某某市机构编制研究中心）2024年政府信息公开工作年度报告",
    ],
)
def test_no_word_is_split_and_lines_stand_as_a_trapezoid_or_diamond(title: str) -> None:
    lines = title_lines(title, TITLE_CHARS)
    assert "".join(lines) == title
    breaks = [sum(map(len, lines[:i])) for i in range(1, len(lines))]
    for word in WORDS:
        at = title.find(word)
        while at >= 0:
            assert not any(at < b < at + len(word) for b in breaks), (word, lines)
            at = title.find(word, at + 1)
    widths = [text_width(x) for x in lines]
    assert max(widths) <= TITLE_CHARS
    trapezoid = widths == sorted(widths)
    diamond = len(widths) == 3 and widths[1] >= max(widths[0], widths[2])
    assert trapezoid or diamond or widths[0] - widths[1] <= 1, lines


def test_short_title_stays_on_one_line() -> None:
    assert title_lines("古城乡2019年政府信息公开年度报告", TITLE_CHARS) == [
        "古城乡2019年政府信息公开年度报告"
    ]


def test_typed_line_break_is_kept_and_not_printed_as_a_space() -> None:
    title = "某某县自然资源局\n  2022年政府信息公开工作年度报告 \n"
    assert title_lines(title, TITLE_CHARS) == ["某某县自然资源局", "2022年" + TAIL]


def test_a_title_without_the_usual_words_still_fits() -> None:
    title = "关于" + "很长的" * 30 + "报告"
    lines = title_lines(title, TITLE_CHARS)
    assert "".join(lines) == title and all(text_width(x) <= TITLE_CHARS for x in lines)


def test_the_title_field_takes_a_typed_line_break(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    from gui.tabs.basic_tab import TitleEdit

    field = TitleEdit()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.keyClicks(field, "def")
    with qtbot.waitSignal(field.editingFinished, timeout=1000):
        QApplication.sendEvent(field, QFocusEvent(QEvent.Type.FocusOut))
    assert field.text() == "abc\ndef"


def test_a_name_ending_character_inside_a_word_is_no_break() -> None:
    """市, 区 and 乡 end a name only where they are not inside a word: not 城市/市场, 社区/城区,
    城乡/乡村 (the reviewer's title of a real unit broke as 呼伦贝尔市城市 / 管理…)."""
    title = "内蒙古自治区呼伦贝尔市城市管理综合行政执法监察支队直属大队2024年" + TAIL
    assert title_lines(title, TITLE_CHARS) == [
        "内蒙古自治区呼伦贝尔市",
        "城市管理综合行政执法监察支队直属大队",
        "2024年" + TAIL,
    ]
    names = [
        "某某县市场监督管理局某某市场监督管理所",
        "某某市某某区某某街道某某社区居民委员会",
        "某某县住房和城乡建设局乡村振兴服务中心",
        "某某市城区管理综合执法大队城市建设科",
    ]
    words = ("城市", "市场", "社区", "城区", "城乡", "乡村")
    for name in names:
        for width in range(8, 21):
            lines = title_lines(name + "2024年" + TAIL, width)
            for upper, lower in pairwise(lines):
                assert upper[-1] + lower[0] not in words, (name, width, lines)
