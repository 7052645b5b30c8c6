"""The county desk: the register of units, decisions on their reports, 汇总 reports.

Written by hand, like 0001; only new tables, so an existing database upgrades in place and its
reports are not touched.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("must_report", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('本级', '部门', '乡镇街道', '其他')", name=op.f("ck_unit_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_name")),
    )
    op.create_table(
        "unit_year",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "decision IN ('退回', '已通过', '已发布')", name=op.f("ck_unit_year_decision")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_unit_year_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("unit_id", "year", name=op.f("pk_unit_year")),
    )
    op.create_table(
        "aggregate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("signature_agency", sa.Text(), nullable=True),
        sa.Column("signature_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aggregate")),
        sa.UniqueConstraint("name", "year", name=op.f("uq_aggregate_name_year")),
    )
    op.create_table(
        "aggregate_text",
        sa.Column("aggregate_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _aggregate_fk("aggregate_text"),
        sa.PrimaryKeyConstraint("aggregate_id", "key", name=op.f("pk_aggregate_text")),
    )
    op.create_table(
        "aggregate_excluded",
        sa.Column("aggregate_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.Text(), nullable=False),
        _aggregate_fk("aggregate_excluded"),
        sa.PrimaryKeyConstraint("aggregate_id", "agency", name=op.f("pk_aggregate_excluded")),
    )


def downgrade() -> None:
    for table in ("aggregate_excluded", "aggregate_text", "aggregate", "unit_year", "unit"):
        op.drop_table(table)


def _aggregate_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["aggregate_id"],
        ["aggregate.id"],
        name=op.f(f"fk_{table}_aggregate_id_aggregate"),
        ondelete="CASCADE",
    )
