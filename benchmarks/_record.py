"""Shared by the benchmarks: the machine they ran on, timing helpers, and docs/PERFORMANCE.md.

Each benchmark rewrites only its own section of docs/PERFORMANCE.md (between its markers) and
the machine block, so running one benchmark leaves the others' figures in place; everything
outside the markers is prose written by hand and is never touched.

Every benchmark runs twice (`make bench`): on all the machine's cores, then pinned to one core.
Each pass's section is kept in benchmarks/runs.json, and the section in the document is rendered
from both, so the one-core pass (`make bench-one-core`) leaves the all-cores figures beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

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

How to read them: `make bench` runs every benchmark twice, on all the machine's cores and pinned
to one core (`taskset -c 0`, the weakest laptop of issue 20; `make bench-one-core` runs only that
pass). A figure column appears for each pass side by side, *(2 cores)* then *(1 core)* on this
machine; a column both passes agree on (a size, a page count) appears once, and a row only one
pass measured keeps the other's cells empty. **The goal verdicts are the one-core pass's**: the
goals hold on one core. A sentence that differs between the passes is given for each, marked
**2 cores:** and **1 core:** (one stating verdicts, only for one core). Each pass's own output
is kept in benchmarks/runs.json, from which the sections are rendered; without `taskset` (on
Windows) only the first pass runs and the one-core figures are left as they were.
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


def run_child(script: str, *args: str) -> Any:
    """``script --child ARGS`` in a new process: what it printed last, as JSON (a benchmark's
    child mode prints its figures so)."""
    import subprocess

    command = [sys.executable, script, "--child", *args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


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


# ---------------------------------------------------------------------------- one core
#
# `make bench` runs every benchmark twice: on all the machine's cores, then pinned to one core
# (`taskset -c 0`, which child processes inherit) with NIANBAO_BENCH_ONE_CORE=1.  Each pass keeps
# its own body of every section in benchmarks/runs.json, and the section of docs/PERFORMANCE.md is
# rendered from both (`merge_bodies`): a table's figure columns side by side, the goal verdicts
# of the one-core pass.

ONE_CORE_ENV = "NIANBAO_BENCH_ONE_CORE"
RUNS = ROOT / "benchmarks" / "runs.json"
ALL, ONE = "all", "one"  # the two passes, as keys of runs.json
ONE_LABEL = "1 core"

#: A goal verdict as `verdict` writes it.
_VERDICT = re.compile(r"(?<![\w*])(?:met|\*\*missed\*\*)(?![\w*])")


def _affinity() -> int:
    """The cores this process may run on (``taskset`` narrows it; child processes inherit it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS: no affinity query, and no taskset
        return os.cpu_count() or 1


def one_core() -> bool:
    """Whether this run is the one-core pass: asked for by the Makefile, or pinned by hand."""
    if os.environ.get(ONE_CORE_ENV) == "1":
        return True
    return _affinity() == 1 and (os.cpu_count() or 1) > 1


def _check_pinned() -> None:
    if os.environ.get(ONE_CORE_ENV) == "1" and _affinity() != 1:
        raise SystemExit(
            f"{ONE_CORE_ENV}=1, but this process may run on {_affinity()} cores:"
            " run it under `taskset -c 0` (as `make bench-one-core` does)."
        )


_check_pinned()  # before a pass mislabelled "1 core" spends minutes measuring


def cores_label(cores: int) -> str:
    """The column label of the all-cores pass: ``2 cores`` (``1 core, unpinned`` on one core)."""
    return f"{cores} cores" if cores > 1 else "1 core, unpinned"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


#: A paragraph of prose, or a table.
Block = str | Table


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def _is_rule(line: str) -> bool:
    cells = _cells(line)
    return bool(cells) and all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells)


def parse_blocks(body: str) -> list[Block]:
    """A section's body as its paragraphs and tables (as `table` writes them), in order."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", body.strip()):
        lines = chunk.strip("\n").splitlines()
        if not lines:
            continue
        if len(lines) >= 2 and all(x.strip().startswith("|") for x in lines) and _is_rule(lines[1]):
            header = _cells(lines[0])
            rows = [_cells(line) for line in lines[2:]]
            blocks.append(Table(header, [row + [""] * (len(header) - len(row)) for row in rows]))
        else:
            blocks.append(chunk.strip("\n"))
    return blocks


def render_table(t: Table) -> str:
    return table(t.header, t.rows)


def _suffix(name: str, label: str) -> str:
    """``time`` → ``time (1 core)``; ``ratio (median / p99)`` → ``ratio (median / p99, 1 core)``."""
    if not name:
        return label
    if name.endswith(")"):
        return f"{name[:-1]}, {label})"
    return f"{name} ({label})"


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    """``first`` in its order, and what only ``second`` has, each placed after
    its predecessor there (or before its successor)."""
    order = list(first)
    for i, item in enumerate(second):
        if item in order:
            continue
        after = next((order.index(b) + 1 for b in reversed(second[:i]) if b in order), None)
        before = next((order.index(b) for b in second[i + 1 :] if b in order), len(order))
        order.insert(before if after is None else after, item)
    return order


@dataclass
class _Side:
    """One pass's table, its rows found by label (and the how-many-th row of that label)."""

    label: str
    rows: dict[tuple[str, int], list[str]]
    columns: dict[str, int]

    @classmethod
    def of(cls, label: str, t: Table) -> _Side:
        seen: dict[str, int] = {}
        rows: dict[tuple[str, int], list[str]] = {}
        for row in t.rows:
            seen[row[0]] = seen.get(row[0], 0) + 1
            rows[(row[0], seen[row[0]])] = row
        columns: dict[str, int] = {}
        for i, name in enumerate(t.header):
            columns.setdefault(name, i)
        return cls(label, rows, columns)

    def cell(self, key: tuple[str, int], name: str) -> str | None:
        """The cell, or None when this pass has no such row or column."""
        row, i = self.rows.get(key), self.columns.get(name)
        if row is None or i is None:
            return None
        return row[i] if i < len(row) else ""


def merge_tables(
    every: Table | None, one: Table | None, every_label: str, one_label: str = ONE_LABEL
) -> Table:
    """One table from the same table of both passes (either may be missing), rows matched by label.

    Each figure column appears for both passes side by side (``time (2 cores)``, ``time (1 core)``);
    a column both passes agree on in every row they share (a size, a page count) appears once; a
    goal column (its header says "goal", or its cells say met / **missed**) appears once, with the
    one-core verdicts. A row only one pass has is kept where that pass has it, the other pass's
    cells empty (its goal cell then gives the verdict of the pass that has it, marked with it).
    """
    pairs = [(label, t) for label, t in ((every_label, every), (one_label, one)) if t is not None]
    if not pairs:
        return Table([], [])
    sides = [_Side.of(label, t) for label, t in pairs]
    names: list[str] = []
    keys: list[tuple[str, int]] = []
    for _, t in pairs:
        names = _union(names, t.header[1:])
    for side in sides:
        keys = _union(keys, list(side.rows))
    header = [pairs[0][1].header[0] if pairs[0][1].header else ""]
    columns: list[list[str]] = [[label for label, _ in keys]]
    for name in names:
        values = [[side.cell(key, name) for key in keys] for side in sides]
        if "goal" in name.lower() or any(_VERDICT.search(v or "") for vs in values for v in vs):
            judge = sides[-1]  # the one-core pass, when it has the table
            header.append(_suffix(name, judge.label))
            columns.append([_goal(sides, values, i) for i in range(len(keys))])
            continue
        shared = [vs for vs in zip(*values, strict=True) if None not in vs]
        if len(sides) == 2 and shared and all(a == b for a, b in shared):
            header.append(name)
            columns.append(
                [next((v for v in vs if v is not None), "") for vs in zip(*values, strict=True)]
            )
            continue
        for side, side_values in zip(sides, values, strict=True):
            header.append(_suffix(name, side.label))
            columns.append([v or "" for v in side_values])
    return Table(header, [list(row) for row in zip(*columns, strict=True)])


def _goal(sides: list[_Side], values: list[list[str | None]], i: int) -> str:
    own = values[-1][i]
    if own is not None:
        return own
    other = values[0][i]
    return "" if other in (None, "", "—") else f"{other} ({sides[0].label})"


def merge_bodies(
    every: str | None, one: str | None, every_label: str, one_label: str = ONE_LABEL
) -> str:
    """A section's body from its body in each pass (either may be missing).

    Tables are paired in order and merged by `merge_tables`. A paragraph both passes wrote alike
    appears once; one that differs appears for each pass, marked with it — except a paragraph
    stating goal verdicts, which appears in its one-core version only.
    """
    if every is None or one is None:
        if every is None and one is None:
            return ""
        label, missing = (every_label, one_label) if one is None else (one_label, every_label)
        note = f"*Measured on {label} only: the {missing} pass has not run this benchmark.*"
        return f"{note}\n\n{(every or one or '').strip()}"
    mine, theirs = parse_blocks(every), parse_blocks(one)
    their_tables = [b for b in theirs if isinstance(b, Table)]
    their_texts = [b for b in theirs if isinstance(b, str)]
    out: list[str] = []
    tables = texts = 0
    for block in mine:
        if isinstance(block, Table):
            other = their_tables[tables] if tables < len(their_tables) else None
            out.append(render_table(merge_tables(block, other, every_label, one_label)))
            tables += 1
        else:
            other_text = their_texts[texts] if texts < len(their_texts) else None
            out += _merge_text(block, other_text, every_label, one_label)
            texts += 1
    for extra in their_tables[tables:]:
        out.append(render_table(merge_tables(None, extra, every_label, one_label)))
    for extra_text in their_texts[texts:]:
        out += _merge_text(None, extra_text, every_label, one_label)
    return "\n\n".join(out)


def _merge_text(every: str | None, one: str | None, every_label: str, one_label: str) -> list[str]:
    if every == one:
        return [every] if every else []
    if one and (every is None or _VERDICT.search(one)):
        return [f"**{one_label}:** {one}"]
    return [
        f"**{label}:** {text}" for label, text in ((every_label, every), (one_label, one)) if text
    ]


# ---------------------------------------------------------------------------- the document


def _block(name: str, body: str) -> str:
    return f"<!-- bench:{name} -->\n{body.strip()}\n<!-- /bench:{name} -->"


def _section_body(text: str, name: str) -> str | None:
    found = re.search(rf"<!-- bench:{name} -->\n(.*?)\n?<!-- /bench:{name} -->", text, re.DOTALL)
    return found.group(1) if found else None


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


def record(
    runs: dict[str, Any], name: str, title: str, body: str, *, one: bool, cores: int, date: str
) -> dict[str, Any]:
    """Keep ``body`` as this pass's body of section ``name`` in ``runs`` (runs.json's content)."""
    key = ONE if one else ALL
    entry = runs.setdefault("sections", {}).setdefault(name, {})
    entry["title"] = title
    entry[key] = {"date": date, "cores": cores, "body": body.strip().splitlines()}
    runs.setdefault("passes", {})[key] = {"date": date, "cores": cores}
    return runs


def render_section(entry: dict[str, Any]) -> str:
    """The section's body in docs/PERFORMANCE.md, from what each pass recorded."""
    every, one = entry.get(ALL), entry.get(ONE)
    cores = every["cores"] if every else (os.cpu_count() or 1)
    return merge_bodies(
        "\n".join(every["body"]) if every else None,
        "\n".join(one["body"]) if one else None,
        cores_label(cores),
    )


def _passes(runs: dict[str, Any]) -> str:
    passes = runs.get("passes", {})
    every, one = passes.get(ALL), passes.get(ONE)
    parts = []
    if every:
        parts.append(f"on all {every['cores']} cores {every['date']}")
    if one:
        parts.append(f"pinned to one core (`taskset -c 0`) {one['date']}")
    return "Last run " + ("; ".join(parts) or "never") + "."


def _load_runs() -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = json.loads(RUNS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return loaded


def write_section(name: str, title: str, body: str) -> None:
    """Record ``body`` as this pass's section ``name``, and render it and the machine block
    into docs/PERFORMANCE.md."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else _HEADER
    runs = _load_runs()
    today = dt.date.today().isoformat()
    pinned = one_core()
    if pinned and name not in runs.get("sections", {}):
        # The section was written before the passes were kept apart: its body is an all-cores run.
        old = _section_body(text, name)
        if old is not None and ONE_LABEL not in old:
            entry = runs.setdefault("sections", {}).setdefault(name, {"title": title})
            entry[ALL] = {"date": "?", "cores": os.cpu_count() or 1, "body": old.splitlines()}
    record(runs, name, title, body, one=pinned, cores=_affinity(), date=today)
    text = _replace(text, "machine", f"{_passes(runs)}\n\n{machine()}", "Machine")
    text = _replace(text, name, render_section(runs["sections"][name]), title)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    RUNS.write_text(json.dumps(runs, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    where = ONE_LABEL if pinned else cores_label(_affinity())
    print(f"→ {DOC.relative_to(ROOT)} § {title} ({where})")
