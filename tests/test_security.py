"""The program opens no network connection, listens on no port, never evaluates or unpickles
what it reads, and never uses text from a data file as a file path.

The network and file system are watched with an audit hook (PEP 578): every ``socket.connect``,
``socket.bind`` and ``open`` made by Python code in this process is seen, whoever makes it."""

from __future__ import annotations

import ast
import ipaddress
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "resources" / "examples"
MARKER = "越界PWNED"
_seen: list[tuple[str, tuple[Any, ...]]] = []
_watching = [False]


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _watching[0] and event in (
        "socket.connect",
        "socket.bind",
        "open",
        "os.rename",
        "os.remove",
        "os.mkdir",
        "shutil.copyfile",
    ):
        _seen.append((event, args))


sys.addaudithook(_hook)  # cannot be removed; it records only while a test watches


@pytest.fixture
def watched() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    _seen.clear()
    _watching[0] = True
    yield _seen
    _watching[0] = False


def _local(address: object) -> bool:
    if isinstance(address, str | bytes):  # a Unix socket: a file, not the network
        return True
    host = str(address[0]) if isinstance(address, tuple) else ""  # type: ignore[index]
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _network_problems(seen: list[tuple[str, tuple[Any, ...]]]) -> list[str]:
    problems = []
    for event, args in seen:
        if event == "socket.connect" and not _local(args[1]):
            problems.append(f"connects to {args[1]}")
        if event == "socket.bind" and isinstance(args[1], tuple):
            problems.append(f"listens on {args[1]}")
    return problems


def _paths(seen: list[tuple[str, tuple[Any, ...]]]) -> list[str]:
    return [
        str(arg)
        for event, args in seen
        if event != "socket.connect"
        for arg in args[:2]
        if isinstance(arg, str | bytes | Path)
    ]


def _hostile_file(tmp_path: Path) -> Path:
    doc = json.loads((DATA / "sample-2021-county-bureau.nianbao.json").read_text("utf-8"))
    doc["agency"] = f"../../{MARKER}/机关"
    doc["title"] = f"/tmp/{MARKER}.pdf"
    doc["texts"]["overview"] = f"C:\\Windows\\{MARKER}\\..\\x"
    path = tmp_path / "hostile.nianbao.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- a full session


@pytest.mark.gui
def test_a_full_window_session_stays_off_the_network_and_off_foreign_paths(
    qtbot, tmp_path: Path, monkeypatch, watched
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from export.renderers import renderer
    from gui.app import create_application, open_database, shut_down
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from gui.single_instance import InstanceGuard

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    create_application([])
    db_path = tmp_path / "session.sqlite3"
    guard = InstanceGuard(db_path)
    assert guard.acquire()
    window = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.show()
    assert open_database(window, db_path)
    window.import_file(DATA / "example-2019-township.nianbao.json")
    window.import_file(_hostile_file(tmp_path))
    session = window.session
    assert session is not None and MARKER in session.report.agency  # type: ignore[union-attr]
    model = window.pages["requests"].model  # type: ignore[attr-defined]
    model.setData(model.index_of("requests.new.natural"), "12")
    session.set_text("problems", "问题")
    out = tmp_path / "out"
    out.mkdir()
    exports = (
        (window.export_file, "a.nianbao.json"),
        (lambda: window.export_document(renderer("pdf")), "a.pdf"),
    )
    for export, name in exports:
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *a, n=name, **k: (str(out / n), "")
        )
        export()
    assert sorted(p.name for p in out.iterdir()) == ["a.nianbao.json", "a.pdf"]
    shut_down(window)
    guard.release()
    assert _network_problems(watched) == []
    assert [p for p in _paths(watched) if MARKER in p] == []
    assert any(str(out) in p for p in _paths(watched))  # the hook did see the files


def test_the_command_line_stays_off_the_network_and_off_foreign_paths(
    tmp_path: Path, watched
) -> None:
    db = str(tmp_path / "cli.sqlite3")
    hostile = str(_hostile_file(tmp_path))
    assert main.main(["import", "--db", db, hostile]) == 0
    agency = f"../../{MARKER}/机关"
    out = tmp_path / "x.pdf"
    assert (
        main.main(["export", "--db", db, "--agency", agency, "--year", "2022", "--pdf", str(out)])
        == 0
    )
    assert out.exists()
    assert _network_problems(watched) == []
    assert [p for p in _paths(watched) if MARKER in p] == []


def test_the_watch_sees_a_connection_and_a_listening_port(watched) -> None:  # type: ignore[no-untyped-def]
    """Guard the guard: the audit events do arrive (sent nowhere: the address is refused)."""
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
    with socket.socket() as client, pytest.raises(OSError):
        client.settimeout(0.01)
        client.connect(("192.0.2.1", 9))  # TEST-NET-1: documentation only, never routed
    problems = _network_problems(watched)
    assert any("listens on" in p for p in problems) and any("192.0.2.1" in p for p in problems)


# ---------------------------------------------------------------------------- the source


FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "input"}
FORBIDDEN_MODULES = {
    "pickle",
    "cPickle",
    "marshal",
    "shelve",
    "dill",
    "yaml",
    "socket",
    "ssl",
    "urllib",
    "http",
    "ftplib",
    "smtplib",
    "requests",
    "xmlrpc",
    "socketserver",
    "telnetlib",
}
FORBIDDEN_NAMES = {"QTcpSocket", "QTcpServer", "QUdpSocket", "QNetworkAccessManager", "QSslSocket"}


def _sources() -> list[Path]:
    files = [ROOT / "main.py", ROOT / "cli.py"]
    for package in ("model", "export", "gui"):
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def _offences(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FORBIDDEN_CALLS
        ):
            found.append(f"{node.lineno}: {node.func.id}()")
        if isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: import {a.name}"
                for a in node.names
                if a.name.split(".")[0] in FORBIDDEN_MODULES
            ]
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0] in FORBIDDEN_MODULES
        ):
            found.append(f"{node.lineno}: from {node.module}")
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in FORBIDDEN_NAMES:
                found.append(f"{node.lineno}: {name}")
        if (
            isinstance(node, ast.keyword)
            and node.arg == "shell"
            and not (isinstance(node.value, ast.Constant) and node.value.value is False)
        ):
            found.append(f"{node.lineno}: shell=")
    return found


def test_the_code_never_evaluates_unpickles_or_opens_the_network() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in _sources()
        if (found := _offences(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_source_check_catches_every_spelling() -> None:
    source = (
        "import pickle\nfrom marshal import loads\nimport urllib.request\n"
        "eval(text)\nexec(code)\nsubprocess.run(cmd, shell=True)\nQTcpServer()\n"
        "import json\nliteral_eval = 1\n"
    )
    assert len(_offences(source)) == 7
