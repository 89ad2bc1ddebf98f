"""Initial schema: every table of the service.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 20:17:05.161560
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_meta",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_user_username"), ["username"], unique=True)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_username"), ["username"], unique=False)

    op.create_table(
        "food",
        sa.Column("food_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("name_es", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("food_group", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("edible_fraction", sa.Float(), nullable=False),
        sa.Column("nutrients", sa.JSON(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("market_section", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("keeps", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("food_id"),
    )
    op.create_table(
        "price_survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("price_survey", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_price_survey_department"), ["department"], unique=False
        )

    op.create_table(
        "program",
        sa.Column("program", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name_es", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("service_days_per_week", sa.Integer(), nullable=False),
        sa.Column("daily_budget_q", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("program"),
    )
    op.create_table(
        "recipe",
        sa.Column("recipe_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("name_es", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("component", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("programs", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("acceptability", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("recipe_id"),
    )
    op.create_table(
        "age_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("age_group", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name_es", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("portion_min", sa.Float(), nullable=False),
        sa.Column("portion_max", sa.Float(), nullable=False),
        sa.Column("requires_tag", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program"],
            ["program.program"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program", "age_group", name="uq_age_group"),
    )
    op.create_table(
        "center",
        sa.Column("center_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("program", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("center_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("municipality", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("enrolled", sa.JSON(), nullable=False),
        sa.Column("attendance", sa.Float(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program"],
            ["program.program"],
        ),
        sa.PrimaryKeyConstraint("center_id"),
    )
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_center_department"), ["department"], unique=False)

    op.create_table(
        "meal_component",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("slot", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("component", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("min_items", sa.Integer(), nullable=False),
        sa.Column("max_items", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program"],
            ["program.program"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "menu_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["based_on_id"],
            ["menu_cycle.id"],
        ),
        sa.ForeignKeyConstraint(
            ["program"],
            ["program.program"],
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["menu_cycle.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program", "version", name="uq_cycle_version"),
    )
    with op.batch_alter_table("menu_cycle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_menu_cycle_program"), ["program"], unique=False)
        batch_op.create_index(batch_op.f("ix_menu_cycle_status"), ["status"], unique=False)

    op.create_table(
        "price",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("food_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("purchase_unit", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("unit_grams", sa.Float(), nullable=False),
        sa.Column("price_q", sa.Float(), nullable=False),
        sa.Column("price_date", sa.Date(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["food_id"],
            ["food.food_id"],
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["price_survey.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "food_id", "department", "purchase_unit", name="uq_price_food_department_unit"
        ),
    )
    with op.batch_alter_table("price", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_price_department"), ["department"], unique=False)
        batch_op.create_index(batch_op.f("ix_price_food_id"), ["food_id"], unique=False)

    op.create_table(
        "recipe_ingredient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipe_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("food_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("grams", sa.Float(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["food_id"],
            ["food.food_id"],
        ),
        sa.ForeignKeyConstraint(
            ["recipe_id"],
            ["recipe.recipe_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recipe_ingredient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recipe_ingredient_recipe_id"), ["recipe_id"], unique=False
        )

    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("age_group", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("nutrient", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("min", sa.Float(), nullable=True),
        sa.Column("max", sa.Float(), nullable=True),
        sa.Column("basis", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["program"],
            ["program.program"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program", "age_group", "nutrient", "basis", name="uq_target"),
    )
    op.create_table(
        "job",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["menu_cycle.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_status"), ["status"], unique=False)

    op.create_table(
        "settlement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("center_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("budget_q", sa.Float(), nullable=False),
        sa.Column("spent_q", sa.Float(), nullable=False),
        sa.Column("balance_q", sa.Float(), nullable=False),
        sa.Column("receipts", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("settled_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["center_id"],
            ["center.center_id"],
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["settlement.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_settlement_center_id"), ["center_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_settlement_month"), ["month"], unique=False)

    op.create_table(
        "user_center",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("center_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"],
            ["center.center_id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("user_id", "center_id"),
    )


def downgrade() -> None:
    op.drop_table("user_center")
    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlement_month"))
        batch_op.drop_index(batch_op.f("ix_settlement_center_id"))

    op.drop_table("settlement")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_status"))

    op.drop_table("job")
    op.drop_table("target")
    with op.batch_alter_table("recipe_ingredient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipe_ingredient_recipe_id"))

    op.drop_table("recipe_ingredient")
    with op.batch_alter_table("price", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_food_id"))
        batch_op.drop_index(batch_op.f("ix_price_department"))

    op.drop_table("price")
    with op.batch_alter_table("menu_cycle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_menu_cycle_status"))
        batch_op.drop_index(batch_op.f("ix_menu_cycle_program"))

    op.drop_table("menu_cycle")
    op.drop_table("meal_component")
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_center_department"))

    op.drop_table("center")
    op.drop_table("age_group")
    op.drop_table("recipe")
    op.drop_table("program")
    with op.batch_alter_table("price_survey", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_survey_department"))

    op.drop_table("price_survey")
    op.drop_table("food")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_username"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_username"))

    op.drop_table("app_user")
    op.drop_table("app_meta")
