"""The command line: one command run without the window, for scripts and the county office.

    python main.py import FILE... [--replace]
    python main.py import-published FILE... [--out PATH|DIR] [--replace]   (a published page,
        Word file, PDF or copied text read back: exit 1 when cells wait for a decision)
    python main.py export --agency NAME --year Y [--json OUT] [--pdf OUT.pdf] [--docx OUT.docx]
    python main.py export --file X.nianbao.json --pdf OUT.pdf --docx OUT.docx
    python main.py export --agency NAME --year Y --review-sheet OUT.pdf
    python main.py export --file X.nianbao.json --pdf-a3 OUT.pdf   (A3 for the notice board)
    python main.py export --file X.nianbao.json --package DIR   (a new folder in DIR: every
        document, the data file and the review sheet, each with the version code)
    python main.py check FILE | check --agency NAME --year Y [--json]
    python main.py list
    python main.py review --year Y [--json]   (the county desk: every unit's status and
        findings; exit 1 when a unit's report has errors)
    python main.py aggregate --year Y --name NAME [--agency A ...] [--json OUT] [--pdf OUT] ...
        (the county's 汇总: the sums of the year's reports, with the units covered and missing)
    python main.py --selftest [RESULT]

Exit status: 0 done (check, review: no error), 1 check or review found errors, 2 bad input.

main.py hands every argument list here; :func:`run` either runs a command and gives its exit
status, or, when no command is given, says with which arguments to open the window (start-up
stays main.py's).  Every expected failure is a :class:`~model.errors.UserError` whose text is
the clerk's message, printed in one place with exit status 2; anything else is a bug and keeps
its traceback.  The export options come from :data:`export.renderers.RENDERERS`, read when
the arguments are, so a new kind of document needs no change here.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import model
from export import renderers
from model.errors import UserError, os_reason
from model.names import visible

if TYPE_CHECKING:
    from export.document import Appendix
    from model.aggregate import Coverage
    from model.checks import Finding
    from model.db import Database
    from model.files import FileKind
    from model.report import Report

    _Commands = argparse._SubParsersAction[argparse.ArgumentParser]  # private to argparse

EXIT_OK, EXIT_ERRORS, EXIT_BAD_INPUT = 0, 1, 2

# argparse's own words, in Chinese (it looks them up through gettext at call time).
_ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出 %s 之一",
}
_BOTH_SOURCES = "请只给出一个数据文件，或者 --agency 和 --year，不要同时给出"


class CommandError(UserError):
    """Bad input to a command; the message is printed and the exit status is 2."""


@dataclass(frozen=True)
class OpenWindow:
    """No command was given: open the window, with these."""

    db: Path | None
    crash_dialog: bool
    open_file: Path | None


def run(argv: Sequence[str] | None = None) -> int | OpenWindow:
    """Run the command in ``argv`` (the process's arguments when None) and give its exit
    status; without a command, what the window is to open."""
    args = _parser().parse_args(argv)
    if args.selftest is not None:
        from gui.selftest import run_selftest

        return run_selftest(None if args.selftest == "-" else Path(args.selftest))
    if args.command is None:
        return OpenWindow(args.db, not args.no_crash_dialog, args.open)
    try:
        status: int = args.run(args)
    except UserError as error:  # the input's or the disk's fault, worded for the clerk
        return _bad_input(str(error))
    except OSError as error:  # the operating system's refusal the command did not word itself
        where = f"“{error.filename}”：" if error.filename else ""
        return _bad_input(f"{where}{os_reason(error)}")
    return status


def _bad_input(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return EXIT_BAD_INPUT


# ---------------------------------------------------------------------------- commands


def _import(args: argparse.Namespace) -> int:
    """All or nothing: every file is read and checked first, then all are written in one
    transaction; a refusal names its file and nothing is imported."""
    from model import ops
    from model.dblock import no_window

    files: list[Path] = args.files
    _no_file_twice(files)
    reports = [_read_file(path, "不能导入") for path in files]
    _no_report_twice(files, reports)
    none = "没有导入任何文件。" if len(files) > 1 else ""
    with _database(args.db) as db, _refusals(), no_window(db.path):  # not under a window
        for path, report in zip(files, reports, strict=True):
            existing = ops.find_report(db, report.agency, report.year)
            if existing is not None and not args.replace:
                raise CommandError(
                    f"文件“{path}”：数据库中已有“{visible(report.agency)}”{report.year}年的报告；"
                    f"如要用文件中的内容替换它，请加 --replace。{none}"
                )
        with db.batch():
            for path, report in zip(files, reports, strict=True):
                with _refusals(f"文件“{path}”不能导入：", f"\n{none}" if none else ""):
                    ops.save_report(db, report, replace=args.replace)
        for path, report in zip(files, reports, strict=True):
            findings = _findings(db, report)
            errors = sum(f.is_error for f in findings)
            print(
                f"已导入：{visible(report.agency)} {report.year}年（{report.format_id}格式），"
                f"来自 {path}；检查：{errors}个错误，{len(findings) - errors}个提示"
            )
    return EXIT_OK


def _import_published(args: argparse.Namespace) -> int:
    """Each file read and reported on its own: one that cannot be read does not stop the
    others.  The exit status is the worst of them."""
    files: list[Path] = args.files
    _no_file_twice(files)
    out: Path | None = args.out
    into_folder = out is not None and (len(files) > 1 or out.is_dir() or not out.suffix)
    written: set[Path] = set()  # two inputs of one name (page.txt) never share a data file
    status = EXIT_OK
    for path in files:
        try:
            status = max(status, _import_one_published(args, path, out, into_folder, written))
        except UserError as error:
            print(f"{path}：{error}", file=sys.stderr)
            status = EXIT_BAD_INPUT
    return status


def _import_one_published(
    args: argparse.Namespace, path: Path, out: Path | None, into_folder: bool, written: set[Path]
) -> int:
    from model.checks import check
    from model.datafile import write_datafile
    from model.files import DATA_FILE, free_name, safe_file_name, write_atomically
    from published.pipeline import read_published

    try:
        imported = read_published(path)
    except OSError as error:
        from model.datafile import read_error

        raise CommandError(read_error(path, error)) from error
    report = imported.report
    if args.agency:
        report.agency = args.agency
    if args.year:
        report.year = args.year
    missing = [what for what, ok in (("单位名称", report.agency), ("年度", report.year)) if not ok]
    if missing:
        raise CommandError(
            f"没有找到报告的{'和'.join(missing)}，请用 "
            + " 和 ".join("--agency" if m == "单位名称" else "--year" for m in missing)
            + " 给出"
        )
    print(
        f"{path}：{imported.source_kind}，{report.format_id}年格式，"
        f"{visible(report.agency)} {report.year}年；读取{len(imported.cells)}个单元格，"
        f"{imported.needing_review}个待确认"
    )
    for item in imported.unread:
        print(f"  待确认：{item.reason}（{item.origin.where}）")
    for note in imported.notes:
        print(f"  说明：{note}")
    if out is not None:
        target = out / f"{safe_file_name(path.stem)}.nianbao.json" if into_folder else out
        if into_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target in written:
                target = free_name(target)
        write_atomically(target, write_datafile(report).encode("utf-8"), DATA_FILE)
        written.add(target)
        findings = check(report)
        where = f"已写入 {target}"
    else:
        from model import ops
        from model.dblock import no_window

        with _database(args.db) as db, _refusals(f"文件“{path}”不能导入："), no_window(db.path):
            existing = ops.find_report(db, report.agency, report.year)
            if existing is not None and not args.replace:
                raise CommandError(
                    f"数据库中已有“{visible(report.agency)}”{report.year}年的报告；"
                    "如要替换它，请加 --replace"
                )
            ops.save_report(db, report, replace=args.replace)
            findings = _findings(db, report)
        where = "已导入数据库"
    for finding in findings:
        print(f"  {finding.severity.label}：{finding.message}")
    errors = sum(f.is_error for f in findings)
    print(f"  {where}；检查：{errors}个错误，{len(findings) - errors}个提示")
    return EXIT_ERRORS if imported.unread else EXIT_OK


def _no_file_twice(files: list[Path]) -> None:
    seen: list[Path] = []
    for path in files:
        for earlier in seen:
            if path == earlier or _same_file(path, earlier):
                raise CommandError(
                    f"文件“{path}”给出了两次，请每个文件只给一次。没有导入任何文件。"
                )
        seen.append(path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _no_report_twice(files: list[Path], reports: list[Report]) -> None:
    seen: dict[tuple[str, int], Path] = {}
    for path, report in zip(files, reports, strict=True):
        key = (report.agency, report.year)
        if key in seen:
            raise CommandError(
                f"文件“{seen[key]}”和“{path}”都是“{visible(report.agency)}”{report.year}年的报告，"
                "请只导入其中一个。没有导入任何文件。"
            )
        seen[key] = path


@dataclass(frozen=True)
class _Output:
    """One file an export writes: where, how such files start, and how to make its bytes."""

    path: Path
    kind: FileKind  # an export replaces only an earlier one of its kind (model.files)
    make: Callable[[Report], bytes]


def _export(args: argparse.Namespace) -> int:
    from model.files import write_atomically

    outputs = _outputs(args)
    if not outputs and args.package is None:
        raise CommandError(_no_output_message())
    if args.file is not None:
        if args.agency is not None or args.year is not None:
            raise CommandError(_BOTH_SOURCES)
        report = _read_file(args.file)
    else:
        if args.agency is None or args.year is None:
            raise CommandError("请给出要导出的数据文件（--file），或者 --agency 和 --year")
        with _database(args.db) as db:
            report = _stored_report(db, args.agency, args.year)
    _check_targets(outputs)
    if args.package is not None:
        from export.package import check_parent

        check_parent(args.package)  # before anything is rendered
    made = [(output, output.make(report)) for output in outputs]
    for output, data in made:
        path = output.path
        write_atomically(path, data, output.kind)
        print(f"已导出：{visible(report.agency)} {report.year}年 → {path}")
    if args.package is not None:
        _package(args.db, report, args.package)
    return EXIT_OK


def _package(db: Path | None, report: Report, parent: Path) -> None:
    """报送材料: every document, the data file and the review sheet in a new folder."""
    from export.package import render_package, write_contents

    findings, previous_known = _findings_and_previous(db, report)
    contents = render_package(report, findings, previous_known)
    for warning in contents.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    folder = write_contents(contents, parent)
    print(f"已生成报送材料：{visible(report.agency)} {report.year}年 → {folder}")
    for name, _ in contents.files:
        print(f"  {name}")


def _outputs(args: argparse.Namespace) -> list[_Output]:
    """What ``export`` was asked to write: the data file first, then each document in the
    registry's order."""
    from model.files import DATA_FILE

    outputs = [_Output(args.json, DATA_FILE, _data_file)] if args.json is not None else []
    for kind in renderers.RENDERERS:
        path: Path | None = getattr(args, _dest(kind))
        if path is not None:
            outputs.append(_Output(path, kind.file_kind, _document(kind)))
    pdf = renderers.renderer("pdf").file_kind  # these may replace only an earlier PDF
    if args.pdf_a3 is not None:
        outputs.append(_Output(args.pdf_a3, pdf, _notice_board))
    if args.review_sheet is not None:
        outputs.append(_Output(args.review_sheet, pdf, lambda r: _review_sheet(args.db, r)))
    return outputs


def _notice_board(report: Report) -> bytes:
    """The A3 notice-board layout (公告栏A3), with what to know before printing."""
    from export.pdf import render_notice_board

    rendered = render_notice_board(report)
    for warning in rendered.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return rendered.data


def _review_sheet(db: Path | None, report: Report) -> bytes:
    """The review sheet (自查表), checked against last year's report when the database has it."""
    from export.review_sheet import render_review_sheet

    findings, previous_known = _findings_and_previous(db, report)
    rendered = render_review_sheet(report, findings, previous_known)
    for warning in rendered.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return rendered.data


def _findings_and_previous(db_path: Path | None, report: Report) -> tuple[list[Finding], bool]:
    """The findings of ``report``, and whether last year's report was there to compare with."""
    from model import ops
    from model.checks import check
    from model.paths import default_db_path

    if not (db_path or default_db_path()).exists():  # a folder or pipe: refused by _database
        return check(report), False
    with _database(db_path) as db:
        return _findings(db, report), ops.previous_report(db, report) is not None


def _data_file(report: Report) -> bytes:
    from model.datafile import write_datafile

    return write_datafile(report).encode("utf-8")


def _document(
    kind: renderers.Renderer, appendix: Appendix | None = None
) -> Callable[[Report], bytes]:
    """Render with ``kind`` (and ``appendix`` after the report), telling the clerk what to
    know before printing (a character no font has)."""

    def make(report: Report) -> bytes:
        rendered = kind.render(report, appendix)
        for warning in rendered.warnings:
            print(f"提示：{warning}", file=sys.stderr)
        return rendered.data

    return make


def _no_output_message() -> str:
    documents = (f"--{kind.name} {kind.label}文件" for kind in renderers.RENDERERS)
    options = ["--json 数据文件", *documents, "--package 报送材料文件夹"]
    return f"请至少给出一种输出：{_listed(options, ' 或 ')}"


def _listed(items: list[str], last: str) -> str:
    """“甲、乙 或 丙”: the items in a sentence, ``last`` before the last one."""
    return f"{'、'.join(items[:-1])}{last}{items[-1]}" if len(items) > 1 else "".join(items)


def _check_targets(outputs: list[_Output]) -> None:
    """Every output checked before anything is rendered or written: none may replace anything
    but an earlier export of its kind (not the database, a folder, a link, a device)."""
    from model.files import check_export_target

    for i, output in enumerate(outputs):
        path = output.path
        if any(path == other.path or _same_file(path, other.path) for other in outputs[:i]):
            raise CommandError(f"两种输出都写到了“{path}”，请分别给出文件名")
        check_export_target(path, output.kind)


def _check(args: argparse.Namespace) -> int:
    if args.file is not None:
        if args.agency is not None or args.year is not None:
            raise CommandError(_BOTH_SOURCES)
        report = _read_file(args.file)
        findings = _findings_if_database(args.db, report)
    else:
        if args.agency is None or args.year is None:
            raise CommandError("请给出要检查的数据文件，或者 --agency 和 --year")
        with _database(args.db) as db:
            report = _stored_report(db, args.agency, args.year)
            findings = _findings(db, report)
    errors = sum(f.is_error for f in findings)
    if args.json:
        _print_utf8(_findings_json(report, findings))
        return EXIT_ERRORS if errors else EXIT_OK
    for finding in findings:
        part = report.format.part(finding.part).ordinal
        print(f"{finding.severity.label}\t{part}\t{finding.message}")
    print(
        f"{visible(report.agency)} {report.year}年：{errors}个错误，{len(findings) - errors}个提示"
    )
    return EXIT_ERRORS if errors else EXIT_OK


def _findings_json(report: Report, findings: list[Finding]) -> str:
    """The findings for scripts and the county desk (the keys are docs/FORMATS.md's)."""
    import json

    from model.checks import finding_dict

    document = {
        "agency": report.agency,
        "year": report.year,
        "format": report.format_id,
        "findings": [finding_dict(f) for f in findings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _print_utf8(text: str) -> None:
    """``text`` on standard output as UTF-8 whatever the console's code page (it is data)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _list(args: argparse.Namespace) -> int:
    from model import ops

    with _database(args.db) as db:
        summaries = ops.list_reports(db)
    if not summaries:
        print("数据库中还没有报告。")
    for s in summaries:
        changed = s.modified_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"{visible(s.agency)}\t{s.year}\t{s.format_id}格式\t修改于 {changed}")
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    """The county desk's review table: every unit of the register and every agency with a
    report of the year, its status, findings, last change and version code."""
    from county.desk import Desk, review_document
    from model.register import Status

    with _database(args.db) as db:
        desk = Desk(db, args.year)
        rows = [row for row in desk.rows() if row.expected]
        if args.json:
            import json

            document = review_document(desk)
            _print_utf8(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
            return EXIT_ERRORS if any(row.errors for row in rows) else EXIT_OK
    if not rows:
        print(f"数据库中没有登记的单位，也没有{args.year}年的报告。")
        return EXIT_OK
    print("\t".join(("单位", "类别", "状态", "错误", "提示", "最后修改", "版本码")))
    for row in rows:
        changed = row.modified_at.astimezone().strftime("%Y-%m-%d %H:%M") if row.modified_at else ""
        kind = row.kind.value if row.kind is not None else "未登记"
        cells = (visible(row.agency), kind, row.status.value, str(row.errors), str(row.warnings))
        print("\t".join((*cells, changed, row.version)))
    counts = collections.Counter(row.status for row in rows)
    statuses = "，".join(f"{status.value}{counts[status]}个" for status in Status if counts[status])
    faulty = sum(1 for row in rows if row.errors)
    print(f"{args.year}年：{len(rows)}个单位（{statuses}）；{faulty}个单位的报告有错误")
    return EXIT_ERRORS if faulty else EXIT_OK


def _aggregate(args: argparse.Namespace) -> int:
    """The county's 汇总: the sums of the year's reports (or of the named agencies'), with
    the county's stored texts or a drafted paragraph, written with the appendix that names
    the units covered and missing.  Everything is computed and rendered before anything is
    written; mixed formats are refused with the units named."""
    from county.desk import Desk, last_year
    from export.aggregate import appendix
    from model import register
    from model.aggregate import (
        MixedFormatsError,
        breakers,
        carry_over,
        draft_paragraph,
        region_of,
    )
    from model.checks import check
    from model.names import clean_name
    from model.register import Status
    from model.schema import MAX_AGENCY

    name = clean_name(args.name, "汇总的名称")
    if not name:
        raise CommandError("请给出汇总的名称（--name），如“某某县人民政府”")
    if len(name) > MAX_AGENCY:
        raise CommandError(f"汇总的名称过长（{len(name)}个字），最多{MAX_AGENCY}个字")
    if not (args.json or any(getattr(args, _dest(kind)) for kind in renderers.RENDERERS)):
        documents = (f"--{kind.name} {kind.label}文件" for kind in renderers.RENDERERS)
        raise CommandError(
            f"请至少给出一种输出：{_listed(['--json 数据文件', *documents], ' 或 ')}"
        )
    with _database(args.db) as db:
        desk = Desk(db, args.year)
        reports = desk.reports()
        stored_id = register.find_aggregate(db, name, args.year)
        stored = register.load_aggregate(db, stored_id) if stored_id is not None else None
        if args.agency:
            agencies = _named_agencies(args.agency, reports, args.year)
        else:
            left_out = stored.excluded if stored is not None else frozenset()
            agencies = [agency for agency in reports if agency not in left_out]
        if not agencies and reports:
            raise CommandError(
                f"“{visible(name)}”{args.year}年的汇总把全部{len(reports)}份报告都列为不纳入，"
                "没有可以相加的报告（可用 --agency 指定单位）"
            )
        if not agencies:
            raise CommandError(f"数据库中没有{args.year}年的报告，无法汇总")
        try:
            sums = desk.sums(agencies)
        except MixedFormatsError as mixed:  # the units in the other format named, nothing summed
            raise CommandError(
                f"{mixed}。没有汇总，也没有写出任何文件；可用 --agency 只汇总同一格式的单位"
            ) from mixed
        coverage = desk.coverage(agencies)
        unit_findings = desk.findings()
        doubtful = [
            row
            for row in desk.rows()
            if row.agency in sums.agencies and row.status in (Status.FAULTY, Status.RETURNED)
        ]
        last = last_year(db, name, args.year)
    if stored is not None:
        report = sums.report(
            name,
            title=stored.title,
            texts=dict(stored.texts),
            signature_agency=stored.signature_agency,
            signature_date=stored.signature_date,
        )
    else:
        report = sums.report(name, texts={"overview": draft_paragraph(sums, region_of(name))})
    summed = [report for report in reports.values() if report.agency in sums.agencies]
    outputs = _aggregate_outputs(args, coverage, appendix(coverage))
    _check_targets(outputs)
    made = [(output, output.make(report)) for output in outputs]
    errors = [finding for finding in check(report) if finding.is_error]
    _print_aggregate(report, sums.agencies, coverage, stored is not None)
    print(f"  汇总的检查：{len(errors)}个错误")
    for finding in errors:
        units = breakers(finding, summed, unit_findings)
        who = f"（由以下单位的报告造成：{'、'.join(map(visible, units))}）" if units else ""
        print(f"  错误：{finding.message}{who}")
    for row in doubtful:  # summed as they stand: the county should know what it adds up
        print(
            f"  注意：已汇总的“{visible(row.agency)}”的报告{row.status.value}（{row.errors}个错误）"
        )
    carried = carry_over(sums, last.sums, summed, last.reports, last.stored)
    if last.sums is None:
        print(f"  结转：{args.year - 1}年没有可以对比的报告")
    else:
        print(f"  结转：{carried.message() or '本年的上年结转数与上年的结转下年度数一致'}")
    from model.files import write_atomically

    for output, data in made:
        write_atomically(output.path, data, output.kind)
        print(f"已导出：{visible(name)} {args.year}年汇总 → {output.path}")
    return EXIT_OK


def _named_agencies(named: list[str], reports: dict[str, Report], year: int) -> list[str]:
    """The agencies ``--agency`` names, in the form stored, each once; one without a report
    of the year is refused by name."""
    from model.names import lookup

    agencies: list[str] = []
    unknown: list[str] = []
    for text in named:
        agency = lookup(text)
        if agency not in reports:
            unknown.append(f"“{visible(text)}”")
        elif agency not in agencies:
            agencies.append(agency)
    if unknown:
        raise CommandError(
            f"数据库中没有{'、'.join(unknown)}{year}年的报告，无法汇总（可用 review 命令查看各单位）"
        )
    return agencies


def _aggregate_outputs(
    args: argparse.Namespace, coverage: Coverage, appendix: Appendix
) -> list[_Output]:
    """The data file (with the units it covers) and each document with the appendix."""
    from model.files import DATA_FILE

    outputs: list[_Output] = []
    if args.json is not None:

        def data_file(report: Report) -> bytes:
            from model.datafile import write_datafile

            units = {
                "units": list(coverage.covered),
                "missing": list(coverage.missing),
                "other_format": list(coverage.other_format),
            }
            return write_datafile(report, aggregate=units).encode("utf-8")

        outputs.append(_Output(args.json, DATA_FILE, data_file))
    for kind in renderers.RENDERERS:
        path: Path | None = getattr(args, _dest(kind))
        if path is not None:
            outputs.append(_Output(path, kind.file_kind, _document(kind, appendix)))
    return outputs


def _print_aggregate(
    report: Report, agencies: Sequence[str], coverage: Coverage, stored: bool
) -> None:
    texts = "已保存的汇总文字" if stored else "第一部分为根据汇总数字起草的段落，请修改后再发布"
    print(
        f"{visible(report.agency)} {report.year}年汇总（{report.format_id}格式）："
        f"汇总{len(agencies)}个单位的报告；{texts}"
    )
    for heading, text in coverage.lines():
        print(f"  {heading}：{visible(text)}")


# ---------------------------------------------------------------------------- helpers


def _read_file(path: Path, refusal: str = "有误，无法使用") -> Report:
    """The data file at ``path``; ``refusal`` says, after its name, what its problems stop."""
    from model.datafile import DataFileError, read_datafile_path, read_error

    try:
        return read_datafile_path(path, source=str(path))
    except OSError as error:
        raise CommandError(read_error(path, error)) from error
    except DataFileError as error:
        raise CommandError(f"文件“{path}”{refusal}：\n" + "\n".join(error.problems)) from error


def _database(path: Path | None) -> Database:
    """The database at ``path`` (or the clerk's own); its refusals are the store's messages."""
    from model.db import open_database
    from model.paths import default_db_path

    try:
        return open_database(path or default_db_path())
    except UserError:  # already worded: the store's refusal, not the folder's
        raise
    except OSError as error:  # the default data folder cannot be made
        where = error.filename or "数据文件夹"
        raise CommandError(f"无法使用数据库所在的文件夹“{where}”：{os_reason(error)}") from error


@contextlib.contextmanager
def _refusals(prefix: str = "", suffix: str = "") -> Iterator[None]:
    """An expected refusal of the store (a clash, a locked or full disk) becomes bad input."""
    from model.db import StoreError

    try:
        yield
    except StoreError as error:
        raise CommandError(f"{prefix}{error}{suffix}") from error


def _stored_report(db: Database, agency: str, year: int) -> Report:
    from model import ops

    report_id = ops.find_report(db, agency, year)
    if report_id is None:
        raise CommandError(f"数据库中没有“{agency}”{year}年的报告（可用 list 命令查看已有报告）")
    return ops.load_report(db, report_id)


def _findings(db: Database, report: Report) -> list[Finding]:
    from model import ops
    from model.checks import check

    others = [
        ops.load_report(db, s.id)
        for s in ops.list_reports(db)
        if s.year == report.year and s.agency != report.agency
    ]
    return check(report, previous=ops.previous_report(db, report), others=others)


def _findings_if_database(path: Path | None, report: Report) -> list[Finding]:
    """Check a file, comparing with last year's report when a database is there to ask."""
    from model.checks import check
    from model.paths import default_db_path

    if not (path or default_db_path()).exists():  # a folder or pipe: refused by _database
        return check(report)
    with _database(path) as db:
        return _findings(db, report)


# ---------------------------------------------------------------------------- arguments


def _parser() -> argparse.ArgumentParser:
    argparse._ = _ARGPARSE_WORDS.get  # type: ignore[attr-defined]
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="政务公开年报：填写、检查、打印和报送政府信息公开工作年度报告。"
        "不带命令时打开窗口。",
        epilog="退出码：0 完成（check：没有错误）；1 check 发现错误；2 输入有误。",
    )
    documents = [kind.label for kind in renderers.RENDERERS]
    parser.add_argument("--db", type=Path, metavar="路径", help="使用指定的数据库文件")
    parser.add_argument("--version", action="version", version=f"政务公开年报 {model.__version__}")
    parser.add_argument(
        "--selftest",
        nargs="?",
        const="-",
        metavar="结果文件",
        help=f"自检：在后台打开窗口，导入示例并导出{_listed(documents, '和')}，"
        "通过时退出码为0（可把结果写入文件）",
    )
    parser.add_argument(
        "--open",
        type=Path,
        metavar="文件",
        help="打开窗口并导入这个数据文件（在资源管理器中双击 .nianbao.json 文件时使用）",
    )
    parser.add_argument(
        "--no-crash-dialog",
        action="store_true",
        help="程序出错时只写日志、不弹出对话框（用于自动测试）",
    )
    commands = parser.add_subparsers(dest="command", title="命令", metavar="命令")
    for add in (
        _import_arguments,
        _published_arguments,
        _export_arguments,
        _check_arguments,
        _list_arguments,
        _review_arguments,
        _aggregate_arguments,
    ):
        add(commands).add_argument(
            "--db",
            type=Path,
            metavar="路径",
            default=argparse.SUPPRESS,
            help="使用指定的数据库文件",
        )
    return parser


def _import_arguments(commands: _Commands) -> argparse.ArgumentParser:
    imp = commands.add_parser("import", help="导入数据文件（.nianbao.json）")
    imp.add_argument("files", nargs="+", type=Path, metavar="文件")
    imp.add_argument("--replace", action="store_true", help="替换数据库中同一单位同一年度的报告")
    imp.set_defaults(run=_import)
    return imp


def _published_arguments(commands: _Commands) -> argparse.ArgumentParser:
    pub = commands.add_parser(
        "import-published",
        help="读取已发布的年报（网页、Word、PDF或复制的网页文字），生成数据文件或导入数据库",
        description="读取已发布的年报。每个单元格都按原样读取；读不准的单元格留空并列出，"
        "不猜测。退出码：0 全部读取；1 有单元格待确认；2 文件无法读取。",
    )
    pub.add_argument("files", nargs="+", type=Path, metavar="文件")
    pub.add_argument(
        "--out",
        type=Path,
        metavar="路径",
        help="写出数据文件（一个输入时可给文件名，多个输入时给文件夹）；不给时导入数据库",
    )
    pub.add_argument("--replace", action="store_true", help="替换数据库中同一单位同一年度的报告")
    pub.add_argument("--agency", metavar="单位名称", help="报告中找不到单位名称时使用")
    pub.add_argument("--year", type=_year, metavar="年度", help="报告中找不到年度时使用")
    pub.set_defaults(run=_import_published)
    return pub


def _export_arguments(commands: _Commands) -> argparse.ArgumentParser:
    exp = commands.add_parser("export", help="把报告导出为数据文件、PDF或Word文件")
    exp.add_argument("--file", type=Path, metavar="数据文件", help="从数据文件导出（不用数据库）")
    exp.add_argument("--agency", metavar="单位名称", help="导出数据库中这个单位的报告")
    exp.add_argument("--year", type=_year, metavar="年度")
    exp.add_argument("--json", type=Path, metavar="输出文件", help="导出数据文件（.nianbao.json）")
    for kind in renderers.RENDERERS:
        exp.add_argument(
            f"--{kind.name}",
            dest=_dest(kind),
            type=Path,
            metavar="输出文件",
            help=kind.option_help,
        )
    exp.add_argument(
        "--pdf-a3",
        dest="pdf_a3",
        type=Path,
        metavar="输出文件",
        help="导出张贴到政务公开栏用的A3 PDF（按A3重新排版，字号放大）",
    )
    exp.add_argument(
        "--review-sheet",
        dest="review_sheet",
        type=Path,
        metavar="输出文件",
        help="导出自查表（一页PDF：各检查项结果、版本码和签字栏）",
    )
    exp.add_argument(
        "--package",
        type=Path,
        metavar="文件夹",
        help="在这个文件夹中新建“报送材料”文件夹：PDF、Word、网页版、数据文件和自查表，"
        "都带有报告的版本码",
    )
    exp.set_defaults(run=_export)
    return exp


def _dest(kind: renderers.Renderer) -> str:
    """Where argparse keeps a document's output path, apart from the other options."""
    return f"output_{kind.name}"


def _check_arguments(commands: _Commands) -> argparse.ArgumentParser:
    chk = commands.add_parser("check", help="检查报告：逐行列出错误和提示")
    chk.add_argument("file", nargs="?", type=Path, metavar="文件", help="要检查的数据文件")
    chk.add_argument("--agency", metavar="单位名称", help="检查数据库中这个单位的报告")
    chk.add_argument("--year", type=_year, metavar="年度")
    chk.add_argument(
        "--json", action="store_true", help="以JSON格式输出检查结果（UTF-8，供脚本使用）"
    )
    chk.set_defaults(run=_check)
    return chk


def _list_arguments(commands: _Commands) -> argparse.ArgumentParser:
    lst = commands.add_parser("list", help="列出数据库中的报告")
    lst.set_defaults(run=_list)
    return lst


def _review_arguments(commands: _Commands) -> argparse.ArgumentParser:
    rev = commands.add_parser(
        "review",
        help="审核：列出各单位本年度报告的状态、错误和提示",
        description="列出登记的各单位和有本年度报告的单位：类别、状态、错误、提示、"
        "最后修改时间和版本码。退出码：0 没有错误；1 有单位的报告有错误；2 输入有误。",
    )
    rev.add_argument("--year", type=_year, required=True, metavar="年度")
    rev.add_argument(
        "--json",
        action="store_true",
        help="以JSON格式输出各单位的状态和检查结果（UTF-8，供脚本使用）",
    )
    rev.set_defaults(run=_review)
    return rev


def _aggregate_arguments(commands: _Commands) -> argparse.ArgumentParser:
    agg = commands.add_parser(
        "aggregate",
        help="汇总：把本年度各单位的报告汇总为本地区的年报并导出",
        description="把本年度各单位报告的表格逐格相加，生成本地区的年报（汇总），"
        "附件列出汇总的单位和未报的单位。2019年版和2021年版格式的报告不能混合汇总。",
    )
    agg.add_argument("--year", type=_year, required=True, metavar="年度")
    agg.add_argument(
        "--name", required=True, metavar="名称", help="汇总报告的机关名称，如“某某县人民政府”"
    )
    agg.add_argument(
        "--agency",
        action="append",
        metavar="单位名称",
        help="只汇总这个单位的报告（可多次给出）；不给时汇总本年度的全部报告",
    )
    agg.add_argument("--json", type=Path, metavar="输出文件", help="导出数据文件（.nianbao.json）")
    for kind in renderers.RENDERERS:
        agg.add_argument(
            f"--{kind.name}",
            dest=_dest(kind),
            type=Path,
            metavar="输出文件",
            help=kind.option_help,
        )
    agg.set_defaults(run=_aggregate)
    return agg


def _year(text: str) -> int:
    from model.formats import FIRST_YEAR, LAST_YEAR

    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的年度")
    return int(text)
