"""The faces: Windows fonts where present, else the shipped ones; per-character fallback."""

from __future__ import annotations

from pathlib import Path

from export.fonts import (
    LXGW_WENKAI,
    NOTO_SERIF,
    SHIPPED,
    SHIPPED_DIR,
    WQY_MICROHEI,
    Face,
    FontBook,
    windows_font_dirs,
)


def test_the_shipped_fonts_and_their_licences_are_there() -> None:
    for font in SHIPPED:
        assert (SHIPPED_DIR / font.file).is_file(), font.file
    licences = {p.name for p in SHIPPED_DIR.glob("*.txt")}
    assert {"NotoSerifSC-OFL.txt", "LXGWWenKai-COPYRIGHT.txt", "wqy-microhei-COPYRIGHT.txt"} <= (
        licences
    )
    total = sum(p.stat().st_size for p in SHIPPED_DIR.iterdir())
    assert total < 60 * 2**20


def test_without_windows_fonts_the_shipped_faces_print() -> None:
    book = FontBook([SHIPPED_DIR])
    assert book.font_name(Face.FANG) == NOTO_SERIF.name  # no free 仿宋: Song stands in
    assert book.font_name(Face.HEI) == WQY_MICROHEI.name
    assert book.font_name(Face.KAI) == LXGW_WENKAI.name


def test_a_windows_face_wins_where_installed(tmp_path: Path) -> None:
    (tmp_path / "simkai.ttf").symlink_to(SHIPPED_DIR / LXGW_WENKAI.file)
    book = FontBook([tmp_path, SHIPPED_DIR])
    assert book.font_name(Face.KAI).startswith("KaiTi")
    assert book.font_name(Face.HEI) == WQY_MICROHEI.name


def test_windows_font_folders() -> None:
    dirs = windows_font_dirs({"WINDIR": r"C:\Windows", "LOCALAPPDATA": "/users/a/AppData/Local"})
    assert [d.name for d in dirs] == ["Fonts", "Fonts"]
    assert windows_font_dirs({}) == ()


def test_a_character_the_face_lacks_comes_from_another_font() -> None:
    book = FontBook([SHIPPED_DIR])
    # 䶮 (Extension A) is not in WenQuanYi Micro Hei, the 黑体 stand-in; Noto Serif SC has it.
    runs = book.runs("刘䶮称帝", Face.HEI)
    assert runs == [(WQY_MICROHEI.name, "刘"), (NOTO_SERIF.name, "䶮"), (WQY_MICROHEI.name, "称帝")]
    assert f'<font name="{NOTO_SERIF.name}">䶮</font>' in book.markup("刘䶮", Face.HEI)


def test_characters_no_font_has_are_named() -> None:
    book = FontBook([SHIPPED_DIR])
    assert book.missing("正常文字") == []
    assert book.missing("\U000f0000甲\U000f0000") == ["\U000f0000"]  # private use: in no font


def test_markup_is_escaped() -> None:
    book = FontBook([SHIPPED_DIR])
    assert book.markup("A&B<1>", Face.SONG) == "A&amp;B&lt;1&gt;"
