"""The database tables, as typed SQLAlchemy 2 mappings.

The migrations in ``model/migrations`` create exactly these tables (a test compares them), so
this module is the reference for the schema and the migrations are its history.

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
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
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


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ReportRow(Base):
    """One agency's report for one year; an agency has at most one report per year."""

    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("agency", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)
    format_id: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    signature_agency: Mapped[str | None] = mapped_column(Text)
    signature_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    modified_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class TextRow(Base):
    """A filled-in free text (前言 or part 一, 五, 六)."""

    __tablename__ = "report_text"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class CellRow(Base):
    """A filled-in cell.

    ``declared`` rows are derived cells as an imported report wrote them, kept so that a total
    that disagrees with the computed one is reported instead of lost; the same key may then
    exist twice (input never, as derived keys are never input keys, but the key alone is not
    enough to say which is which).
    """

    __tablename__ = "cell"
    __table_args__ = (CheckConstraint("(count IS NULL) <> (money IS NULL)", name="one_value"),)

    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    declared: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    count: Mapped[int | None] = mapped_column(BigInteger)
    money: Mapped[Decimal | None] = mapped_column(ExactDecimal)


class UnitRow(Base):
    """The unit chosen for a money cell whose format lets the report choose (2019 采购总金额)."""

    __tablename__ = "report_unit"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    unit: Mapped[str] = mapped_column(Text)
