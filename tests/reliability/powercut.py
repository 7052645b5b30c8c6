"""Power-cut harness: real edits in a child process, killed (SIGKILL) at random moments.

The child opens the database with the program's own ``open_database`` and writes through
``model.ops``: single cells, pasted blocks, long texts, and now and then an automatic backup.
Before each write it prints ``BEGIN`` with what it is about to write, and ``ACK`` once the
operation has returned, which is the moment the window would show "已保存".  After every kill
the parent checks that

* the database opens (``open_database``) and passes ``PRAGMA integrity_check``;
* every acknowledged edit is there (edits lost: must be 0);
* the one edit in flight, if any, is there completely or not at all;
* every listed backup passes its integrity check (a backup cut short is never listed).

The CI test runs a few dozen kills; for the figures in docs/RELIABILITY.md run

    .venv/bin/python tests/reliability/powercut.py --kills 500

A SIGKILL stops the process but not the operating system, so data the process had handed to
the OS survives it; a real power cut also loses the OS's unwritten cache.  ``synchronous=FULL``
(fsync at every commit) is what covers that case; this harness proves the transaction logic,
the recovery at open and the absence of half-written states.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AGENCY, YEAR = "古城回族乡人民政府", 2022
TEXT_KEYS = ("overview", "problems", "other_matters")
_CHARS = "政府信息公开工作年度报告依申请主动公开行政复议诉讼数据统计汇总情况，。；0123456789"


# ---------------------------------------------------------------------------- the child


def child(db_path: Path, seed: int) -> None:
    """Edit forever (until killed), acknowledging each edit once it has returned."""
    from model import backups, ops
    from model.db import open_database
    from model.formats import CellKind, get_format

    db = open_database(db_path)
    report_id = ops.find_report(db, AGENCY, YEAR)
    assert report_id is not None
    fmt = get_format(ops.load_report(db, report_id).format_id)
    keys = list(fmt.input_keys)
    rng = random.Random(seed)

    def value(key: str) -> object:
        kind = fmt.cells[key].kind
        if rng.random() < 0.1:
            return None
        if kind is CellKind.MONEY:
            return f"{rng.randrange(0, 10**8)}.{rng.randrange(0, 100):02d}"
        low = -1000 if kind is CellKind.SIGNED_COUNT else 0
        return rng.randrange(low, 10**6)

    _say("READY")
    while True:
        roll = rng.random()
        if roll < 0.55:
            cells = {rng.choice(keys): None}
        elif roll < 0.8:
            cells = dict.fromkeys(rng.sample(keys, rng.randrange(2, 40)))
        elif roll < 0.97:
            key, text = rng.choice(TEXT_KEYS), _text(rng)
            _say("BEGIN", {"texts": {key: text}})
            ops.set_text(db, report_id, key, text)
            _say("ACK")
            continue
        else:
            _say("BACKUP")
            backups.make_backup(db_path)
            continue
        written = {key: value(key) for key in cells}
        _say("BEGIN", {"cells": written})
        ops.set_cells(db, report_id, {k: _typed(v) for k, v in written.items()})
        _say("ACK")


def _typed(raw: object) -> int | Decimal | None:
    return Decimal(raw) if isinstance(raw, str) else raw  # type: ignore[return-value]


def _text(rng: random.Random) -> str:
    length = rng.choice((0, 1, 10, 200, 3000, 20000))
    return "".join(rng.choice(_CHARS) for _ in range(length))


def _say(word: str, payload: object = None) -> None:
    line = word if payload is None else f"{word} {json.dumps(payload, ensure_ascii=False)}"
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------- the parent


@dataclass
class Figures:
    kills: int = 0
    survived: int = 0
    acknowledged: int = 0  # edits the child reported saved, all rounds
    lost: int = 0  # acknowledged edits missing after a kill
    in_flight_kept: int = 0  # killed after the commit, before the acknowledgment
    in_flight_dropped: int = 0  # killed before the commit: the edit is absent, whole
    half_written: int = 0  # an edit in flight found partly written (must be 0)
    backups_checked: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"kills {self.kills}, survived {self.survived}, acknowledged edits "
            f"{self.acknowledged}, lost {self.lost}, half-written {self.half_written}, "
            f"in flight kept {self.in_flight_kept} / dropped {self.in_flight_dropped}, "
            f"backups checked {self.backups_checked}"
        )


@dataclass
class _State:
    cells: dict[str, object] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def apply(self, payload: dict[str, dict[str, object]]) -> None:
        for key, raw in payload.get("cells", {}).items():
            self.cells[key] = raw
        for key, text in payload.get("texts", {}).items():
            self.texts[key] = str(text)


def run(folder: Path, kills: int, seed: int, max_delay: float = 0.4) -> Figures:
    """``kills`` rounds on one database in ``folder``; the figures (problems listed in them)."""
    from model import ops
    from model.db import open_database

    db_path = folder / "powercut.sqlite3"
    with open_database(db_path) as db:
        ops.create_report(db, AGENCY, YEAR)
    rng = random.Random(seed)
    state, figures = _State(), Figures()
    for round_number in range(kills):
        lines = _one_round(db_path, rng.randrange(2**31), rng, max_delay)
        figures.kills += 1
        _check(db_path, lines, state, figures, f"round {round_number}")
    return figures


def _one_round(db_path: Path, seed: int, rng: random.Random, max_delay: float) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "child", str(db_path), str(seed)],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None
    lines: list[str] = []
    ready = threading.Event()

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("READY"):
                ready.set()
        ready.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    if rng.random() < 0.1:  # now and then while it is still opening the database
        time.sleep(rng.uniform(0, 0.3))
    else:
        ready.wait(timeout=30)
        time.sleep(rng.uniform(0, max_delay))
    process.send_signal(signal.SIGKILL)
    process.wait()
    reader.join(timeout=10)
    process.stdout.close()
    return lines


def _check(db_path: Path, lines: list[str], state: _State, figures: Figures, where: str) -> None:
    from model import backups, ops
    from model.db import DatabaseError, open_database

    problems_before = len(figures.problems)
    in_flight: dict[str, dict[str, object]] | None = None
    for line in lines:
        word, _, rest = line.partition(" ")
        if word == "BEGIN":
            in_flight = json.loads(rest)
        elif word == "ACK" and in_flight is not None:
            state.apply(in_flight)
            figures.acknowledged += 1
            in_flight = None
    try:
        db = open_database(db_path)
    except DatabaseError as error:
        figures.problems.append(f"{where}: does not open: {error}")
        return
    with db:
        report_id = ops.find_report(db, AGENCY, YEAR)
        assert report_id is not None
        report = ops.load_report(db, report_id)
    with closing(sqlite3.connect(db_path)) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        figures.problems.append(f"{where}: integrity_check {integrity[:3]}")
        return
    actual = _State(
        {k: _raw(v) for k, v in report.cells.items()},
        {k: v for k, v in report.texts.items() if v},
    )
    _compare(actual, state, in_flight, figures, where)
    for backup in backups.list_backups(db_path):
        figures.backups_checked += 1
        if not backup.good:
            figures.problems.append(f"{where}: bad backup listed: {backup.path.name}")
    figures.survived += len(figures.problems) == problems_before


def _raw(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def _compare(
    actual: _State,
    expected: _State,
    in_flight: dict[str, dict[str, object]] | None,
    figures: Figures,
    where: str,
) -> None:
    """Acknowledged edits must all be there; the edit in flight all there or not at all."""
    committed = _State(dict(expected.cells), dict(expected.texts))
    if in_flight is not None:
        committed.apply(in_flight)
    before = _normal(expected)
    after = _normal(committed)
    now = _normal(actual)
    if now == before:
        figures.in_flight_dropped += in_flight is not None
        return
    if now == after:
        figures.in_flight_kept += 1
        expected.apply(in_flight or {})
        return
    changed = {k for k in set(before) | set(now) if before.get(k) != now.get(k)}
    flight_keys = set(_normal(_payload_state(in_flight)))
    lost = changed - flight_keys
    figures.lost += len(lost)
    if not lost:
        figures.half_written += 1
    figures.problems.append(f"{where}: differs at {sorted(changed)[:5]} (lost {len(lost)})")


def _payload_state(payload: dict[str, dict[str, object]] | None) -> _State:
    state = _State()
    if payload is not None:
        state.apply(payload)
    return state


def _normal(state: _State) -> dict[str, object]:
    """One flat mapping, blanks dropped (a cleared cell and a missing one are the same)."""
    flat: dict[str, object] = {f"cell:{k}": v for k, v in state.cells.items() if v is not None}
    flat.update({f"text:{k}": v for k, v in state.texts.items() if v})
    return flat


# ---------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode")
    kid = sub.add_parser("child")
    kid.add_argument("db", type=Path)
    kid.add_argument("seed", type=int)
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--max-delay", type=float, default=0.5)
    args = parser.parse_args(argv)
    if args.mode == "child":
        child(args.db, args.seed)
        return 0
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        figures = run(Path(folder), args.kills, args.seed, args.max_delay)
        elapsed = time.monotonic() - started
    print(f"seed {args.seed}: {figures.summary()} in {elapsed:.0f} s")
    for problem in figures.problems:
        print("PROBLEM", problem)
    return 1 if figures.problems else 0


if __name__ == "__main__":
    sys.exit(main())
