"""The report's version code: a short code derived from its content, printed on the review
sheet (自查表) so that the county office can tell whether a signed paper and a file are the
same report.

    version_code(report) -> "K7QX-3MPA"

The code is the first 40 bits of a SHA-256 of the report's canonical content, written in 32
characters that cannot be misread (no 0/O, no 1/I) and grouped four and four for reading aloud.
It reads what is printed and checked, so it does not depend on how the report was stored (a
data file or the database), on dict order, on Windows or Unix line ends, or on details that
print alike: a blank cell and a 0, 1.50 and 1.5 万元, no title and the default title, no 落款
and the agency's name as 落款, a unit left at its default and the same unit chosen.

>>> from model.report import Report
>>> version_code(Report("2021", "某某镇人民政府", 2022))
'CQZT-2DRH'
"""

from __future__ import annotations

import json
from decimal import Decimal

from model.report import Report
from model.values import CellValue

#: 8 digits and 24 letters: no 0, 1, I or O.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8
#: Changes when what the code covers changes, so an old code never matches new content.
_SCHEME = "nianbao-version-1"


def version_code(report: Report) -> str:
    """``report``'s code, e.g. “K7QX-3MPA”."""
    import hashlib  # not at import: model.schema imports this module before the first paint

    digest = hashlib.sha256(canonical_content(report).encode("utf-8")).digest()
    number = int.from_bytes(digest, "big") >> (256 - 5 * LENGTH)
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(LENGTH)))
    return f"{chars[:4]}-{chars[4:]}"


def canonical_content(report: Report) -> str:
    """Everything the code covers, as one deterministic JSON text."""
    fmt = report.format
    content = {
        "scheme": _SCHEME,
        "format": fmt.id,
        "agency": report.agency,
        "year": report.year,
        "title": _text(report.display_title),
        "cells": _values(report.cells, fmt.input_keys),
        "declared": _values(report.declared, fmt.derived_keys),
        "units": {
            key: report.unit(key) for key in fmt.input_keys if fmt.cells[key].column.unit_choices
        },
        "texts": {key: _text(report.text(key)) for key in fmt.text_keys if report.text(key)},
        "signature": _text(report.signature_agency or report.agency),
        "date": report.signature_date.isoformat() if report.signature_date else "",
    }
    return json.dumps(content, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def _values(values: dict[str, CellValue], order: tuple[str, ...]) -> dict[str, str]:
    """Filled cells in the format's order; zero is left out (it prints as a blank does)."""
    return {key: _number(values[key]) for key in order if values.get(key)}


def _number(value: CellValue) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
