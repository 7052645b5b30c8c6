"""The database tables, as SQLAlchemy Core tables.

The migrations in ``model/migrations`` create exactly these tables (a test compares them), so
this module is the reference for the schema and the migrations are its history.  Reads are
plain SQL (:mod:`model.reads`); writes are Core statements (:mod:`model.ops`).  There is no
ORM: the operations are small and each says exactly what it writes, and not importing
``sqlalchemy.orm`` saves the program about 6 MB and 40 ms at start.

A blank cell, text or unit is no row: the database never has to tell "0" from "not filled in"
by a sentinel.  Money is stored as the exact decimal string, never as a number (SQLite would
make it a binary float).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

#: Constraint names are spelled by rule so that a batch migration can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ExactDecimal(TypeDecorator[Decimal]):
    """A ``Decimal`` kept as its ``str()`` in a TEXT column, so 126.4370 comes back as 126.4370."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"ExactDecimal needs a Decimal, got {type(value).__name__}")
        return str(value)

    def process_result_value(self, value: object, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment stored as naive UTC (SQLite has no time zones) and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UtcDateTime needs a timezone-aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: object, dialect: Dialect) -> dt.datetime | None:
        if not isinstance(value, dt.datetime):
            return None
        return value.replace(tzinfo=dt.UTC)


metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _belongs_to_report() -> Column[int]:
    """The first key column of every row of a report's contents; they go when it goes."""
    return Column(
        "report_id", Integer, ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )


#: One agency's report for one year; an agency has at most one report per year.
report = Table(
    "report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("format_id", Text, nullable=False),
    Column("title", Text),
    Column("signature_agency", Text),
    Column("signature_date", Date),
    Column("created_at", UtcDateTime, nullable=False),
    Column("modified_at", UtcDateTime, nullable=False),
    UniqueConstraint("agency", "year"),
)


def _one_text_per_key(name: str, column: str) -> Table:
    """A table of one text per key of a report (its free texts, its chosen units)."""
    key = Column("key", Text, primary_key=True)
    return Table(name, metadata, _belongs_to_report(), key, Column(column, Text, nullable=False))


#: A filled-in free text (前言 or part 一, 五, 六).
report_text = _one_text_per_key("report_text", "text")

#: A filled-in cell.  ``declared`` rows are derived cells as an imported report wrote them,
#: kept so that a total that disagrees with the computed one is reported instead of lost; the
#: same key may then exist twice (input never, as derived keys are never input keys, but the
#: key alone is not enough to say which is which).
cell = Table(
    "cell",
    metadata,
    _belongs_to_report(),
    Column("key", Text, primary_key=True),
    Column("declared", Boolean, primary_key=True),
    Column("count", BigInteger),
    Column("money", ExactDecimal),
    CheckConstraint("(count IS NULL) <> (money IS NULL)", name="one_value"),
)

#: The unit chosen for a money cell whose format lets the report choose (2019 采购总金额).
report_unit = _one_text_per_key("report_unit", "unit")


# ---------------------------------------------------------------------------- the county desk
# A county's register of the units that report to it, its decisions on their reports and its
# 汇总 (summed) reports.  A unit's reports are the ``report`` rows whose ``agency`` is its name:
# nothing here points at a report, so renaming or deleting one never breaks the register.

#: The kinds of unit, in the order the register lists them (``model.register.UnitKind``).
UNIT_KINDS = ("本级", "部门", "乡镇街道", "其他")

#: The decisions on a unit's report of a year (``model.register.Decision``).
DECISIONS = ("退回", "已通过", "已发布")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


#: A unit that reports to the county; ``name`` is the agency of its reports.
unit = Table(
    "unit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("must_report", Boolean, nullable=False),
    Column("note", Text, nullable=False),
    # The years the unit exists as a reporting unit (机构改革: set up, merged, abolished);
    # NULL: no limit.  Outside them it is not expected to report.  (Migration 0003 added
    # them in place; that the first is not after the last is model.register's check.)
    Column("from_year", Integer),
    Column("to_year", Integer),
    UniqueConstraint("name"),
    CheckConstraint(_one_of("kind", UNIT_KINDS), name="kind"),
)

#: What the county decided on a unit's report of a year, and where it was published.
unit_year = Table(
    "unit_year",
    metadata,
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("decision", Text),
    Column("url", Text, nullable=False),
    Column("published_on", Date),
    Column("note", Text, nullable=False),
    Column("decided_at", UtcDateTime),
    CheckConstraint(_one_of("decision", DECISIONS), name="decision"),
)

#: A 汇总 report of a county (region) for a year: its own fields; its figures are the sums of
#: the year's reports, never stored.
aggregate = Table(
    "aggregate",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("title", Text),
    Column("signature_agency", Text),
    Column("signature_date", Date),
    Column("created_at", UtcDateTime, nullable=False),
    Column("modified_at", UtcDateTime, nullable=False),
    UniqueConstraint("name", "year"),
)


def _belongs_to_aggregate() -> Column[int]:
    return Column(
        "aggregate_id", Integer, ForeignKey("aggregate.id", ondelete="CASCADE"), primary_key=True
    )


#: A free text of a 汇总 report (its 前言, parts 一, 五, 六), as a report's texts.
aggregate_text = Table(
    "aggregate_text",
    metadata,
    _belongs_to_aggregate(),
    Column("key", Text, primary_key=True),
    Column("text", Text, nullable=False),
)

#: A unit left out of a 汇总 on purpose (by default every report of the year is summed).
aggregate_excluded = Table(
    "aggregate_excluded",
    metadata,
    _belongs_to_aggregate(),
    Column("agency", Text, primary_key=True),
)
