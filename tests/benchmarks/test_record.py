"""benchmarks/_record.py: a section of docs/PERFORMANCE.md rendered from the all-cores and the
one-core pass of `make bench` (issue 20). Pure functions and a temporary document; no benchmark
is run here."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import _record as rec
from benchmarks._record import Table, merge_bodies, merge_tables, parse_blocks, table

# bench_startup.py's table as it wrote it, once per pass (figures made up).
EVERY = table(
    ("", "time", "ratio", "goal"),
    [
        ("bare QTableView window, painted", "116.2 ms", "1.00×", "—"),
        ("程序 window painted", "218.5 ms", "1.88×", "≤ 1.3×: **missed**"),
        ("example report ready for typing", "352.0 ms", "3.03×", "≤ 2×: **missed**"),
    ],
)
ONE = table(
    ("", "time", "ratio", "goal"),
    [
        ("bare QTableView window, painted", "150.0 ms", "1.00×", "—"),
        ("example report ready for typing", "290.0 ms", "1.93×", "≤ 2×: met"),
        ("程序 window painted", "180.0 ms", "1.20×", "≤ 1.3×: met"),
    ],
)


def _only_table(body: str) -> Table:
    (block,) = parse_blocks(body)
    assert isinstance(block, Table)
    return block


def _row(t: Table, label: str) -> dict[str, str]:
    (row,) = [r for r in t.rows if r[0] == label]
    return dict(zip(t.header, row, strict=True))


def test_figures_side_by_side_rows_matched_by_label_goals_from_one_core() -> None:
    merged = merge_tables(_only_table(EVERY), _only_table(ONE), "2 cores")
    assert merged.header == [
        "",
        "time (2 cores)",
        "time (1 core)",
        "ratio (2 cores)",
        "ratio (1 core)",
        "goal (1 core)",
    ]
    # The order of the all-cores run; the one-core figures found by label, not by position.
    assert [r[0] for r in merged.rows] == [
        "bare QTableView window, painted",
        "程序 window painted",
        "example report ready for typing",
    ]
    painted = _row(merged, "程序 window painted")
    assert painted["time (2 cores)"] == "218.5 ms"
    assert painted["time (1 core)"] == "180.0 ms"
    assert painted["ratio (1 core)"] == "1.20×"
    assert painted["goal (1 core)"] == "≤ 1.3×: met"  # not the all-cores "missed"
    assert _row(merged, "example report ready for typing")["goal (1 core)"] == "≤ 2×: met"


def test_a_row_only_one_pass_measured_is_still_shown_in_its_place() -> None:
    every = _only_table(EVERY)
    one = _only_table(ONE)
    every.rows.append(["… database open for writing", "561.4 ms", "4.83×", "≤ 5×: met"])
    one.rows.insert(1, ["first paint, one core only", "170.0 ms", "1.13×", "—"])
    merged = merge_tables(every, one, "2 cores")
    labels = [r[0] for r in merged.rows]
    assert (
        labels.index("first paint, one core only")
        == labels.index("bare QTableView window, painted") + 1
    )
    only_one = _row(merged, "first paint, one core only")
    assert (only_one["time (2 cores)"], only_one["time (1 core)"]) == ("", "170.0 ms")
    only_every = _row(merged, "… database open for writing")
    assert (only_every["time (2 cores)"], only_every["time (1 core)"]) == ("561.4 ms", "")
    # Its verdict is the all-cores one, and says so.
    assert only_every["goal (1 core)"] == "≤ 5×: met (2 cores)"


def test_a_column_both_passes_agree_on_appears_once_and_verdict_columns_are_found_by_their_cells() -> (
    None
):
    # bench_html.py's table: the goal column is headed "≤ 0.5×", its cells say met / missed.
    header = ("report", "page size", "web page (median)", "ratio", "≤ 0.5×")
    every = table(header, [("example (2019)", "53 KB", "7.38 ms", "0.18×", "met")])
    one = table(header, [("example (2019)", "53 KB", "9.90 ms", "0.51×", "**missed**")])
    merged = merge_tables(_only_table(every), _only_table(one), "2 cores")
    assert merged.header == [
        "report",
        "page size",
        "web page (median, 2 cores)",
        "web page (median, 1 core)",
        "ratio (2 cores)",
        "ratio (1 core)",
        "≤ 0.5× (1 core)",
    ]
    assert merged.rows == [
        ["example (2019)", "53 KB", "7.38 ms", "9.90 ms", "0.18×", "0.51×", "**missed**"]
    ]


def test_a_body_keeps_its_prose_once_and_gives_what_differs_for_each_pass() -> None:
    intro = "Each a new process, timed from launch to the milestone it prints; medians of 7 runs."
    every = "\n\n".join(
        [intro, EVERY, "The longest pause was 30 ms.", "Goals: switching ≤ 50 ms: met."]
    )
    one = "\n\n".join(
        [intro, ONE, "The longest pause was 44 ms.", "Goals: switching ≤ 50 ms: **missed**."]
    )
    body = merge_bodies(every, one, "2 cores")
    blocks = parse_blocks(body)
    assert blocks[0] == intro
    assert isinstance(blocks[1], Table)
    assert "time (1 core)" in blocks[1].header
    assert blocks[2:] == [
        "**2 cores:** The longest pause was 30 ms.",
        "**1 core:** The longest pause was 44 ms.",
        "**1 core:** Goals: switching ≤ 50 ms: **missed**.",  # the verdicts of one core only
    ]
    assert body.count(intro) == 1


def test_the_second_table_of_a_body_is_merged_with_the_second() -> None:
    first = table(("", "time"), [("a", "1 ms")])
    second = table(("folder", "time"), [("b", "2 ms")])
    every = f"{first}\n\n{second}"
    one = f"{table(('', 'time'), [('a', '3 ms')])}\n\n{table(('folder', 'time'), [('b', '4 ms')])}"
    tables = [b for b in parse_blocks(merge_bodies(every, one, "2 cores")) if isinstance(b, Table)]
    assert [t.rows for t in tables] == [[["a", "1 ms", "3 ms"]], [["b", "2 ms", "4 ms"]]]
    assert tables[1].header == ["folder", "time (2 cores)", "time (1 core)"]


def test_a_pass_that_has_not_run_is_named_and_the_other_shown_as_it_was() -> None:
    body = merge_bodies(EVERY, None, "2 cores")
    assert body.startswith("*Measured on 2 cores only: the 1 core pass has not run")
    assert body.endswith(EVERY)
    assert "has not run" in merge_bodies(None, ONE, "2 cores")


def test_parse_blocks_reads_back_what_table_wrote() -> None:
    t = _only_table(EVERY)
    assert rec.render_table(t) == EVERY
    assert parse_blocks("one line\nand its second line\n\n| not a table |") == [
        "one line\nand its second line",
        "| not a table |",
    ]


@pytest.fixture
def doc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(rec, "DOC", tmp_path / "PERFORMANCE.md")
    monkeypatch.setattr(rec, "RUNS", tmp_path / "runs.json")
    monkeypatch.setattr(rec, "ROOT", tmp_path)
    monkeypatch.setattr(rec, "machine", lambda: "| CPU | test |")
    return tmp_path / "PERFORMANCE.md"


def _run(monkeypatch: pytest.MonkeyPatch, body: str, *, pinned: bool) -> None:
    monkeypatch.setattr(rec, "_affinity", lambda: 1 if pinned else 2)
    monkeypatch.setattr(rec.os, "cpu_count", lambda: 2)
    if pinned:
        monkeypatch.setenv(rec.ONE_CORE_ENV, "1")
    else:
        monkeypatch.delenv(rec.ONE_CORE_ENV, raising=False)
    rec.write_section("startup", "Cold start", body)


def _section(doc: Path) -> Table:
    text = doc.read_text(encoding="utf-8")
    body = text.split("<!-- bench:startup -->\n")[1].split("\n<!-- /bench:startup -->")[0]
    return _only_table(body)


def test_each_pass_rewrites_its_own_columns_and_leaves_the_others(
    doc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(monkeypatch, EVERY, pinned=False)
    assert "has not run" in doc.read_text(encoding="utf-8")
    _run(monkeypatch, ONE, pinned=True)
    assert _row(_section(doc), "程序 window painted")["time (1 core)"] == "180.0 ms"
    # The all-cores pass again: its figures change, the one-core figures stay beside them.
    _run(monkeypatch, EVERY.replace("218.5 ms", "200.0 ms"), pinned=False)
    row = _row(_section(doc), "程序 window painted")
    assert (row["time (2 cores)"], row["time (1 core)"]) == ("200.0 ms", "180.0 ms")
    assert row["goal (1 core)"] == "≤ 1.3×: met"
    text = doc.read_text(encoding="utf-8")
    assert text.count("## Cold start") == 1
    assert "pinned to one core (`taskset -c 0`)" in text  # the machine block names both passes


def test_a_section_written_before_the_passes_were_kept_apart_is_the_all_cores_pass(
    doc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc.write_text(
        f"# Performance\n\n## Cold start\n\n<!-- bench:startup -->\n{EVERY}\n"
        "<!-- /bench:startup -->\n",
        encoding="utf-8",
    )
    _run(monkeypatch, ONE, pinned=True)
    row = _row(_section(doc), "程序 window painted")
    assert (row["time (2 cores)"], row["time (1 core)"]) == ("218.5 ms", "180.0 ms")


def test_asking_for_one_core_without_being_pinned_stops_the_benchmark(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(rec.ONE_CORE_ENV, "1")
    monkeypatch.setattr(rec, "_affinity", lambda: 2)
    with pytest.raises(SystemExit, match="taskset -c 0"):
        rec._check_pinned()
    monkeypatch.delenv(rec.ONE_CORE_ENV)
    monkeypatch.setattr(rec, "_affinity", lambda: 1)
    monkeypatch.setattr(rec.os, "cpu_count", lambda: 4)
    assert (
        rec.one_core()
    )  # `taskset -c 0 python benchmarks/bench_x.py` by hand is the one-core pass


def test_tables_without_a_row_in_common_keep_each_pass_in_its_own_column() -> None:
    every = _only_table(table(("", "time"), [("a", "1 ms")]))
    one = _only_table(table(("", "time"), [("b", "1 ms")]))
    merged = merge_tables(every, one, "2 cores")
    assert merged.header == ["", "time (2 cores)", "time (1 core)"]
    assert merged.rows == [["a", "1 ms", ""], ["b", "", "1 ms"]]
