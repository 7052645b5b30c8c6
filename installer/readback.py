"""Read back what the Windows program exported, on the Linux side, as the tests read exports:
every number of every table, row by row in order, in the PDF (pdftotext) and in the Word file
(python-docx); and the fonts the PDF embeds (pdffonts)."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from export.document import Table, build_document  # noqa: E402
from model.datafile import read_datafile  # noqa: E402


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def table_rows(data_file: Path) -> list[str]:
    """Each table row's numbers as printed, joined, in document order (rows without any
    number left out)."""
    document = build_document(read_datafile(data_file.read_bytes()))
    rows = []
    for section in document.sections:
        for table in (b for b in section.blocks if isinstance(b, Table)):
            for row in range(table.rows):
                cells = sorted((c for c in table.cells if c.row == row and c.numeric),
                               key=lambda c: c.col)  # fmt: skip
                if cells:
                    rows.append(_norm("".join(c.text for c in cells)))
    return rows


def missing_rows(text: str, rows: list[str]) -> list[str]:
    """The rows not found in ``text`` in order (empty: every number is there)."""
    flat, at, missing = _norm(text), 0, []
    for piece in rows:
        found = flat.find(piece, at)
        if found < 0:
            missing.append(piece)
        else:
            at = found + len(piece)
    return missing


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def docx_table_text(docx_file: Path) -> str:
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(str(docx_file)).element.body
    texts = []
    for table in body.iter(qn("w:tbl")):
        for row in table.iter(qn("w:tr")):
            for cell in row.iter(qn("w:tc")):
                texts.append("".join(t.text or "" for t in cell.iter(qn("w:t"))))
    return "\n".join(texts)


@dataclass(frozen=True)
class PdfFont:
    name: str  # without the subset prefix
    embedded: bool


def pdf_fonts(pdf: Path) -> list[PdfFont]:
    done = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    fonts = []
    for line in done.stdout.splitlines()[2:]:  # a header and a rule
        columns = line.split()
        # name type encoding emb sub uni object-id: the type may be two words (CID TrueType)
        emb = columns[-5]
        fonts.append(PdfFont(columns[0].split("+", 1)[-1], emb == "yes"))
    return fonts
