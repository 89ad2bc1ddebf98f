"""Storage: migrations match the models, seeding is complete and happens once, the
Dataset read back equals the CSV files, and a failed unit of work stores nothing."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from service_fixtures import *  # noqa: F403
from service_fixtures import TINY
from sqlmodel import SQLModel

from menu_planner.reference_data import SHIPPED_DATA, load_dataset
from menu_planner.services import SYSTEM, Conflict
from menu_planner.storage import Database
from menu_planner.storage.models import UserRow
from menu_planner.storage.seed import seed_if_empty


def test_the_migrations_create_exactly_the_tables_of_the_models(database_url):
    db = Database(database_url)
    db.upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    db.dispose()
    assert diff == []


def test_upgrading_twice_and_seeding_twice_change_nothing(database_url):
    db = Database(database_url)
    db.upgrade()
    assert seed_if_empty(db, TINY) is True
    db.upgrade()
    assert seed_if_empty(db, TINY) is False
    with db.unit() as uow:
        assert uow.meta.data_revision() == 1
        assert len(uow.centers.find()) == 3
    db.dispose()


def test_the_dataset_read_back_equals_the_csv_files(services):
    expected = load_dataset(TINY)
    got = services.reference.dataset()
    assert got.foods == expected.foods
    assert got.prices == expected.prices
    assert got.recipes == expected.recipes
    assert got.programs == expected.programs
    assert got.age_groups == expected.age_groups
    assert got.meal_patterns == expected.meal_patterns
    assert got.targets == expected.targets


def test_the_shipped_data_seeds_completely(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'shipped.sqlite3'}")
    db.upgrade()
    seed_if_empty(db, None)
    expected = load_dataset(SHIPPED_DATA)
    with db.unit() as uow:
        got = uow.reference.load_dataset()
        centers = uow.centers.find()
    db.dispose()
    assert got.foods == expected.foods and got.prices == expected.prices
    assert got.recipes == expected.recipes and got.targets == expected.targets
    assert len(centers) > 100


def test_a_failed_unit_of_work_stores_nothing(services):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), services.ctx.unit() as uow:
        uow.users.add(UserRow(username="fantasma", role="admin", password_hash="x"))
        uow.meta.bump_revision()
        raise Boom
    with services.ctx.unit() as uow:
        assert uow.users.by_name("fantasma") is None
        assert uow.meta.data_revision() == 1


def test_a_duplicate_written_by_a_race_is_a_conflict_not_a_crash(services):
    with pytest.raises(Conflict), services.ctx.unit() as uow:
        uow.users.add(UserRow(username="doble", role="admin", password_hash="x"))
        uow.users.add(UserRow(username="doble", role="admin", password_hash="y"))


def test_the_dataset_cache_follows_the_data_revision(services):
    first = services.reference.dataset()
    assert services.reference.dataset() is first
    with services.ctx.unit() as uow:
        uow.meta.bump_revision()
    assert services.reference.dataset() is not first


def test_seeding_with_bad_data_stores_nothing(database_url, tmp_path):
    import shutil

    from menu_planner.domain import DataError

    bad = tmp_path / "datos"
    shutil.copytree(TINY, bad)
    prices = bad / "foods" / "prices.csv"
    prices.write_text(prices.read_text(encoding="utf-8") + "sal,Nacional,bolsa,x,1,2022-01-01,y\n",
                      encoding="utf-8")
    db = Database(database_url)
    db.upgrade()
    with pytest.raises(DataError):
        seed_if_empty(db, bad)
    with db.unit() as uow:
        assert not uow.meta.is_seeded() and uow.centers.find() == []
    db.dispose()


def test_users_added_by_the_system_are_audited(services):
    services.accounts.add_user(SYSTEM, "audit.me", "finanzas", "clave-bastante-larga")
    rows, total = services.accounts.audit_trail(SYSTEM, action="crear_usuario")
    assert total == 1 and rows[0].entity_id == "audit.me"


def test_a_database_made_before_the_exchange_tables_gets_its_rules(database_url):
    """A database seeded under migration 0001 (no exchange tables, no special counts)
    is upgraded and then gets the rules of its data directory, once."""
    from alembic import command
    from sqlalchemy import text

    from menu_planner.storage.db import alembic_config
    from menu_planner.storage.seed import seed_rules_if_missing

    db = Database(database_url)
    cfg = alembic_config(db.engine)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with db.engine.begin() as conn:  # what a 0001 seed left: a program and a center
        conn.execute(text("INSERT INTO app_meta (key, value) VALUES "
                          "('seeded_at', '2026-11-01'), ('data_revision', '1')"))
        conn.execute(text("INSERT INTO program (program, name_es, service_days_per_week, "
                          "daily_budget_q) VALUES ('cadi', 'CADI', 5, 30.0)"))
        conn.execute(text(
            "INSERT INTO center (center_id, name, program, center_type, department, "
            "municipality, enrolled, position, updated_at) VALUES ('C-1', 'Centro', "
            "'cadi', 'CADI', 'Quiché', 'Nebaj', '{\"1-3y\": 4}', 0, '2026-11-01')"))
    db.upgrade()
    with db.unit() as uow:
        assert uow.centers.get("C-1").special_counts == {}
        assert not uow.rules.seeded()
    assert seed_rules_if_missing(db, TINY) is True
    assert seed_rules_if_missing(db, TINY) is False
    with db.unit() as uow:
        rules = uow.rules.exchange_rule_rows()
        assert {(r.food_group, r.food_id) for r in rules} >= {("leguminosas", ""),
                                                              ("verduras", "")}
        assert [s.subgroup for s in uow.rules.special_target_rows("cadi")] == ["bajo_peso"] * 3
    db.dispose()
