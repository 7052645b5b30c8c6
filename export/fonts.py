"""The typefaces of the printed report, and per-character fallback between them.

An official document wants 仿宋 for the body, 小标宋 for the title, 黑体 and 楷体 for the
heading levels.  On a Chinese Windows those faces are in ``%WINDIR%\\Fonts`` and are used
there; everywhere else (and for any face that is missing) the program uses the freely licensed
TrueType fonts it ships in ``resources/fonts``.  No free Simplified 仿宋 exists, so the body
falls back to the Song face.

ReportLab draws nothing for a character its font lacks, so every string is checked against
each font's character map and split into runs, each in the first font that has its
characters.  A character that no font has is collected so the caller can warn about it.

Fonts are read lazily (a face is loaded the first time a document uses it) and registered with
ReportLab once per process: a TrueType font of 15 MB takes some 40 ms to parse.
"""

from __future__ import annotations

import enum
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"


class Face(enum.Enum):
    """The typefaces GB/T 9704 names for the parts of a document."""

    TITLE = "小标宋"  # the title: a bold Song face
    FANG = "仿宋"  # body text
    SONG = "宋体"  # tables, page numbers
    HEI = "黑体"  # “一、” headings
    KAI = "楷体"  # “（一）” headings


@dataclass(frozen=True)
class FontFile:
    """A font file and the name the PDF knows it by."""

    name: str
    file: str
    subfont: int = 0


# Windows faces, looked for in the system and per-user font folders (never shipped).
_FZ_XIAOBIAOSONG = (FontFile("FZXiaoBiaoSong-B05S", "FZXBSJW.TTF"),)
_SIMFANG = FontFile("FangSong", "simfang.ttf")
_SIMSUN = FontFile("SimSun", "simsun.ttc")
_SIMHEI = FontFile("SimHei", "simhei.ttf")
_SIMKAI = FontFile("KaiTi", "simkai.ttf")
_SIMSUN_EXTB = FontFile("SimSun-ExtB", "simsunb.ttf")  # CJK Extension B (𠀀 …)

# The fonts the program ships (see resources/fonts/README.md for sources and licences).
NOTO_SERIF = FontFile("NotoSerifSC-Regular", "NotoSerifSC-Regular.ttf")
NOTO_SERIF_BOLD = FontFile("NotoSerifSC-Bold", "NotoSerifSC-Bold.ttf")
WQY_MICROHEI = FontFile("WenQuanYiMicroHei", "wqy-microhei.ttc")
LXGW_WENKAI = FontFile("LXGWWenKai-Regular", "LXGWWenKai-Regular.ttf")
SHIPPED = (NOTO_SERIF, NOTO_SERIF_BOLD, WQY_MICROHEI, LXGW_WENKAI)

#: For each face, the fonts to use in order of preference.
PREFERENCES: Mapping[Face, tuple[FontFile, ...]] = {
    Face.TITLE: (*_FZ_XIAOBIAOSONG, NOTO_SERIF_BOLD),
    Face.FANG: (_SIMFANG, NOTO_SERIF),
    Face.SONG: (_SIMSUN, NOTO_SERIF),
    Face.HEI: (_SIMHEI, WQY_MICROHEI),
    Face.KAI: (_SIMKAI, LXGW_WENKAI),
}
#: Tried, in order, for a character the face's own font lacks.
FALLBACKS = (_SIMSUN, NOTO_SERIF, _SIMHEI, WQY_MICROHEI, LXGW_WENKAI, _SIMSUN_EXTB)


def windows_font_dirs(environ: Mapping[str, str] = os.environ) -> tuple[Path, ...]:
    """Where Windows keeps fonts: the system folder and the per-user one (Windows 10 1809+
    installs fonts there for a user without administrator rights)."""
    dirs = []
    if windir := environ.get("WINDIR") or environ.get("SystemRoot"):
        dirs.append(Path(windir) / "Fonts")
    if local := environ.get("LOCALAPPDATA"):
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return tuple(dirs)


_lock = threading.Lock()
_loaded: dict[tuple[Path, int], TTFont | None] = {}
_names: set[str] = set()


def _load(font: FontFile, path: Path) -> TTFont | None:
    """The font at ``path``, parsed and registered once per process (None if unusable, e.g.
    PostScript outlines, which ReportLab cannot embed)."""
    key = (path, font.subfont)
    with _lock:
        if key not in _loaded:
            name = font.name
            while name in _names:  # the same face from another folder gets its own name
                name += "+"
            try:
                ttf = TTFont(name, str(path), subfontIndex=font.subfont)
            except (TTFError, OSError):
                ttf = None
            if ttf is not None:
                pdfmetrics.registerFont(ttf)
                _names.add(name)
            _loaded[key] = ttf
        return _loaded[key]


class FontBook:
    """The fonts available here, loaded on first use.

    ``dirs`` are searched in order for each font file: the Windows folders first, then the
    shipped fonts, so a Windows face wins where it is installed.
    """

    def __init__(self, dirs: Sequence[Path]) -> None:
        self._dirs = tuple(dirs)
        self._fonts: dict[FontFile, TTFont | None] = {}
        self._chains: dict[Face, tuple[TTFont, ...]] = {}
        #: For each face, the font each character seen so far prints in (None: no font has it).
        self._char_fonts: dict[Face, dict[str, str | None]] = {face: {} for face in Face}

    def _font(self, font: FontFile) -> TTFont | None:
        if font not in self._fonts:
            path = next((d / font.file for d in self._dirs if (d / font.file).is_file()), None)
            self._fonts[font] = None if path is None else _load(font, path)
        return self._fonts[font]

    def _chain(self, face: Face) -> tuple[TTFont, ...]:
        if face not in self._chains:
            fonts = (self._font(font) for font in (*PREFERENCES[face], *FALLBACKS))
            self._chains[face] = tuple(ttf for ttf in fonts if ttf is not None)
        return self._chains[face]

    def font_name(self, face: Face) -> str:
        """The registered name of the font that prints ``face``."""
        for ttf in self._chain(face):
            return str(ttf.fontName)
        raise FileNotFoundError(f"找不到可用的中文字体（应在 {SHIPPED_DIR}）")

    def has_own(self, face: Face) -> bool:
        """Whether ``face`` prints in a font of its own kind (仿宋 in simfang.ttf), not in a
        shipped stand-in (the body's 仿宋 falls back to a Song face)."""
        chain = self._chain(face)
        own = [font for font in PREFERENCES[face] if font not in SHIPPED]
        return bool(chain) and any(self._font(font) is chain[0] for font in own)

    def runs(self, text: str, face: Face) -> list[tuple[str, str]]:
        """``text`` as (font name, text) runs, each character in the first font that has it;
        a character that no font has stays in the face's own font (see :meth:`missing`)."""
        primary = self.font_name(face)
        fonts = self._fonts_of(text, face)
        runs: list[tuple[str, str]] = []
        start = 0
        for name, chars in groupby(fonts[c] or primary for c in text):
            end = start + sum(1 for _ in chars)
            runs.append((name, text[start:end]))
            start = end
        return runs

    def _fonts_of(self, text: str, face: Face) -> dict[str, str | None]:
        """The font of each character of ``text`` in ``face`` (looked up once per character)."""
        known = self._char_fonts[face]
        for char in set(text).difference(known):
            known[char] = self._font_for(char, face)
        return known

    def _font_for(self, char: str, face: Face) -> str | None:
        if char.isspace():
            return None
        code = ord(char)
        for ttf in self._chain(face):
            if code in ttf.face.charToGlyph:
                return str(ttf.fontName)
        return None

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` that no available font has, in order, once each."""
        fonts = self._fonts_of(text, Face.SONG)
        found = {c: None for c in text if fonts[c] is None and not c.isspace()}
        return list(found)

    def markup(self, text: str, face: Face) -> str:
        """``text`` as ReportLab paragraph markup in ``face``, escaped, with a ``<font>`` tag
        around each run that another font has to print."""
        primary = self.font_name(face)
        return "".join(
            escape(run) if name == primary else f'<font name="{name}">{escape(run)}</font>'
            for name, run in self.runs(text, face)
        )


_default: FontBook | None = None


def default_fonts() -> FontBook:
    """The fonts of this computer: Windows faces where installed, else the shipped ones."""
    global _default
    if _default is None:
        _default = FontBook((*windows_font_dirs(), SHIPPED_DIR))
    return _default
