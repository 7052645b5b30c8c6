"""The years a unit of the county's register reports (set up, merged or abolished in 机构改革).

Two nullable columns on ``unit`` (NULL: no limit), added in place with ALTER TABLE ADD COLUMN.
Not a batch operation: SQLite adds a CHECK constraint only by rebuilding the table, and
dropping the old ``unit`` table would cascade to ``unit_year`` (foreign keys are on), deleting
every decision.  That the first year is not after the last is checked by
:func:`model.register.update_unit`, the only writer.  Written by hand, like 0001 and 0002.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("unit", sa.Column("from_year", sa.Integer(), nullable=True))
    op.add_column("unit", sa.Column("to_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    # DROP COLUMN rebuilds nothing (SQLite ≥ 3.35) and touches no other table.
    op.drop_column("unit", "to_year")
    op.drop_column("unit", "from_year")
