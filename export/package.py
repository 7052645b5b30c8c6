"""The submission package (报送材料): every file the county office asks for, in one new folder.

    write_package(report, parent, findings, previous_known) -> the folder made

The folder ``<单位>_<年度>年政府信息公开工作年度报告_报送材料`` holds the report rendered by every
renderer of :data:`export.renderers.RENDERERS` (the PDF to print and seal, the Word file, the web
page…), the data file and the review sheet (自查表), all named ``<单位>_<年度>年政府信息公开工作
年度报告`` with their own endings.  Each carries the report's version code (:mod:`model.version`)
in its metadata, and the review sheet prints it, so the county office can tell that the files and
the signed paper are one report.

Nothing existing is touched: the folder is always new (“ (2)” is added when the name is taken).
Everything is rendered first, then written into a hidden temporary folder beside the target,
and that folder is renamed into place in one step: a failure half-way (a renderer raising, a
full disk) leaves no folder and no file under a final name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from export.renderers import RENDERERS, Renderer
from model.checks import Finding
from model.errors import os_reason
from model.files import FileWriteError, remove_stale, safe_file_name, umask
from model.report import Report

#: What the folder's name adds to the files' common name.
FOLDER_SUFFIX = "_报送材料"
SHEET_SUFFIX = "_自查表.pdf"
DATA_SUFFIX = ".nianbao.json"
#: The unit's name is cut to this many characters in file names (a path on Windows should
#: stay well under 260 characters).
AGENCY_LIMIT = 60
_TEMPORARY = re.compile(r"\A\..+_报送材料\.[a-z0-9_]{8}\.tmp\Z")


@dataclass(frozen=True)
class Contents:
    """A package rendered and not yet written."""

    folder: str  # the folder's name
    files: tuple[tuple[str, bytes], ...]  # each file's name and bytes, in the order written
    #: What the clerk should know before printing or publishing (characters no font has).
    warnings: tuple[str, ...] = ()


def base_name(report: Report) -> str:
    """The files' common name: ``某某镇人民政府_2023年政府信息公开工作年度报告``; the unit's name
    is made safe for a file name (never a path) and cut to :data:`AGENCY_LIMIT` characters."""
    return f"{safe_file_name(report.agency, AGENCY_LIMIT)}_{report.year}年政府信息公开工作年度报告"


def render_package(
    report: Report,
    findings: Sequence[Finding],
    previous_known: bool = True,
    renderers: Sequence[Renderer] = RENDERERS,
) -> Contents:
    """Every file of ``report``'s package, in memory: the documents in the renderers' order,
    the data file, the review sheet.  ``findings`` and ``previous_known`` are the review
    sheet's, as for :func:`export.review_sheet.render_review_sheet`."""
    from export.review_sheet import render_review_sheet
    from model.datafile import write_datafile

    base = base_name(report)
    files: list[tuple[str, bytes]] = []
    warnings: list[str] = []
    for renderer in renderers:
        rendered = renderer.render(report)
        files.append((base + renderer.suffix, rendered.data))
        warnings += (w for w in rendered.warnings if w not in warnings)
    files.append((base + DATA_SUFFIX, write_datafile(report, version=True).encode("utf-8")))
    sheet = render_review_sheet(report, findings, previous_known)
    files.append((base + SHEET_SUFFIX, sheet.data))
    warnings += (w for w in sheet.warnings if w not in warnings)
    names = [name for name, _ in files]
    if len(set(names)) != len(names):  # two renderers with one ending: a bug, not the clerk's
        raise ValueError(f"two files of the package have one name: {names}")
    return Contents(base + FOLDER_SUFFIX, tuple(files), tuple(warnings))


def write_package(
    report: Report,
    parent: Path,
    findings: Sequence[Finding],
    previous_known: bool = True,
    renderers: Sequence[Renderer] = RENDERERS,
) -> Path:
    """Render ``report``'s package and write it as a new folder under ``parent``; the folder."""
    check_parent(parent)
    return write_contents(render_package(report, findings, previous_known, renderers), parent)


def check_parent(parent: Path) -> None:
    """Refuse (:class:`FileWriteError`) a ``parent`` that is not an existing folder."""
    try:
        info = os.stat(parent)
    except OSError as error:
        raise FileWriteError(f"无法在“{parent}”中生成报送材料：{os_reason(error)}") from error
    if not stat.S_ISDIR(info.st_mode):
        raise FileWriteError(f"无法在“{parent}”中生成报送材料：它不是一个文件夹。")


def write_contents(contents: Contents, parent: Path) -> Path:
    """Write ``contents`` as a new folder under ``parent`` in one step; the folder made."""
    parent = Path(parent)
    check_parent(parent)
    remove_stale_packages(parent)
    try:
        temporary = Path(tempfile.mkdtemp(prefix=f".{contents.folder}.", suffix=".tmp", dir=parent))
    except OSError as error:
        raise FileWriteError(f"无法在“{parent}”中生成报送材料：{os_reason(error)}") from error
    try:
        os.chmod(temporary, 0o777 & ~umask())  # mkdtemp makes it its owner's alone
        for name, data in contents.files:
            _write_new(temporary / name, data)
        _sync(temporary)
        return _move_into_place(temporary, parent, contents.folder)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _write_new(path: Path, data: bytes) -> None:
    try:
        with path.open("xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        raise FileWriteError(
            f"无法写入“{path.name}”：{os_reason(error)}。报送材料没有生成，原有文件都未改动。"
        ) from error


def _sync(folder: Path) -> None:
    """Flush the folder's entries to disk where the system allows (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _move_into_place(temporary: Path, parent: Path, name: str) -> Path:
    """Rename ``temporary`` to the first free ``name``, ``name (2)``, … under ``parent``.

    A name is taken when anything has it; a rename that finds the name taken after all
    (another program made it in between) tries the next name, never replacing it."""
    number = 1
    while True:
        target = parent / (name if number == 1 else f"{name} ({number})")
        number += 1
        if os.path.lexists(target):
            continue
        try:
            os.rename(temporary, target)
        except (FileExistsError, IsADirectoryError, NotADirectoryError):
            continue
        except OSError as error:
            if error.errno == errno.ENOTEMPTY:  # a folder of that name made in between
                continue
            raise FileWriteError(f"无法在“{parent}”中生成报送材料：{os_reason(error)}") from error
        return target


def remove_stale_packages(parent: Path, now: float | None = None) -> list[Path]:
    """Delete the temporary folders of packages killed before they finished (older than
    :data:`model.files.STALE_SECONDS`); the folders deleted.  Never fails: this is tidying."""
    return remove_stale(
        parent, lambda name, mode: stat.S_ISDIR(mode) and bool(_TEMPORARY.match(name)), now
    )
