"""The documents in docs/ state the code's numbers, and every link in them leads somewhere.

docs/DATA-FILE.md is a contract other programs are written against, and docs/PRINT.md the page
the printed report promises; a limit or a size changed in the code must change there too.
(docs/FORMATS.md is compared label by label in tests/model/test_formats.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from export import geometry
from model import datafile, schema
from model.formats import MAX_COUNT, MAX_MONEY_DIGITS, MONEY_PLACES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _mm(points: float) -> str:
    return f"{points / geometry.MM:g}"


def test_the_data_file_doc_states_the_limits_the_reader_applies() -> None:
    text = _read("DATA-FILE.md")
    year = schema.build_schema()["properties"]["year"]
    stated = [
        f'`"{schema.SCHEMA_ID}"`',
        f"{year['minimum']}–{year['maximum']}",
        f"1–{schema.MAX_AGENCY} characters",
        f"at most {schema.MAX_TITLE} characters",
        f"at most {schema.MAX_TEXT:,} characters",
        f"0 to {MAX_COUNT:,}",
        f"−{MAX_COUNT:,} to {MAX_COUNT:,}",
        f"[0-9]{{1,{MAX_MONEY_DIGITS}}}(\\.[0-9]{{1,{MONEY_PLACES}}})?",
        f"| file size | {datafile.MAX_FILE_BYTES // 2**20} MB |",
        f"| keys in the file | {datafile.MAX_KEYS:,} ",
        f"| nesting depth | {datafile.MAX_DEPTH} ",
        f"| length of one number literal | {datafile.MAX_NUMBER_CHARS} characters |",
        f"up to {datafile.MAX_PROBLEMS}, then",
    ]
    assert [s for s in stated if s not in text] == []


def test_the_print_doc_states_the_page_the_renderers_set() -> None:
    text = _read("PRINT.md")
    stated = [
        f"top {_mm(geometry.TOP)} mm, left {_mm(geometry.LEFT)} mm",
        f"{_mm(geometry.TYPE_WIDTH)} × {_mm(geometry.TYPE_HEIGHT)} mm",
        f"{round(geometry.TYPE_HEIGHT / geometry.LINE)} a page",
        f"{geometry.BODY_SIZE:g} pt (3号)",
        f"{geometry.TITLE_SIZE:g} pt (2号)",
        f"{geometry.PAGE_NUMBER_SIZE:g} pt (4号)",
        f"{_mm(geometry.PAGE_NUMBER_GAP)} mm below the type area",
        f"{geometry.TABLE_SIZE:g} pt (五号)",
        f"{geometry.LABEL_SHARE:.0%} of the width",
    ]
    assert [s for s in stated if s not in text] == []


_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
_PAGES = [ROOT / "README.md", ROOT / "resources" / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("page", _PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    links = [m for m in _LINK.findall(page.read_text(encoding="utf-8")) if "://" not in m]
    assert [link for link in links if not (page.parent / link).exists()] == []
