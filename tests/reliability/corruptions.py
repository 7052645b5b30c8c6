"""Damaged database files, generated: how many are detected when the program opens them.

    .venv/bin/python tests/reliability/corruptions.py --trials 400

Each trial damages a copy of a real database (with 40 reports) in one of the ways files get
damaged in the field, then opens it with ``open_database``.  Outcomes:

* refused: ``BrokenDatabaseError`` at open (the clerk is offered a backup or a new file), or
  ``NewerDatabaseError`` (a newer program's file: left as it is, the clerk told to update);
* harmless: it opens and every report reads back identical (the damage hit unused space);
* changed: it opens but a report reads back different.  SQLite keeps no checksums of the
  data itself, so a few bytes overwritten inside a stored text can only be found by comparing
  with a backup; this count is reported, not hidden.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
from collections import Counter
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KINDS = (
    "truncated",
    "random-bytes-block",
    "whole-file-random",
    "not-a-database",
    "newer-version",
    "zeroed-page",
)


def make_source(path: Path) -> list[object]:
    from model import ops
    from model.db import open_database

    with open_database(path) as db:
        for year in range(2000, 2040):
            created = ops.create_report(db, "古城回族乡人民政府", year)
            ops.set_text(db, created.report_id, "overview", f"{year}年总体情况" * 200)
            ops.set_cell(
                db,
                created.report_id,
                "art20_1.rules.issued" if year >= 2021 else "art20_1.rules.made",
                year,
            )
        contents = _contents(db)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return contents


def _contents(db: object) -> list[object]:
    from model import ops

    return [ops.load_report(db, s.id) for s in ops.list_reports(db)]  # type: ignore[arg-type]


def damage(path: Path, kind: str, rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    if kind == "truncated":
        del data[rng.randrange(0, len(data)) :]
    elif kind == "random-bytes-block":
        start = rng.randrange(0, len(data))
        length = rng.choice((1, 16, 512, 4096, 65536))
        data[start : start + length] = os.urandom(min(length, len(data) - start))
    elif kind == "whole-file-random":
        data = bytearray(os.urandom(len(data)))
    elif kind == "not-a-database":
        data = bytearray(
            rng.choice([b"PK\x03\x04", b"%PDF-1.7\n", "单位,年度\n".encode()]) + os.urandom(5000)
        )
    elif kind == "zeroed-page":
        page = rng.randrange(0, len(data) // 4096)
        data[page * 4096 : (page + 1) * 4096] = bytes(4096)
    path.write_bytes(bytes(data))
    if kind == "newer-version":
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("UPDATE alembic_version SET version_num = 'zz99'")
            connection.commit()


def trial(source: Path, expected: list[object], kind: str, rng: random.Random, folder: Path) -> str:
    from model.db import BrokenDatabaseError, DatabaseError, open_database
    from model.dbfile import NewerDatabaseError

    path = folder / f"trial-{rng.randrange(10**9)}.sqlite3"
    shutil.copyfile(source, path)
    damage(path, kind, rng)
    opened = False
    try:
        with open_database(path) as db:
            opened = True
            same = _contents(db) == expected
    except (BrokenDatabaseError, NewerDatabaseError):
        return "refused at open" if not opened else "refused on reading"
    except DatabaseError as error:
        return f"refused (other: {str(error)[-40:]})"
    except Exception as error:  # the figure we are after: must stay 0
        return f"CRASH {type(error).__name__}"
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return "harmless" if same else "changed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    results: Counter[tuple[str, str]] = Counter()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "source.sqlite3"
        expected = make_source(source)
        for number in range(args.trials):
            kind = KINDS[number % len(KINDS)]
            results[(kind, trial(source, expected, kind, rng, folder))] += 1
    for (kind, outcome), count in sorted(results.items()):
        print(f"{kind}\t{outcome}\t{count}")
    crashes = sum(c for (_, o), c in results.items() if o.startswith("CRASH"))
    print(f"trials {args.trials}, crashes {crashes}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
