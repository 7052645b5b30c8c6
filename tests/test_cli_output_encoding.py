"""Output redirected in a code page without Chinese (an English Windows: cp1252) never makes a
command fail: what the code page lacks prints as "?", the work is done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"


def test_export_with_output_in_cp1252(tmp_path: Path) -> None:
    out = tmp_path / "年报.docx"
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    done = subprocess.run(
        [sys.executable, "main.py", "export", "--file", str(EXAMPLE), "--docx", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("cp1252", "replace")
    assert out.read_bytes().startswith(b"PK")
    said = f"已导出：古城回族乡人民政府 2019年 → {out}"
    assert done.stdout.decode("cp1252").strip() == said.encode("cp1252", "replace").decode("cp1252")
