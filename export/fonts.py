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
ReportLab once per process.

Memory (issue 20): ReportLab reads a font's whole file into memory and makes, while reading
it, a Python object or several per character and per glyph (some 27 MB a shipped font, four
of them; 0.4 s for the four on one core).  Here the file is read as parts of it are asked
for (:class:`_FontData`: the tables a font is read from, then the glyphs a document prints),
and the character map, widths, glyph metrics and glyph offsets are read straight into arrays
(:class:`_Face`): under 1 MB a font, 0.06 s for the four.  The embedded subsets stay byte for
byte what ReportLab makes from the file.
"""

from __future__ import annotations

import enum
import os
import struct
import sys
import threading
import weakref
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from html import escape  # not xml.sax.saxutils: it loads urllib.request, ssl and email
from itertools import groupby
from pathlib import Path
from typing import Literal, overload
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont, TTFontFace

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
                ttf: TTFont | None = _Font(name, path, font.subfont)
            except (TTFError, OSError, ValueError):  # ValueError: an empty file
                ttf = None
            if ttf is not None:
                _share_file_data(ttf)
                pdfmetrics.registerFont(ttf)
                _names.add(name)
            _loaded[key] = ttf
        return _loaded[key]


class _FontFile:
    """The font file as ReportLab's parser reads it (``name``, ``read()``): ``read()`` gives
    the file's bytes as :class:`_FontData`, read from the file as they are asked for."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)  # ReportLab's name for the file, as when it opens it itself
        self._path = path

    def read(self) -> _FontData:
        return _FontData(self._path)


class _FontData:
    """A font file's bytes as ReportLab uses them (``data[i]``, ``data[a:b]``, ``len``),
    each slice read from the file when asked for: a table while the font is read, a glyph
    while a document's subset is made.  Neither the whole file (ReportLab reads it all into
    memory, 5–15 MB a font) nor the pages of a memory-mapped file around each glyph (the
    system maps 64 KB around each one a document prints: some 14 MB for a report) stay in
    the program's memory; the system keeps the file cached.

    The file stays open while the font is registered (Windows keeps an open file from being
    replaced meanwhile: fonts in the program's and the system's font folders)."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb", buffering=0)
        weakref.finalize(self, self._file.close)
        self._size = os.fstat(self._file.fileno()).st_size
        self._lock = threading.Lock()  # one seek and read at a time

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> bytes: ...
    def __getitem__(self, index: int | slice) -> int | bytes:
        if isinstance(index, int):
            if not -self._size <= index < self._size:
                raise IndexError(index)
            return self[index % self._size : index % self._size + 1][0]
        start, stop, step = index.indices(self._size)
        if step != 1:
            raise ValueError("font data is read in runs")
        chunks = []
        with self._lock:
            self._file.seek(start)
            while start < stop and (chunk := self._file.read(stop - start)):
                chunks.append(chunk)
                start += len(chunk)
        return b"".join(chunks)


class _Font(TTFont):
    """ReportLab's TrueType font with its face read by :class:`_Face` from :class:`_FontData`.

    What ``TTFont.__init__`` does, but for the class of the face (tests/export/
    test_font_memory.py checks that the attributes are ReportLab's).  Text is never shaped
    (the program does not ship uharfbuzz), so the face's tables need not grow."""

    def __init__(self, name: str, path: Path, subfont: int) -> None:
        self.fontName = name
        self.face = _Face(_FontFile(path), subfontIndex=subfont)
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = False


class _Face(TTFontFace):
    """A TrueType face whose character map, widths, glyph metrics and glyph offsets are read
    straight into arrays (:func:`_read_tables`).  ReportLab's own reading makes a Python
    object or several per character and per glyph (some 27 MB a shipped font, most of it
    thrown away at once) and leaves the freed memory scattered where Python cannot give it
    back to the system.  A face whose character map is of a kind read here only by ReportLab
    is read by it, then made compact (:func:`_compact`).

    Only the fonts this program ships are read here: tests/export/test_font_memory.py proves,
    character by character, that the reading equals ReportLab's for each of them.  A font of
    the computer (仿宋 and 黑体 of Windows, an office's 方正小标宋) is read by ReportLab and
    then made compact: a wrong glyph in a printed report would cost more than its memory."""

    def extractInfo(self, charInfo: bool | Literal[0, 1] = 1) -> None:
        super().extractInfo(0)  # names, header, metrics, the number of glyphs
        shipped = Path(str(getattr(self, "filename", ""))).parent == SHIPPED_DIR
        if charInfo and not (shipped and _read_tables(self)):
            super().extractInfo(1)
            _compact(self)


def _compact(face: TTFontFace) -> None:
    """Keep what a document needs of a face ReportLab read, compactly.  Per glyph, ReportLab
    keeps its characters (a list each: only needed while parsing, unless text is shaped),
    its advance and side bearing (a tuple each) and its offset (a list of ints): one array
    each here, indexed the same.  The character map becomes two arrays, and the widths keep
    only the characters not of the font's default width."""
    attributes = vars(face)
    attributes.pop("glyphToChar", None)
    metrics, positions = attributes.get("hmetrics"), attributes.get("glyphPos")
    if isinstance(metrics, list) and isinstance(positions, list):
        try:
            attributes["hmetrics"] = _Metrics(array("i", (int(v) for m in metrics for v in m)))
            attributes["glyphPos"] = array("I", positions)
        except (OverflowError, TypeError):  # not a font this program ships: keep the lists
            attributes["hmetrics"], attributes["glyphPos"] = metrics, positions
    glyphs = attributes.get("charToGlyph")
    if isinstance(glyphs, dict):
        codes = sorted(glyphs)
        with suppress(OverflowError, TypeError):  # else keep the dict
            attributes["charToGlyph"] = _CharMap(
                array("I", codes), array("I", (glyphs[code] for code in codes))
            )
    widths, default = attributes.get("charWidths"), attributes.get("defaultWidth")
    if isinstance(widths, dict) and default is not None:
        # ReportLab asks widths.get(char, defaultWidth): most CJK characters are that wide
        kept = {char: width for char, width in widths.items() if not _same(width, default)}
        attributes["charWidths"] = kept


def _read_tables(face: TTFontFace) -> bool:
    """Read the face's character map (formats 4 and 12: the fonts of Windows and the shipped
    ones), widths, metrics and glyph offsets as ReportLab's ``extractInfo`` does, value for
    value, into arrays; False (and nothing set) for a font read otherwise."""
    data = vars(face)["_ttf_data"]
    try:
        tables = _Tables(face, data)
    except (KeyError, IndexError, ValueError, struct.error):
        return False
    if tables.codes is None:
        return False
    attributes = vars(face)
    attributes.update(
        charToGlyph=_CharMap(tables.codes, tables.glyphs),
        charWidths=tables.widths,
        defaultWidth=tables.default,
        hmetrics=_Metrics(tables.metrics),
        glyphPos=tables.positions,
    )
    return True


def _same(width: object, default: object) -> bool:
    return type(width) is type(default) and width == default


class _CharMap(Mapping[int, int]):
    """A font's character map (code point → glyph) as two sorted arrays: ReportLab's dict
    takes some 100 bytes a character, 30,000 and more characters a font.  Looked up once
    per character a document prints (:meth:`FontBook._font_for`, ReportLab's subsetting)."""

    def __init__(self, codes: array[int], glyphs: array[int]) -> None:
        self._codes = codes  # ascending
        self._glyphs = glyphs

    def _index(self, code: object) -> int:
        if isinstance(code, int):
            index = bisect_left(self._codes, code)
            if index < len(self._codes) and self._codes[index] == code:
                return index
        return -1

    def __contains__(self, code: object) -> bool:
        return self._index(code) >= 0

    def __getitem__(self, code: int) -> int:
        index = self._index(code)
        if index < 0:
            raise KeyError(code)
        return self._glyphs[index]

    def __iter__(self) -> Iterator[int]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


class _Metrics:
    """Each glyph's (advance width, left side bearing), as ReportLab's list of pairs, two
    ints a glyph.  ReportLab only ever takes ``int()`` of either (for the subset's hmtx)."""

    __slots__ = ("_values",)

    def __init__(self, values: array[int]) -> None:
        self._values = values  # advance, bearing, advance, bearing, …

    def __len__(self) -> int:
        return len(self._values) // 2

    def __getitem__(self, glyph: int) -> tuple[int, int]:
        if glyph < 0:
            raise IndexError(glyph)
        return self._values[2 * glyph], self._values[2 * glyph + 1]


class _Tables:
    """A face's per-character and per-glyph tables, read from the font data as ReportLab's
    ``TTFontFile.extractInfo`` reads them (the same choice of character map, the same
    values and the same types), with no Python object per character or glyph kept."""

    def __init__(self, face: TTFontFace, data: bytes | _FontData) -> None:
        self._data = data
        self.codes: array[int] | None = None
        head, hhea, hmtx, loca = (face.get_table_pos(tag)[0] for tag in _TABLES)
        index_to_loc_format, glyph_data_format = self._ushorts(head + 50, 2)
        if glyph_data_format != 0 or index_to_loc_format not in (0, 1):
            return  # ReportLab's own reading says what is wrong
        count = int(face.numGlyphs)
        (h_metrics,) = self._ushorts(hhea + 34, 1)
        scale: Callable[[int], float] = vars(face)["_pdfScale"]
        # hmtx: h_metrics (advance, bearing) pairs, then bearings; ReportLab keeps, for each
        # glyph past the pairs, the last advance already scaled
        pairs = self._ushorts(hmtx, 2 * h_metrics)
        bearings = self._ushorts(hmtx + 4 * h_metrics, max(0, count - h_metrics))
        last = scale(pairs[-2])
        metrics = array("i", pairs)
        metrics.extend(array("i", [int(last), 0]) * len(bearings))
        metrics[2 * h_metrics + 1 :: 2] = array("i", bearings)
        advances = pairs[0::2]
        # loca
        if index_to_loc_format == 0:
            positions = array("I", (offset << 1 for offset in self._ushorts(loca, count + 1)))
        else:
            positions = self._ulongs(loca, count + 1)
        mapped = self._cmap(face)
        if mapped is None:
            return
        codes, glyphs = mapped
        for space, other in ((0x20, 0xA0), (0xA0, 0x20)):
            at = bisect_left(codes, space)
            if at < len(codes) and codes[at] == space:
                where = bisect_left(codes, other)
                if where < len(codes) and codes[where] == other:
                    glyphs[where] = glyphs[at]
                else:
                    codes.insert(where, other)
                    glyphs.insert(where, glyphs[at])
                break
        self.default = scale(advances[0])
        wide_codes, wide = array("I"), array("d")
        for code, glyph in zip(codes, glyphs, strict=True):
            if glyph < h_metrics:
                width = scale(advances[glyph])
            elif glyph < count:
                width = last
            else:
                continue  # ReportLab gives such a character no width: the default
            if not _same(width, self.default):
                wide_codes.append(code)
                wide.append(width)
        whole = type(self.default) is int
        self.widths = {
            code: int(width) if whole else width
            for code, width in zip(wide_codes, wide, strict=True)
        }
        self.codes, self.glyphs, self.metrics, self.positions = codes, glyphs, metrics, positions

    def _ushorts(self, offset: int, count: int) -> array[int]:
        return self._numbers("H", offset, count)

    def _ulongs(self, offset: int, count: int) -> array[int]:
        return self._numbers("I", offset, count)

    def _numbers(self, kind: str, offset: int, count: int) -> array[int]:
        numbers = array(kind)
        chunk = self._data[offset : offset + count * numbers.itemsize]
        numbers.frombytes(chunk)  # ValueError: not whole numbers
        if len(numbers) != count:
            raise ValueError("table cut short")
        if sys.byteorder == "little":
            numbers.byteswap()
        return numbers

    def _cmap(self, face: TTFontFace) -> tuple[array[int], array[int]] | None:
        """The character map ReportLab chooses, as ascending codes and their glyphs (None: a
        format read only by ReportLab, or codes not in ascending order)."""
        cmap = face.get_table_pos("cmap")[0]
        version, records = self._ushorts(cmap, 2)
        if records == 0 and version != 0:
            records = version
        chosen, kind = None, 0
        for n in range(records):
            platform, encoding = self._ushorts(cmap + 4 + 8 * n, 2)
            (offset,) = self._ulongs(cmap + 8 + 8 * n, 1)
            if platform == 3 or (platform == 1 and encoding == 1):
                chosen, kind = offset, 1
            elif platform == 1 and encoding == 0 and kind != 1:
                chosen, kind = offset, 2
            elif platform == 0 and encoding != 5:
                chosen, kind = offset, 1
        if chosen is None:
            return None
        at = cmap + chosen
        (fmt,) = self._ushorts(at, 1)
        codes, glyphs = array("I"), array("I")
        if fmt == 4:
            length, _ = self._ushorts(at + 2, 2)
            limit = at + length
            subtable = self._data[at:limit]  # read once, not a glyph number at a time
            segments = self._ushorts(at + 6, 1)[0] // 2
            ends = self._ushorts(at + 14, segments)
            starts = self._ushorts(at + 16 + 2 * segments, segments)
            deltas = array("h", self._ushorts(at + 16 + 4 * segments, segments).tobytes())
            ranges_at = at + 16 + 6 * segments
            ranges = self._ushorts(ranges_at, segments)
            for n in range(segments):
                start, delta, offset = starts[n], deltas[n], ranges[n]
                for code in range(start, ends[n] + 1):
                    if offset == 0:
                        glyph = (code + delta) & 0xFFFF
                    else:
                        where = ranges_at + 2 * n + (code - start) * 2 + offset
                        glyph = (
                            0 if where >= limit else _USHORT.unpack_from(subtable, where - at)[0]
                        )
                        if glyph != 0:
                            glyph = (glyph + delta) & 0xFFFF
                    if codes and code <= codes[-1]:
                        return None
                    codes.append(code)
                    glyphs.append(glyph)
        elif fmt == 12:
            (groups,) = self._ulongs(at + 12, 1)
            numbers = self._ulongs(at + 16, 3 * groups)
            for n in range(0, 3 * groups, 3):
                start, end, first = numbers[n], numbers[n + 1], numbers[n + 2]
                if codes and start <= codes[-1]:
                    return None
                codes.extend(range(start, end + 1))
                glyphs.extend(range(first, first + end - start + 1))
        else:
            return None
        return codes, glyphs


_USHORT = struct.Struct(">H")
#: The tables :class:`_Tables` reads besides the character map.
_TABLES = ("head", "hhea", "hmtx", "loca")


def _share_file_data(ttf: TTFont) -> None:
    """Let each document's subset of the font read its glyphs from the font's file data in
    place: ReportLab copied the whole glyph table (10 MB and more) for every font of every
    export, while holding the interpreter lock (some 25 ms each, a stall of the window)."""
    attributes = vars(ttf.face)
    data, glyf = attributes.get("_ttf_data"), attributes.get("table", {}).get("glyf")
    if not isinstance(data, (bytes, _FontData)) or not isinstance(glyf, dict):  # not ours
        return
    glyphs = _Slices(data, glyf["offset"], glyf["length"])
    get_table: Callable[[str], object] = ttf.face.get_table

    def table(tag: str) -> object:
        return glyphs if tag == "glyf" else get_table(tag)

    attributes["get_table"] = table  # this font's own, in front of the class's method


class _Slices:
    """A table of the font's data whose slices are read one at a time (a glyph, not the
    table)."""

    def __init__(self, data: bytes | _FontData, offset: int, length: int) -> None:
        self._data, self._offset, self._length = data, offset, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: slice) -> bytes:
        start, stop, step = index.indices(self._length)
        if step != 1:
            raise ValueError("a table is read in runs")
        return self._data[self._offset + start : self._offset + max(start, stop)]


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

    def load_all(self) -> tuple[str, ...]:
        """Parse and register every font any face may print in (what a document's first
        render would otherwise do on the clerk's click); the registered names."""
        names = {str(ttf.fontName): None for face in Face for ttf in self._chain(face)}
        return tuple(names)

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
            escape(run, quote=False)
            if name == primary
            else f'<font name="{name}">{escape(run, quote=False)}</font>'
            for name, run in self.runs(text, face)
        )


_default: FontBook | None = None
_default_lock = threading.Lock()


def default_fonts() -> FontBook:
    """The fonts of this computer: Windows faces where installed, else the shipped ones (one
    book per process, also when a background thread asks at the same time as the window)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = FontBook((*windows_font_dirs(), SHIPPED_DIR))
        return _default
