"""Hostile data files, fuzzed: whatever the bytes, reading gives a report whose every value its
cell may hold, or a DataFileError with a message; never another exception.

``NIANBAO_FUZZ_EXAMPLES`` raises the number of cases (the figures in docs/RELIABILITY.md)."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import ops
from model.datafile import MAX_FILE_BYTES, DataFileError, read_datafile, read_datafile_path

DATA = Path(__file__).resolve().parents[2] / "resources" / "examples"
SAMPLES = [
    (DATA / "example-2019-township.nianbao.json").read_bytes(),
    (DATA / "sample-2021-county-bureau.nianbao.json").read_bytes(),
]
EXAMPLES = int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.sampled_from([10**9, 10**9 + 1, -(10**9) - 1, 2**63, 10**400])
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(["１２", "1e9", "NaN", "-0", "12.345", "9" * 40, "\ud800", "", " "])
)
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def outcome(data: bytes) -> None:
    """The property: a valid report or a DataFileError with sentences; nothing else."""
    try:
        report = read_datafile(data, source="fuzz.nianbao.json")
    except DataFileError as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)
        assert str(error)
        return
    ops.check_cells(report.format_id, report.cells)  # every value fits its cell
    assert all(abs(int(v)) <= 10**9 for v in report.cells.values() if isinstance(v, int))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    doc = json.loads(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 4))):
        target = doc
        if isinstance(doc.get("cells"), dict) and doc["cells"] and draw(st.booleans()):
            target = doc["cells"]
        key = draw(st.sampled_from(sorted(target) or ["agency"]) | st.text(max_size=10))
        target[key] = draw(_json)
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    how = draw(st.sampled_from(["cut", "flip", "insert", "bom", "utf16", "dup", "nest"]))
    if how == "cut":
        return bytes(data[: draw(st.integers(0, len(data)))])
    if how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if how == "insert":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xef\xbb\xbf"]))
        return bytes(data[:at] + junk + data[at:])
    if how == "bom":
        return b"\xef\xbb\xbf" + bytes(data)
    if how == "utf16":
        return bytes(data).decode("utf-8").encode("utf-16")
    if how == "dup":
        key = draw(st.sampled_from([b'"agency"', b'"year"', b'"format"', b'"cells"']))
        value = draw(st.sampled_from([b'"x"', b"2020", b"{}", b"[]", b"null"]))
        return bytes(data).replace(b"{", b"{" + key + b": " + value + b", ", 1)
    depth = draw(st.integers(10, 200_000))
    return b'{"cells": ' + b"[" * depth + b"]" * depth + b"}"


@FUZZ
@given(data=mutated())
def test_mutated_documents_are_read_or_refused_with_a_message(data: bytes) -> None:
    outcome(data)


@FUZZ
@given(data=damaged_bytes())
def test_damaged_bytes_are_refused_with_a_message(data: bytes) -> None:
    outcome(data)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused_with_a_message(data: bytes) -> None:
    outcome(data)


def test_a_100_mb_string_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    """Written in chunks and read only up to the limit, so memory stays near 20 MB."""
    path = tmp_path / "huge.nianbao.json"
    chunk = "公" * (1 << 20)
    with path.open("w", encoding="utf-8") as file:
        file.write('{"schema": "x", "agency": "')
        for _ in range(34):  # 34 × 3 MB of UTF-8
            file.write(chunk)
        file.write('"}')
    assert path.stat().st_size > 100 * 2**20
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError, match="文件过大"):
            read_datafile_path(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MAX_FILE_BYTES * 1.5


def test_a_long_string_under_the_size_limit_is_refused_by_the_schema() -> None:
    doc = json.loads(SAMPLES[1])
    doc["agency"] = "机" * (6 * 2**20)  # 18 MB of UTF-8
    with pytest.raises(DataFileError) as raised:
        read_datafile(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert any("过长" in p for p in raised.value.problems)
