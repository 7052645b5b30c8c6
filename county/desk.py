"""The review table of one year: every unit of the register and every report of the year, with
its status, its findings and its version code.

:class:`Desk` loads the year in a few queries (:func:`model.ops.load_year` for the year and the
one before, the register's lists), checks every report against its unit's last year
(:func:`model.checks.check`) and adds the texts copied between units (:mod:`county.copies`: the
pairwise ``problems.similar`` check is not run unit by unit, which would compare every pair
with difflib).  When one unit's report or entry changes, :meth:`Desk.refresh` reloads just
that unit.

A unit's reports are the reports whose agency is the unit's name; a report whose agency is in
no unit still gets a row (``unit`` None), so nothing received is overlooked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from county.copies import Copy, CopyIndex, copy_finding
from model import ops, register
from model.aggregate import Coverage, MixedFormatsError, Sums, common_format, sum_reports
from model.checks import Finding, check, finding_dict
from model.db import Database
from model.formats import Severity
from model.names import lookup, match_key
from model.reads import ReportSummary
from model.register import Decision, Status, Unit, UnitKind, UnitYear
from model.report import Report
from model.version import version_code


@dataclass(frozen=True)
class UnitRow:
    """One line of the review table."""

    agency: str
    unit: Unit | None  # None: a report of the year whose agency is not in the register
    kind: UnitKind | None
    must_report: bool
    status: Status
    entry: UnitYear | None
    report_id: int | None
    format_id: str | None
    modified_at: dt.datetime | None
    version: str  # "" without a report
    findings: tuple[Finding, ...]
    #: The year lies in the unit's years (:meth:`model.register.Unit.active`); a unit outside
    #: them is in the register page but not expected to report (never 未报 in the review).
    active: bool = True

    @property
    def expected(self) -> bool:
        """Whether the row belongs in the year's review: a report came, or the unit exists
        that year."""
        return self.active or self.report_id is not None

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if not finding.is_error)


def status_of(
    entry: UnitYear | None, has_report: bool, errors: int, modified_at: dt.datetime | None = None
) -> Status:
    """Without a report 未报 (or 退回: returned, a new one awaited); else the county's decision
    when there is one (已发布, 已通过, 退回); else 有错误 with errors, 已报 otherwise.

    A report changed after it was passed or returned (``modified_at`` later than the
    decision) is to be reviewed again: its status is worked out as if undecided.  A published
    report stays 已发布, with a finding saying it changed (:func:`changed_after`)."""
    decision = entry.decision if entry is not None else None
    if not has_report:
        # 退回 still means “sent back, a new one awaited”; 已通过 or 已发布 of a report no
        # longer here (deleted, the unit renamed) would claim what is not there.
        return Status.RETURNED if decision is Decision.RETURNED else Status.NOT_SUBMITTED
    if decision is not None and (
        decision is Decision.PUBLISHED or not changed_after(entry, modified_at)
    ):
        return Status(decision.value)
    return Status.FAULTY if errors else Status.SUBMITTED


def changed_after(entry: UnitYear | None, modified_at: dt.datetime | None) -> bool:
    """Whether the report was changed after the county's decision on it."""
    if entry is None or entry.decision is None or entry.decided_at is None:
        return False
    return modified_at is not None and modified_at > entry.decided_at


#: The rule id of the desk's own finding about a report changed after the county's decision.
CHANGED_RULE = "county.changed_after_decision"


def _changed_finding(entry: UnitYear, report: Report) -> Finding:
    assert entry.decision is not None and entry.decided_at is not None
    when = entry.decided_at.astimezone().strftime("%Y-%m-%d %H:%M")
    again = (
        "，发布的版本可能已与库中不同" if entry.decision is Decision.PUBLISHED else "，需要重新审核"
    )
    message = f"报告在标为“{entry.decision.value}”（{when}）之后又有改动{again}"
    return Finding(CHANGED_RULE, Severity.WARNING, message, report.format.parts[0].key)


@dataclass(frozen=True)
class _Loaded:
    """One report of the year as the desk holds it."""

    summary: ReportSummary
    report: Report
    version: str
    findings: tuple[Finding, ...]  # its own checks' (copies are added per row)


class Desk:
    """The units and reports of ``year`` in ``db``, checked."""

    def __init__(self, db: Database, year: int) -> None:
        self.db = db
        self.year = year
        self._units: list[Unit] = []
        self._entries: dict[int, UnitYear] = {}
        self._loaded: dict[str, _Loaded] = {}
        self._previous: dict[str, Report] = {}
        self._index = CopyIndex(year)
        self._rows: list[UnitRow] = []
        self._by_agency: dict[str, UnitRow] = {}
        self.reload()

    # ------------------------------------------------------------------------ loading

    def reload(self) -> None:
        """Read everything again (the register, this year's and last year's reports)."""
        self._units = register.list_units(self.db)
        self._entries = register.unit_years(self.db, self.year)
        self._previous = {r.agency: r for _, r in ops.load_year(self.db, self.year - 1)}
        self._index = CopyIndex(self.year)
        self._loaded = {}
        for summary, report in ops.load_year(self.db, self.year):
            self._add(summary, report)
        self._build_rows()

    def refresh(self, agencies: Iterable[str]) -> None:
        """These units' reports (of this year or the last), register entries or names changed:
        reload just them.  An agency that has no report (any more) loses its row unless it
        is in the register."""
        names = {lookup(agency) for agency in agencies}
        if not names:
            return
        self._units = register.list_units(self.db)
        self._entries = register.unit_years(self.db, self.year)
        for agency in names:
            self._index.remove(agency)
            self._loaded.pop(agency, None)
            self._previous.pop(agency, None)
            previous_id = ops.find_report(self.db, agency, self.year - 1)
            if previous_id is not None:
                self._previous[agency] = ops.load_report(self.db, previous_id)
            report_id = ops.find_report(self.db, agency, self.year)
            if report_id is None:
                continue
            summary = ops.report_summaries(self.db, [report_id])[report_id]
            self._add(summary, ops.load_report(self.db, report_id))
        self._build_rows()

    def _add(self, summary: ReportSummary, report: Report) -> None:
        previous = self._previous.get(report.agency)
        findings = tuple(check(report, previous))
        self._loaded[report.agency] = _Loaded(summary, report, version_code(report), findings)
        self._index.set(report, previous)

    def _build_rows(self) -> None:
        copies: dict[str, list[Finding]] = {}
        for copy in self._index.copies():
            loaded = self._loaded.get(copy.agency)
            if loaded is not None:
                copies.setdefault(copy.agency, []).append(copy_finding(copy, loaded.report))
        rows: list[UnitRow] = []
        registered: set[str] = set()
        # a report spelling the unit's name with other spaces or full-width brackets is still
        # that unit's (model.names.match_key), never an unregistered unit beside a 未报 one
        loose = {match_key(agency): agency for agency in self._loaded}
        for unit in self._units:
            agency = lookup(unit.name)
            if agency not in self._loaded:
                agency = loose.get(match_key(agency), agency)
            registered.add(agency)
            rows.append(self._row(agency, unit, copies.get(agency, ())))
        for agency in sorted(set(self._loaded) - registered):
            rows.append(self._row(agency, None, copies.get(agency, ())))
        self._rows = rows
        self._by_agency = {row.agency: row for row in rows}

    def _row(self, agency: str, unit: Unit | None, copied: Sequence[Finding]) -> UnitRow:
        loaded = self._loaded.get(agency)
        entry = self._entries.get(unit.id) if unit is not None else None
        modified_at = loaded.summary.modified_at if loaded else None
        active = unit is None or unit.active(self.year)
        if loaded is None:
            findings: tuple[Finding, ...] = ()
        else:
            findings = loaded.findings + tuple(copied)
            if entry is not None and changed_after(entry, modified_at):
                findings += (_changed_finding(entry, loaded.report),)
        errors = sum(1 for finding in findings if finding.is_error)
        return UnitRow(
            agency=agency,
            unit=unit,
            kind=unit.kind if unit is not None else None,
            must_report=unit.must_report and active if unit is not None else False,
            status=status_of(entry, loaded is not None, errors, modified_at),
            entry=entry,
            report_id=loaded.summary.id if loaded else None,
            format_id=loaded.report.format_id if loaded else None,
            modified_at=loaded.summary.modified_at if loaded else None,
            version=loaded.version if loaded else "",
            findings=findings,
            active=active,
        )

    # ------------------------------------------------------------------------ reading

    def rows(self) -> list[UnitRow]:
        """The register's units in its order, then the reports of units not in it, by name."""
        return list(self._rows)

    def row(self, agency: str) -> UnitRow | None:
        found = self._by_agency.get(lookup(agency))
        if found is None:
            key = match_key(agency)
            found = next((r for a, r in self._by_agency.items() if match_key(a) == key), None)
        return found

    def report(self, agency: str) -> Report | None:
        loaded = self._loaded.get(lookup(agency))
        return loaded.report if loaded else None

    def previous(self, agency: str) -> Report | None:
        """The unit's report of the year before, if any."""
        return self._previous.get(lookup(agency))

    def reports(self) -> dict[str, Report]:
        """This year's reports, by agency, in the order of the rows."""
        return {
            row.agency: self._loaded[row.agency].report
            for row in self._rows
            if row.agency in self._loaded
        }

    def copies(self) -> list[Copy]:
        """The texts of 一 and 五 copied from another unit of the year or from last year."""
        return self._index.copies()

    # ------------------------------------------------------------------------ the 汇总

    def _chosen(self, agencies: Sequence[str] | None) -> list[Report]:
        reports = self.reports()
        if agencies is None:
            return list(reports.values())
        chosen = {lookup(agency) for agency in agencies}
        return [report for agency, report in reports.items() if agency in chosen]

    def sums(self, agencies: Sequence[str] | None = None) -> Sums:
        """The sums of these units' reports of the year (default: every report of the year);
        :class:`~model.aggregate.MixedFormatsError` when they are not all in one format."""
        return sum_reports(self._chosen(agencies), self.year)

    def coverage(self, agencies: Sequence[str] | None = None) -> Coverage:
        """Which units a 汇总 of ``agencies`` (default: every report of the year) covers: those
        summed, the units that must report and have not, those in another format than the
        汇总's (never summed, whether chosen or not: the reason matters more than the choice)
        and those left out."""
        chosen = [report.agency for report in self._chosen(agencies)]
        try:
            fmt = common_format(self._chosen(agencies), self.year).id
        except MixedFormatsError as mixed:
            fmt = mixed.format_id
        other = {a for a, report in self.reports().items() if report.format_id != fmt}
        missing = tuple(
            row.agency
            for row in self._rows
            if row.unit is not None and row.must_report and row.agency not in self._loaded
        )
        summed = set(chosen)
        return Coverage(
            covered=tuple(a for a in chosen if a not in other),
            missing=missing,
            other_format=tuple(a for a in self.reports() if a in other),
            left_out=tuple(a for a in self.reports() if a not in summed and a not in other),
        )

    def findings(self) -> dict[str, tuple[Finding, ...]]:
        """Every report's findings, by agency (for :func:`model.aggregate.breakers`)."""
        return {row.agency: row.findings for row in self._rows if row.agency in self._loaded}


@dataclass(frozen=True)
class LastYear:
    """What this year's 汇总 compares its carry-over with: last year's 汇总 of the same name
    (the reports it summed), or, without one, every report of last year."""

    sums: Sums | None  # None: no report last year, or last year's formats mixed
    reports: tuple[Report, ...]
    stored: bool  # last year's 汇总 of this name exists


def last_year(db: Database, name: str, year: int) -> LastYear:
    """The 汇总 of ``name`` for the year before ``year`` (:class:`LastYear`)."""
    found = register.find_aggregate(db, name, year - 1) if name else None
    left_out = register.load_aggregate(db, found).excluded if found is not None else frozenset()
    reports = tuple(r for _, r in ops.load_year(db, year - 1) if r.agency not in left_out)
    try:
        sums = sum_reports(reports, year - 1) if reports else None
    except MixedFormatsError:
        sums = None
    return LastYear(sums, reports, found is not None)


def review_document(desk: Desk) -> dict[str, Any]:
    """The review table as a script reads it (``review --json``)."""
    return {
        "year": desk.year,
        "units": [
            {
                "agency": row.agency,
                "kind": row.kind.value if row.kind is not None else None,
                "status": row.status.value,
                "errors": row.errors,
                "warnings": row.warnings,
                "findings": [finding_dict(finding) for finding in row.findings],
                "version": row.version,
                "modified_at": row.modified_at.isoformat() if row.modified_at else None,
            }
            for row in desk.rows()
            if row.expected
        ],
    }
