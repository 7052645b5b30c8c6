"""A 汇总 prints the units it sums as 附件 after its 落款 (GB/T 9704 §7.3.4, §7.5), in the PDF,
the Word file and the web page, each read back as a reader would; a report without an appendix
prints as before.  Its data file carries the units in an ``aggregate`` object that a reader
accepts and ignores."""

from __future__ import annotations

import io
import json
import re

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from export import docx as word
from export import html, pdf
from export.aggregate import APPENDIX_TITLE, appendix
from export.document import APPENDIX_LABEL, build_document
from export.renderers import RENDERERS
from model.aggregate import Coverage
from model.datafile import AggregateMembers, DataFileError, read_datafile, write_datafile
from model.report import Report

COVERAGE = Coverage(
    covered=tuple(f"某某县第{n}乡人民政府" for n in range(1, 13)),
    missing=("某某县档案馆", "某某县统计局"),
    other_format=("某某县气象局",),
    left_out=(),
)
NOTE = f"{APPENDIX_LABEL}：{APPENDIX_TITLE}"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [_squeeze(page.extract_text() or "") for page in document.pages]


def _expected_lines() -> list[str]:
    """What the appendix says, as the 汇总 window and the command line say it."""
    return [_squeeze(f"{heading}：{text}") for heading, text in COVERAGE.lines()]


def test_appendix_is_the_coverage_lines() -> None:
    made = appendix(COVERAGE)
    assert made.heading == APPENDIX_TITLE
    assert [_squeeze(p.full_text) for p in made.paragraphs] == _expected_lines()
    assert all(p.lead.endswith("：") and p.lead_level == 1 for p in made.paragraphs)
    assert "汇总的单位（12个）" in made.paragraphs[0].lead
    assert "某某县气象局" in made.paragraphs[-1].text


def test_pdf_prints_the_appendix_on_its_own_page_after_the_signature(sample: Report) -> None:
    plain = pdf.render(sample)
    rendered = pdf.render(sample, appendix(COVERAGE))
    pages = _pdf_pages(rendered.data)
    assert plain.pages is not None
    assert rendered.pages == len(pages) >= plain.pages + 1
    last = pages[-1]
    # “附件” on the first line, the title, then every line of the coverage
    assert last.startswith(APPENDIX_LABEL + APPENDIX_TITLE)
    at = 0
    for line in _expected_lines():
        found = last.find(line, at)
        assert found > at, line
        at = found
    # under the text, the 附件说明 stands above the 落款
    closing = pages[-2]
    assert NOTE in closing
    assert closing.index(NOTE) < closing.rindex(_squeeze(sample.signature_agency or sample.agency))
    assert NOTE not in "".join(_pdf_pages(plain.data))
    assert not any(APPENDIX_TITLE in page for page in _pdf_pages(plain.data))


def test_word_file_has_the_appendix_on_a_new_page(sample: Report) -> None:
    data = word.render(sample, appendix(COVERAGE)).data
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    texts = [_squeeze(p.text.replace(word.JOINER, "")) for p in paragraphs]
    label = texts.index(APPENDIX_LABEL)
    assert paragraphs[label]._p.pPr.find(qn("w:pageBreakBefore")) is not None
    assert paragraphs[label].style.name == "一级标题"
    assert texts[label + 1] == APPENDIX_TITLE
    assert paragraphs[label + 1].style.name == "标题"
    assert texts[label + 2 :] == _expected_lines()
    # the 附件说明 before the 落款, the 落款 before the appendix
    note = texts.index(NOTE)
    signer = texts.index(_squeeze(sample.signature_agency or sample.agency), note)
    assert note < signer < label
    plain = docx.Document(io.BytesIO(word.render(sample).data)).paragraphs
    assert not any(NOTE in p.text or p.text == APPENDIX_LABEL for p in plain)


def test_web_page_and_its_text_carry_the_appendix(sample: Report) -> None:
    page = html.render(sample, appendix(COVERAGE)).data.decode("utf-8")
    assert f">{APPENDIX_TITLE}</h2>" in page
    body = _squeeze(re.sub(r"<[^>]+>", "", page))
    assert NOTE in body
    assert body.index(NOTE) < body.rindex(_squeeze(APPENDIX_TITLE))
    for line in _expected_lines():
        assert line in body
    text = html.render_text(sample, appendix(COVERAGE))
    assert text.splitlines()[-len(_expected_lines()) - 2 :] == [
        APPENDIX_LABEL,
        APPENDIX_TITLE,
        *(f"{h}：{t}" for h, t in COVERAGE.lines()),
    ]
    assert NOTE not in html.render(sample).data.decode("utf-8")


@pytest.mark.parametrize("kind", RENDERERS, ids=lambda r: r.name)
def test_every_renderer_takes_the_appendix(kind: object, sample: Report) -> None:
    from export.renderers import Renderer

    assert isinstance(kind, Renderer)
    plain = kind.render(sample)
    # without an appendix, the same bytes as the renderer's module gives
    assert plain.data == kind.render(sample, None).data
    with_appendix = kind.render(sample, appendix(COVERAGE))
    assert with_appendix.data != plain.data


def test_no_appendix_leaves_the_document_as_it_was(example: Report) -> None:
    document = build_document(example)
    assert document.appendix is None
    assert document == build_document(example, None)
    assert APPENDIX_LABEL not in "".join(document.texts())
    # the same bytes, twice (renders are deterministic) and through the renderer list
    assert pdf.render(example).data == pdf.render_pdf(example).data
    assert word.render(example).data == word.render_docx(example)
    assert html.render_fragment(example) == html.fragment(document)


def test_appendix_text_is_checked_for_fonts(sample: Report) -> None:
    document = build_document(sample, appendix(COVERAGE))
    printed = "".join(document.texts())
    assert NOTE in printed and "某某县气象局" in printed


# ---------------------------------------------------------------------------- data file


def test_data_file_of_a_summary_names_its_units(sample: Report) -> None:
    members = AggregateMembers.of(COVERAGE)
    text = write_datafile(sample, version=True, aggregate=members)
    doc = json.loads(text)
    assert list(doc)[-2:] == ["aggregate", "version"]
    assert doc["aggregate"] == {
        "units": list(COVERAGE.covered),
        "missing": list(COVERAGE.missing),
        "other_format": list(COVERAGE.other_format),
    }
    # read back: the same report, the lists ignored; written again without them
    again = read_datafile(text.encode("utf-8"))
    assert again == sample
    assert write_datafile(again, version=True) == write_datafile(sample, version=True)
    assert "aggregate" not in write_datafile(sample)


def test_the_lists_may_be_given_by_name(sample: Report) -> None:
    members = AggregateMembers.of(COVERAGE)
    by_name = {"units": list(COVERAGE.covered), "missing": list(COVERAGE.missing)}
    doc = json.loads(write_datafile(sample, aggregate=by_name))
    assert doc["aggregate"] == {**by_name, "other_format": []}
    assert write_datafile(sample, aggregate=members.as_json()) == write_datafile(
        sample, aggregate=members
    )
    with pytest.raises(ValueError):
        write_datafile(sample, aggregate={"covered": ["甲"]})


def test_existing_calls_write_no_aggregate(sample: Report) -> None:
    assert write_datafile(sample) == write_datafile(sample, aggregate=None)
    assert '"aggregate"' not in write_datafile(sample, version=True)


@pytest.mark.parametrize(
    ("aggregate", "message"),
    [
        ({"units": ["甲"], "extra": []}, "未知的字段“extra”"),
        ({"units": "甲、乙"}, "数组"),
        ({"units": [""]}, "aggregate.units.0"),
        ({"missing": ["县\u200b档案馆"]}, "aggregate.missing.0"),
        ({"units": [1]}, "文字"),
    ],
)
def test_a_bad_aggregate_object_is_refused_in_chinese(
    sample: Report, aggregate: object, message: str
) -> None:
    doc = json.loads(write_datafile(sample))
    doc["aggregate"] = aggregate
    with pytest.raises(DataFileError) as error:
        read_datafile(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert message in str(error.value)
    assert "pattern" not in str(error.value)
