"""The command line against a hostile or careless user (issue 12): each attack of the
reliability test, run as the clerk would run it — a separate process — and judged by what the
clerk sees: the exit status, a Chinese message without a traceback or English fragment, and the
database (and any file that was there) left exactly as it was."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import zipfile
from contextlib import closing
from pathlib import Path

import docx
import pytest

import main
from model import ops
from model.datafile import read_datafile
from model.db import open_database

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"
AGENCY = "古城回族乡人民政府"
ENGLISH = ("Traceback", "Error", "error:", "No such file", "Is a directory", "disk I/O", "table")


def cli(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` as a clerk runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def refused(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """The message of a run that must be refused: exit 2, Chinese, every word in it."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    message = done.stderr
    assert message.startswith("错误："), message
    words_only = re.sub("“[^”]*”", "", message)  # the paths quoted in it may be anything
    for english in ENGLISH:
        assert english not in words_only, message
    for word in words:
        assert word in message, message
    return message


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def variant(folder: Path, name: str, **changes: object) -> Path:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc.update(changes)
    path = folder / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "base.sqlite3"
    assert main.main(["--db", str(path), "import", str(EXAMPLE)]) == 0
    return path


def stored_agencies(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [a for (a,) in connection.execute("SELECT agency FROM report ORDER BY agency")]


# ---------------------------------------------------------------------------- D11 export targets


def test_export_onto_the_open_database_is_refused_and_the_database_kept(db: Path) -> None:
    before = dump(db)
    done = cli("--db", db, "export", "--agency", AGENCY, "--year", "2019", "--pdf", db)
    refused(done, "数据库文件", str(db))
    assert dump(db) == before
    assert cli("--db", db, "list").returncode == 0


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_export_onto_a_database_companion_is_refused(db: Path, suffix: str) -> None:
    """Whether SQLite has the file at the moment or not (it deletes its -wal on closing)."""
    companion = db.with_name(db.name + suffix)
    before = dump(db)
    done = cli("--db", db, "export", "--agency", AGENCY, "--year", "2019", "--json", companion)
    refused(done, "附属文件")
    assert not companion.exists() and dump(db) == before


def test_export_onto_a_folder_a_link_a_pipe_or_a_stranger_is_refused(
    db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "报告.pdf"
    folder.mkdir()
    letter = tmp_path / "信.pdf"
    letter.write_bytes(b"Dear colleague, ...")
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"%PDF-1.4 not a word file")
    link = tmp_path / "link.pdf"
    link.symlink_to(letter)
    targets = {folder: "文件夹", letter: "不是本程序导出的PDF文件", notes: "不是本程序导出的Word"}
    targets[link] = "链接"
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.pdf"
        os.mkfifo(pipe)
        targets[pipe] = "设备或管道"
    for target, why in targets.items():
        option = "--docx" if target.suffix == ".docx" else "--pdf"
        done = cli(
            "--db", db, "export", "--agency", AGENCY, "--year", "2019", option, target, timeout=30
        )
        refused(done, why)
    assert letter.read_bytes() == b"Dear colleague, ..."
    assert link.is_symlink() and folder.is_dir()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_an_earlier_export_is_replaced_with_normal_permissions(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "报告.pdf"
    args = ("--db", db, "export", "--agency", AGENCY, "--year", "2019", "--pdf", target)
    assert cli(*args).returncode == 0
    first = target.stat()
    assert cli(*args).returncode == 0  # our own PDF: replaced
    assert target.read_bytes().startswith(b"%PDF")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(first.st_mode) == 0o666 & ~umask  # not 0600 as mkstemp makes them


def test_a_killed_exports_temporary_file_is_removed_by_the_next_export(
    db: Path, tmp_path: Path
) -> None:
    stale = tmp_path / ".报告.pdf.qkorfg6k"  # as an export killed before its rename left it
    fresh = tmp_path / ".报告.pdf.abcdefgh.tmp"  # perhaps another export, still running
    stale.write_bytes(b"%PDF-1.4 half")
    fresh.write_bytes(b"%PDF-1.4 half")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    other = tmp_path / ".profile.abcdefgh"  # not ours: never touched
    other.write_text("x")
    os.utime(other, (an_hour_ago, an_hour_ago))
    args = ("export", "--agency", AGENCY, "--year", "2019", "--pdf", tmp_path / "报告.pdf")
    assert cli("--db", db, *args).returncode == 0
    assert not stale.exists() and fresh.exists() and other.exists()


# ---------------------------------------------------------------------------- D4 damage on reading


ONE_CELL = "WHERE rowid = (SELECT min(rowid) FROM cell)"
ONE_TEXT = "WHERE rowid = (SELECT min(rowid) FROM report_text)"
DAMAGE = {
    "modified_at": "UPDATE report SET modified_at = 'nonsense'",
    "date": "UPDATE report SET signature_date = '2019-13-45'",
    "money": "UPDATE cell SET money = 'abc' WHERE money IS NOT NULL",
    "count": "UPDATE cell SET count = 'abc' WHERE count IS NOT NULL",
    "format": "UPDATE report SET format_id = '2099'",
    "undecodable": "UPDATE report_text SET text = CAST(x'e4b8ff41' AS TEXT)",
    "blob text": "UPDATE report_text SET text = x'e4b8ad'",
    "blob agency": "UPDATE report SET agency = x'e4b8ad'",
    "negative count": "UPDATE cell SET count = -5 WHERE count IS NOT NULL",
    "huge count": "UPDATE cell SET count = 9223372036854775807 WHERE count IS NOT NULL",
    "unknown cell": f"UPDATE cell SET key = 'no.such.cell' {ONE_CELL}",
    "unknown text": f"UPDATE report_text SET key = 'appendix' {ONE_TEXT}",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damage_found_on_reading_exits_2_with_a_message(
    db: Path, tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` runs as a process (its exit status 1 would mean "errors found"); ``list``
    and ``export`` run in this one, where a traceback would fail the test just the same."""
    with closing(sqlite3.connect(db)) as connection:
        connection.execute(damage)
        connection.commit()
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(db)
    runs: list[tuple[str | Path, ...]] = [("list",)]  # what list reads: the report's own row
    if "modified_at" not in damage:  # what only list reads
        runs += [
            ("check", "--agency", AGENCY, "--year", "2019"),
            ("export", "--agency", AGENCY, "--year", "2019", "--json", tmp_path / "x.json"),
            ("export", "--agency", AGENCY, "--year", "2019", "--docx", tmp_path / "x.docx"),
        ]
    for args in runs:
        if args[0] == "check":
            done = cli("--db", db, *args)
        else:
            code = main.main(["--db", str(db), *map(str, args)])
            out, err = capsys.readouterr()
            done = subprocess.CompletedProcess(args, code, out, err)
        if args[0] == "list" and not any(c in damage for c in ("agency", "modified", "format")):
            assert done.returncode == 0, done.stderr
            continue
        if args[0] != "list" and "agency" in damage:  # not found by its name: also exit 2
            refused(done, AGENCY)
            continue
        refused(done, "损坏", "文件未作改动")
    assert digest(db) == before
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "x.docx").exists()


def test_a_missing_table_is_reported_in_chinese(db: Path) -> None:
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("DROP TABLE report_unit")
        connection.commit()
    refused(cli("--db", db, "check", "--agency", AGENCY, "--year", "2019"), "缺少必需的表")


# ---------------------------------------------------------------------------- D3, D12 names


@pytest.mark.parametrize(
    ("agency", "shown"),
    [
        ("古城回族乡\u200d人民政府", "U+200D"),
        ("\u200b\ufeff", "U+200B"),
        ("\u0001", "U+0001"),
        ("古城\u0001\u0007\u001b[31m乡", "U+0001"),
        ("古城\n乡", "换行"),
        ("古城\u202e乡", "U+202E"),
        ("古城\u0085乡", "U+0085"),
    ],
    ids=["zwj", "zwsp-bom", "soh", "escape", "newline", "rlo", "c1"],
)
def test_a_name_with_invisible_or_control_characters_is_refused(
    db: Path, tmp_path: Path, agency: str, shown: str
) -> None:
    path = variant(tmp_path, "bad.nianbao.json", agency=agency)
    before = dump(db)
    refused(cli("--db", db, "import", path), "机关名称", shown, str(path))
    assert dump(db) == before


def test_a_decomposed_name_is_the_same_report(db: Path, tmp_path: Path) -> None:
    decomposed = "古城回族乡人民政府".replace("乡", "乡") + "e\u0301"  # é as e + accent
    path = variant(tmp_path, "nfd.nianbao.json", agency=decomposed)
    assert cli("--db", db, "import", path).returncode == 0
    composed = "古城回族乡人民政府é"
    assert composed in stored_agencies(db)
    again = variant(tmp_path, "nfc.nianbao.json", agency=composed)
    refused(cli("--db", db, "import", again), "已有")


def test_titles_up_to_the_schema_limit_and_control_characters_export_to_word(
    db: Path, tmp_path: Path
) -> None:
    from model.schema import MAX_TITLE

    title = ("题" * (MAX_TITLE - 10)) + "\n第二行"
    path = variant(tmp_path, "long.nianbao.json", title=title)
    out = tmp_path / "long.docx"
    done = cli("export", "--file", path, "--docx", out)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as package:
        core = package.read("docProps/core.xml").decode("utf-8")

    assert "题" * 250 in core and "题" * 260 not in core  # capped at Word's 255
    title_paragraph = docx.Document(out).paragraphs[0].text
    assert title_paragraph.replace("\n", "") == title.replace("\n", "")  # kept whole
    bad = variant(tmp_path, "ctl.nianbao.json", title="标题\u0001")
    refused(cli("export", "--file", bad, "--docx", tmp_path / "ctl.docx"), "标题", "U+0001")


def test_list_never_sends_a_stored_escape_code_to_the_terminal(db: Path) -> None:
    with closing(sqlite3.connect(db)) as connection:  # as an older version could store it
        connection.execute("UPDATE report SET agency = '古城\x1b[31m乡' || char(10) || 'x'")
        connection.commit()
    done = cli("--db", db, "list")
    assert done.returncode == 0
    assert "\x1b" not in done.stdout and len(done.stdout.splitlines()) == 1
    assert "古城<U+001B>[31m乡<U+000A>x" in done.stdout


# ---------------------------------------------------------------------------- D8, D9, D10, D18


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_as_data_file_or_database_is_refused_at_once(db: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "f.json"
    os.mkfifo(pipe)
    for args in (
        ("check", pipe),
        ("--db", db, "import", pipe),
        ("export", "--file", pipe, "--json", tmp_path / "o.json"),
        ("--db", pipe, "list"),
    ):
        start = time.perf_counter()
        refused(cli(*args, timeout=20), "管道")
        assert time.perf_counter() - start < 15


def test_a_folder_or_device_as_data_file_or_database(db: Path, tmp_path: Path) -> None:
    refused(cli("check", tmp_path), "文件夹")
    refused(cli("--db", tmp_path, "list"), "文件夹")
    if Path("/dev/zero").exists():
        refused(cli("check", "/dev/zero", timeout=20), "设备")
    refused(cli("check", tmp_path / "missing.json"), "不存在")


def test_a_database_whose_folder_cannot_be_made(db: Path) -> None:
    refused(cli("--db", db / "sub" / "x.sqlite3", "list"), "是一个文件，不是文件夹")
    refused(cli("--db", db / "x.sqlite3", "import", EXAMPLE), "不是文件夹")


def test_utf32_is_called_utf32(tmp_path: Path) -> None:
    path = tmp_path / "u32.nianbao.json"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-32"))
    refused(cli("check", path), "UTF-32")


@pytest.fixture
def read_only_copy(db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The database in a folder mounted read-only (as on a CD or a locked USB stick)."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("needs root on Linux to mount a read-only folder")
    mounted = tmp_path / "ro"
    mounted.mkdir()
    source = db.parent
    if subprocess.run(["mount", "--bind", str(source), str(mounted)], check=False).returncode:
        pytest.skip("cannot bind-mount here")
    try:
        remount = ["mount", "-o", "remount,ro,bind", str(mounted)]
        if subprocess.run(remount, check=False).returncode:
            pytest.skip("cannot remount read-only here")
        yield mounted / db.name
    finally:
        subprocess.run(["umount", str(mounted)], check=False)


def test_a_database_on_read_only_media_is_read_and_not_written(
    read_only_copy: Path, tmp_path: Path
) -> None:
    path = read_only_copy
    done = cli("--db", path, "list")
    assert done.returncode == 0, done.stderr
    assert AGENCY in done.stdout
    assert cli("--db", path, "check", "--agency", AGENCY, "--year", "2019").returncode == 0
    out = tmp_path / "out.nianbao.json"
    assert (
        cli("--db", path, "export", "--agency", AGENCY, "--year", "2019", "--json", out).returncode
        == 0
    )
    assert read_datafile(out.read_bytes()).agency == AGENCY
    other = variant(tmp_path, "other.nianbao.json", agency="新乡")
    refused(cli("--db", path, "import", other), "只读", "只能查看和导出")


# ---------------------------------------------------------------------------- D14 several files


def test_a_multi_file_import_is_all_or_nothing_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    good = variant(tmp_path, "n.nianbao.json", agency="新乡")
    blank = variant(tmp_path, "w.nianbao.json", agency=" ")
    refused(cli("--db", path, "import", good, blank), str(blank), "不能为空")
    assert not path.exists() or stored_agencies(path) == []
    other = variant(tmp_path, "o.nianbao.json", agency="旧乡")
    assert cli("--db", path, "import", other).returncode == 0
    clash = variant(tmp_path, "c.nianbao.json", agency="旧乡")
    refused(cli("--db", path, "import", good, clash), str(clash), "--replace", "没有导入任何文件")
    assert stored_agencies(path) == ["旧乡"]


def test_a_file_given_twice_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    good = variant(tmp_path, "n.nianbao.json", agency="新乡")
    refused(cli("--db", path, "import", good, good), "给出了两次", str(good))
    same = variant(tmp_path, "m.nianbao.json", agency="新乡")
    refused(cli("--db", path, "import", good, same), "都是", str(same))
    assert not path.exists() or stored_agencies(path) == []


def test_a_write_failing_half_way_leaves_nothing(tmp_path: Path) -> None:
    """The second of two files is refused by the store itself (not by the checks made before
    writing): the first, already written in the same transaction, is rolled back too."""
    path = tmp_path / "x.sqlite3"
    with open_database(path) as database:
        report = read_datafile(EXAMPLE.read_bytes())
        with pytest.raises(ops.OperationError), database.batch():
            ops.save_report(database, report, replace=False)
            ops.save_report(database, report, replace=False)  # the same one: refused
        assert ops.list_reports(database) == []


# ---------------------------------------------------------------------------- D7 writers wait


def test_twenty_parallel_imports_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    files = [variant(tmp_path, f"p{i}.nianbao.json", agency=f"第{i}乡") for i in range(20)]
    command = [sys.executable, str(ROOT / "main.py"), "--db", str(path), "import"]
    start = time.perf_counter()
    runs = [
        subprocess.Popen([*command, str(f)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for f in files
    ]
    results = []
    for run in runs:
        _, err = run.communicate(timeout=120)
        results.append((run.returncode, err.decode("utf-8")))
    took = time.perf_counter() - start
    assert [code for code, _ in results] == [0] * 20, results
    assert sorted(stored_agencies(path)) == sorted(f"第{i}乡" for i in range(20))
    print(f"20 parallel imports: all succeeded in {took:.1f} s")


def test_four_writers_behind_a_barrier_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "race.sqlite3"
    open_database(path).close()
    barrier = threading.Barrier(4)
    failures: list[BaseException] = []
    base = read_datafile(EXAMPLE.read_bytes())

    def write(number: int) -> None:
        import dataclasses

        with open_database(path) as database:
            report = dataclasses.replace(base, agency=f"第{number}乡")
            barrier.wait()
            try:
                for _ in range(5):
                    ops.save_report(database, report, replace=True)
            except BaseException as error:  # collected for the assertion
                failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert stored_agencies(path) == sorted(f"第{n}乡" for n in range(4))


# ---------------------------------------------------------------------------- D19 huge key counts


def test_a_file_of_two_million_keys_is_refused_quickly_and_cheaply(tmp_path: Path) -> None:
    path = tmp_path / "keys.nianbao.json"
    with path.open("w", encoding="utf-8") as file:
        file.write('{"schema": "nianbao/1", "format": "2019", "agency": "x", "year": 2019,')
        file.write('"cells": {')
        file.write(",".join(f'"{_base36(i)}":1' for i in range(1_900_000)))
        file.write("}}")
    assert 15_000_000 < path.stat().st_size < 20 * 2**20  # under the size limit
    probe = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        "done = subprocess.run(sys.argv[1:], capture_output=True);"
        "took = time.perf_counter() - t;"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
        "print(done.returncode, f'{took:.2f}', rss // 1024, done.stderr.decode())"
    )
    if sys.platform == "win32":
        pytest.skip("resource is a POSIX module")
    done = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, str(ROOT / "main.py"), "check", str(path)],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    code, took, megabytes, message = done.stdout.split(" ", 3)
    assert code == "2" and "字段" in message and "Traceback" not in message
    print(f"1.9 M keys: refused in {took} s, peak {megabytes} MB")
    assert float(took) < 5 and int(megabytes) < 250


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text


# ---------------------------------------------------------------------------- D17 backups' litter


def test_litter_of_failed_backups_is_pruned(db: Path) -> None:
    from model import backups

    folder = db.parent / "backups"
    folder.mkdir(exist_ok=True)
    stem = f"{db.stem}-auto-20260101-000000.sqlite3.partial"
    litter = [folder / (stem + suffix) for suffix in ("", "-journal", "-wal", "-shm")]
    for path in litter:
        path.write_bytes(b"half")
    keep = folder / "notes.txt"
    keep.write_text("mine")
    backups.backup_if_changed(db)
    assert not any(path.exists() for path in litter)
    assert keep.exists() and len(backups.list_backups(db)) == 1
