"""`python main.py check … --json`, run as the county desk's scripts run it: the findings as
UTF-8 JSON on standard output (whatever the console's code page), the exit codes as without
--json (0 no error, 1 errors, 2 bad input)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"
SAMPLE = ROOT / "resources" / "examples" / "sample-2021-county-bureau.nianbao.json"

#: An English Windows console: the JSON must still be UTF-8, not "?" for every character.
ENV = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}


def _check(db: Path, *args: str) -> tuple[int, bytes, str]:
    done = subprocess.run(
        [sys.executable, "main.py", "--db", str(db), "check", *args, "--json"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr.decode("cp1252", "replace")


def _variant(tmp_path: Path, source: Path, name: str, **changes: Any) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "problems":
            data["texts"]["problems"] = value
        elif key == "cells":
            data["cells"].update(value)
        else:
            data[key] = value
    path = tmp_path / f"{name}.nianbao.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_clean_report(tmp_path: Path) -> None:
    status, out, err = _check(tmp_path / "db.sqlite3", str(SAMPLE))
    assert status == 0, err
    assert json.loads(out.decode("utf-8")) == {
        "agency": "某某县自然资源局",
        "year": 2022,
        "format": "2021",
        "findings": [],
    }


def test_errors_and_warnings_with_their_places(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        SAMPLE,
        "broken",
        cells={"requests.new.natural": 99},  # 一+二 no longer equals 三+四
        title="某某县自然资源局政府信息公开工作年度报告",  # no year
        problems="",
    )
    status, out, err = _check(tmp_path / "db.sqlite3", str(path))
    assert status == 1, err
    result = json.loads(out.decode("utf-8"))
    assert (result["agency"], result["year"], result["format"]) == (
        "某某县自然资源局",
        2022,
        "2021",
    )
    by_rule = {f["rule"]: f for f in result["findings"]}
    balance = by_rule["requests.balance"]
    assert balance["severity"] == "error" and balance["part"] == "requests"
    assert "requests.new.natural" in balance["cells"] and balance["texts"] == []
    assert balance["message"].startswith("第三部分“自然人”列：第一项加第二项为")
    assert by_rule["problems.empty"] == {
        "rule": "problems.empty",
        "severity": "warning",
        "part": "problems",
        "message": "第五部分“存在的主要问题及改进情况”尚未填写",
        "cells": [],
        "texts": ["problems"],
    }
    assert by_rule["title.words"]["message"] == (
        "标题“某某县自然资源局政府信息公开工作年度报告”缺少年度“2022年”"
    )
    # Errors first, as in the window and the plain output.
    assert result["findings"][0]["severity"] == "error"


def test_a_stored_report_compared_with_the_other_units(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    copied = sample["texts"]["problems"].replace("我局", "我委")
    other = _variant(
        tmp_path,
        SAMPLE,
        "other",
        agency="某某县住房和城乡建设局",
        signature={"agency": "某某县住房和城乡建设局", "date": "2023-01-20"},
        problems=copied,
    )
    assert main.main(["--db", str(db), "import", str(SAMPLE), str(other)]) == 0
    status, out, err = _check(db, "--agency", "某某县自然资源局", "--year", "2022")
    assert status == 0, err  # a warning is not an error
    [finding] = json.loads(out.decode("utf-8"))["findings"]
    assert finding["rule"] == "problems.similar"
    assert finding["message"].startswith(
        "第五部分与某某县住房和城乡建设局2022年报告的第五部分几乎相同"
    )
    assert finding["texts"] == ["problems"]


def test_bad_input_prints_no_json(tmp_path: Path) -> None:
    status, out, err = _check(tmp_path / "db.sqlite3", str(tmp_path / "没有这个文件.nianbao.json"))
    assert status == 2
    assert out == b""
    assert ".nianbao.json" in err  # the message names the file (its Chinese is "?" in cp1252)
