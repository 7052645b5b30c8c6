"""The limit on a report's texts: one number, in the published schema, the reader and the
message; a text at the limit is taken, one character more is refused by name and length."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from model.datafile import DataFileError, read_datafile
from model.formats import FORMATS, ReportFormat, get_format
from model.schema import MAX_TEXT, SCHEMA_PATH, text_problem

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"
TEXT_KEYS = get_format("2019").text_keys  # the example's format


def _file_with(key: str, length: int) -> bytes:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc.setdefault("texts", {})[key] = ("我乡认真做好政府信息公开工作。" * length)[:length]
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=lambda f: f.id)
def test_the_published_schema_states_the_limit_of_every_text(fmt: ReportFormat) -> None:
    defs = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]
    texts = defs[f"texts_{fmt.id}"]["properties"]
    assert {key: texts[key]["maxLength"] for key in fmt.text_keys} == dict.fromkeys(
        fmt.text_keys, 20_000
    )
    assert MAX_TEXT == 20_000


@pytest.mark.parametrize("key", TEXT_KEYS)
def test_a_text_at_the_limit_is_read(key: str) -> None:
    report = read_datafile(_file_with(key, MAX_TEXT))
    assert len(report.text(key)) == MAX_TEXT


@pytest.mark.parametrize("key", TEXT_KEYS)
def test_a_text_over_the_limit_is_refused_naming_it(key: str) -> None:
    with pytest.raises(DataFileError) as caught:
        read_datafile(_file_with(key, MAX_TEXT + 1))
    assert caught.value.problems == [f"texts.{key}：过长（20,001字），最多20,000字"]
    # the same words for any other entry that checks a text
    assert text_problem("字" * (MAX_TEXT + 1)) == "过长（20,001字），最多20,000字"
    assert text_problem("字" * MAX_TEXT) is None


def test_the_command_line_refuses_a_file_with_a_text_over_the_limit(tmp_path: Path) -> None:
    source = tmp_path / "long.nianbao.json"
    source.write_bytes(_file_with("overview", MAX_TEXT + 1))
    out = tmp_path / "long.pdf"
    command = [sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "db.sqlite3")]
    result = subprocess.run(
        [*command, "export", "--file", str(source), "--pdf", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2
    assert "texts.overview：过长（20,001字），最多20,000字" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert not out.exists()
