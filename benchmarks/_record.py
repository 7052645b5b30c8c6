"""Shared by the benchmarks: the machine they ran on, timing helpers, and docs/PERFORMANCE.md.

Each benchmark rewrites only its own section of docs/PERFORMANCE.md (between its markers) and
the machine block, so running one benchmark leaves the others' figures in place; everything
outside the markers is prose written by hand and is never touched.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import statistics
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "PERFORMANCE.md"
EXAMPLE = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"
SAMPLE = ROOT / "resources" / "examples" / "sample-2021-county-bureau.nianbao.json"
#: The order in which sections first appear in the document.
SECTIONS = ("startup", "edit", "export", "memory", "scale", "checks")

_HEADER = """# Performance

The project's own figures, written by `make bench` (benchmarks/, never part of `make test`).
Each figure is a ratio against a baseline measured in the same run on the same machine, so the
ratios compare across machines; the absolute times are for this machine only.  The sections
between the markers are rewritten by the benchmarks; the notes at the end are written by hand.
"""


def cache_dir() -> Path:
    """Generated benchmark data (never committed): ``$XDG_CACHE_HOME/nianbao-bench``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "nianbao-bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 1,000 values is the 990th smallest)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- the machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def _os() -> str:
    try:
        release = Path("/etc/os-release").read_text()
        found = re.search(r'^PRETTY_NAME="?([^"\n]*)', release, re.MULTILINE)
        if found:
            return f"{found.group(1)} (kernel {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def _qt() -> str:
    from PySide6 import QtCore, __version__

    return f"{QtCore.qVersion()} (PySide6 {__version__})"


def machine() -> str:
    rows = [
        ("CPU", _cpu_model()),
        ("cores", str(os.cpu_count())),
        ("RAM", _ram()),
        ("OS", _os()),
        ("Python", sys.version.split()[0]),
        ("Qt (PySide6)", _qt()),
        ("SQLAlchemy", _version("SQLAlchemy")),
        ("ReportLab / python-docx", f"{_version('reportlab')} / {_version('python-docx')}"),
        ("Qt platform", os.environ.get("QT_QPA_PLATFORM", "(default)")),
    ]
    return table(("", ""), rows)


# ---------------------------------------------------------------------------- the document


def _block(name: str, body: str) -> str:
    return f"<!-- bench:{name} -->\n{body.strip()}\n<!-- /bench:{name} -->"


def _replace(text: str, name: str, body: str, title: str) -> str:
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: _block(name, body), text, count=1)
    section = f"## {title}\n\n{_block(name, body)}\n"
    after = SECTIONS[SECTIONS.index(name) + 1 :] if name in SECTIONS else ()
    later = [s for s in after if f"<!-- bench:{s} -->" in text]
    if later:  # keep the sections in their order
        anchor = text.index(f"<!-- bench:{later[0]} -->")
        heading = text.rfind("\n## ", 0, anchor) + 1
        return text[:heading] + section + "\n" + text[heading:]
    notes = text.find("\n## Notes")
    if notes >= 0:
        return text[: notes + 1] + section + "\n" + text[notes + 1 :]
    return text.rstrip("\n") + "\n\n" + section


def write_section(name: str, title: str, body: str) -> None:
    """Put ``body`` into the section ``name`` of docs/PERFORMANCE.md, and the machine block."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else _HEADER
    stamp = f"Last run {dt.date.today().isoformat()}."
    text = _replace(text, "machine", f"{stamp}\n\n{machine()}", "Machine")
    text = _replace(text, name, body, title)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"→ {DOC.relative_to(ROOT)} § {title}")
