"""revisions on edited records, one current settlement per center and month, revoked
session tokens (one by one, or all of an account's issued before its password changed)

Revision ID: 0003b_concurrency
Revises: 0002
Create Date: 2026-12-06 00:30:00

Kept independent of any other migration that also follows 0002: the service upgrades to
every head (`Database.upgrade`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003b_concurrency"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVISIONED = ("center", "target", "exchange_rule", "exchange_exclusion", "special_target")


def upgrade() -> None:
    for table in REVISIONED:
        op.add_column(table, sa.Column("revision", sa.Integer(), nullable=False,
                                       server_default="1"))
    op.add_column("settlement", sa.Column("is_current", sa.Boolean(), nullable=False,
                                          server_default=sa.false()))
    _mark_current_settlements()
    op.create_index("uq_settlement_current", "settlement", ["center_id", "month"],
                    unique=True, sqlite_where=sa.text("is_current"),
                    postgresql_where=sa.text("is_current"))
    op.add_column("app_user", sa.Column("sessions_since", sa.DateTime(timezone=True),
                                        nullable=True))
    op.create_table(
        "revoked_token",
        sa.Column("jti", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jti"),
    )
    op.create_index(op.f("ix_revoked_token_user_id"), "revoked_token", ["user_id"])
    op.create_index(op.f("ix_revoked_token_expires_at"), "revoked_token", ["expires_at"])


def _mark_current_settlements() -> None:
    """The newest settlement of each center and month is the current one; any other that
    a race left unreplaced is linked to it."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, center_id, month FROM settlement WHERE superseded_by_id IS NULL "
        "ORDER BY id DESC")).all()
    newest: dict[tuple[str, str], int] = {}
    for sid, center_id, month in rows:
        key = (center_id, month)
        if key not in newest:
            newest[key] = sid
            conn.execute(sa.text("UPDATE settlement SET is_current = :t WHERE id = :id"),
                         {"t": True, "id": sid})
        else:
            conn.execute(sa.text("UPDATE settlement SET superseded_by_id = :new "
                                 "WHERE id = :id"), {"new": newest[key], "id": sid})


def downgrade() -> None:
    op.drop_index(op.f("ix_revoked_token_expires_at"), table_name="revoked_token")
    op.drop_index(op.f("ix_revoked_token_user_id"), table_name="revoked_token")
    op.drop_table("revoked_token")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("sessions_since")
    op.drop_index("uq_settlement_current", table_name="settlement")
    with op.batch_alter_table("settlement") as batch:
        batch.drop_column("is_current")
    for table in REVISIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("revision")
