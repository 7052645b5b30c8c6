"""The migrations build exactly the schema the program's models describe."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from model import migrations
from model.db import open_database
from model.tables import metadata


def test_the_head_constant_is_alembics_head() -> None:
    """If this fails after adding a revision, update ``HEAD_REVISION`` in model/migrations."""
    script = ScriptDirectory.from_config(migrations.alembic_config())
    assert script.get_heads() == [migrations.HEAD_REVISION]


def test_the_migrated_database_matches_the_models(tmp_path: Path) -> None:
    with (
        open_database(tmp_path / "nianbao.sqlite3") as database,
        database.engine.connect() as connection,
    ):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_migration_from_an_empty_file_reaches_head(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    open_database(path).close()
    with closing(sqlite3.connect(path)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert {"report", "report_text", "cell", "report_unit", "alembic_version"} <= tables
    assert revision == migrations.HEAD_REVISION


def test_every_migration_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    with open_database(tmp_path / "nianbao.sqlite3") as database:
        with database.engine.begin() as connection:
            command.downgrade(migrations.alembic_config(connection), "base")
        with database.engine.begin() as connection:
            query = "SELECT name FROM sqlite_master WHERE type = 'table'"
            assert connection.exec_driver_sql(query).scalars().all() == ["alembic_version"]
            migrations.upgrade_to_head(connection)
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert context.get_current_revision() == migrations.HEAD_REVISION
            assert compare_metadata(context, metadata) == []


def test_known_and_unknown_revisions() -> None:
    assert migrations.is_known_revision(migrations.HEAD_REVISION)
    assert not migrations.is_known_revision("9999")
    assert not migrations.is_known_revision("not-a-revision")


def test_the_cell_check_constraint_is_in_the_database(tmp_path: Path) -> None:
    """compare_metadata does not compare CHECK constraints, so look at the DDL itself."""
    path = tmp_path / "nianbao.sqlite3"
    open_database(path).close()
    with closing(sqlite3.connect(path)) as connection:
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'cell'").fetchone()[0]
    assert "ck_cell_one_value" in sql
    assert "(count IS NULL) <> (money IS NULL)" in sql


def test_a_0001_database_with_reports_upgrades_in_place(tmp_path: Path) -> None:
    """A database of the first schema (reports only) gets the county desk's tables, empty,
    with its reports untouched and a backup of it made first."""
    import sqlalchemy

    from model import ops

    path = tmp_path / "nianbao.sqlite3"
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), "0001")
    engine.dispose()
    with closing(sqlite3.connect(path)) as connection, connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        connection.execute(
            "INSERT INTO report (id, agency, year, format_id, created_at, modified_at)"
            " VALUES (7, '古城回族乡人民政府', 2021, '2021',"
            " '2022-01-05 08:00:00.000000', '2022-01-05 08:00:00.000000')"
        )
        connection.execute(
            "INSERT INTO cell (report_id, key, declared, count) VALUES (7, 'art20_5.licensing.decisions', 0, 12)"
        )
        connection.execute(
            "INSERT INTO report_text (report_id, key, text) VALUES (7, 'overview', '概述')"
        )

    with open_database(path) as database:
        report = ops.load_report(database, 7)
        with database.read() as raw:
            counts = {
                table: raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in (
                    "unit",
                    "unit_year",
                    "aggregate",
                    "aggregate_text",
                    "aggregate_excluded",
                )
            }
    assert (report.agency, report.year, report.cells, report.texts) == (
        "古城回族乡人民政府",
        2021,
        {"art20_5.licensing.decisions": 12},
        {"overview": "概述"},
    )
    assert counts == dict.fromkeys(counts, 0) and len(counts) == 5
    with closing(sqlite3.connect(path)) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert revision == migrations.HEAD_REVISION == "0003"
    backups = list((tmp_path / "backups").iterdir())
    assert [b.name.startswith("nianbao-before-0003-") for b in backups] == [True]


def test_a_0002_register_gets_the_units_years_and_keeps_its_units(tmp_path: Path) -> None:
    """A database of the first county desk (0002) keeps its units, their entries and 汇总;
    the units' years are blank (no limit) and checked from then on."""
    import sqlalchemy

    from model import register

    path = tmp_path / "nianbao.sqlite3"
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), "0002")
    engine.dispose()
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("INSERT INTO unit VALUES (3, '某某县教育局', '部门', 1, '合并')")
        connection.execute("INSERT INTO unit_year VALUES (3, 2022, '已通过', '', NULL, '', NULL)")
    with open_database(path) as database:
        [unit] = register.list_units(database)
        entries = register.unit_years(database, 2022)
        register.update_unit(database, unit.id, from_year=2019, to_year=2024)
        updated = register.find_unit(database, "某某县教育局")
        still = register.unit_years(database, 2022)
    assert updated is not None and (updated.from_year, updated.to_year) == (2019, 2024)
    assert still[3].decision is register.Decision.PASSED  # nothing cascaded away
    assert (unit.id, unit.name, unit.note, unit.from_year, unit.to_year) == (
        3,
        "某某县教育局",
        "合并",
        None,
        None,
    )
    assert entries[3].decision is register.Decision.PASSED


def test_the_register_check_constraints_are_in_the_database(tmp_path: Path) -> None:
    path = tmp_path / "nianbao.sqlite3"
    open_database(path).close()
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("INSERT INTO unit VALUES (1, '甲', '部门', 1, '', 2019, NULL)")
        for statement in (
            "INSERT INTO unit VALUES (2, '乙', '科室', 1, '', NULL, NULL)",
            "INSERT INTO unit_year VALUES (1, 2021, '待定', '', NULL, '', NULL)",
        ):
            try:
                connection.execute(statement)
            except sqlite3.IntegrityError as error:
                assert "CHECK constraint failed" in str(error)
            else:
                raise AssertionError(f"accepted: {statement}")
        connection.execute("INSERT INTO unit_year VALUES (1, 2021, NULL, '', NULL, '', NULL)")
