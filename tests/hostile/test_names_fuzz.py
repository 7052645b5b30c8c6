"""Random names through every entry and every exporter: whatever the data file reader accepts
as an agency, a title or a signing agency is stored, listed and exported (JSON, Word, PDF)
without an error; whatever it refuses is refused with a message naming the field.

``NIANBAO_FUZZ_EXAMPLES`` raises the number of cases."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import docx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from export.docx import render_docx
from export.pdf import render_pdf
from model.datafile import DataFileError, read_datafile, write_datafile
from model.names import visible
from model.schema import MAX_AGENCY, MAX_TITLE

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "examples"
    / "example-2019-township.nianbao.json"
)
EXAMPLES = int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

#: Characters a name may hold, Chinese ones and markup-like ones often.
GOOD = st.one_of(
    st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Cn")),
    st.sampled_from("古城回族乡人民政府\u3000 <>&\"'\ue000\U00020000"),
)
#: Characters a name may not hold (a title may hold line breaks).
BAD = st.one_of(
    st.characters(categories=("Cc", "Cf", "Zl", "Zp")),
    st.sampled_from("\x00\x1b\x7f\x85\t\n\r\u200b\u200d\u202e\u2066\ufeff\u00ad\ufdd0"),
)


@st.composite
def names(draw: st.DrawFn, max_size: int) -> str:
    """A name that is fine, or fine but for one character (a name may also be blank)."""
    text = draw(st.text(GOOD, min_size=1, max_size=max_size - 1))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(BAD) + text[at:]
    return text


def _document(agency: str, title: str, signature: str) -> bytes:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc.update(agency=agency, title=title)
    doc.setdefault("signature", {})["agency"] = signature
    return json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")


@given(
    agency=names(MAX_AGENCY),
    title=names(MAX_TITLE),
    signature=names(60),
)
@SETTINGS
def test_a_name_is_refused_with_its_field_or_exports_everywhere(
    agency: str, title: str, signature: str
) -> None:
    try:
        report = read_datafile(_document(agency, title, signature))
    except DataFileError as error:
        places = ("agency：", "title：", "signature.agency：")
        assert all(problem.startswith(places) for problem in error.problems), error.problems
        event("refused")
        return
    event("exported")
    assert read_datafile(write_datafile(report).encode("utf-8")) == report
    assert visible(report.agency) == report.agency  # nothing for a terminal to act on
    word = docx.Document(io.BytesIO(render_docx(report)))
    assert len(word.core_properties.title) <= 255


@given(
    agency=names(40),
    title=names(80),
)
@settings(max_examples=max(EXAMPLES // 10, 5), deadline=None)
def test_an_admitted_name_prints(agency: str, title: str) -> None:
    try:
        report = read_datafile(_document(agency, title, "落款"))
    except DataFileError:
        return
    assert render_pdf(report).data.startswith(b"%PDF")
