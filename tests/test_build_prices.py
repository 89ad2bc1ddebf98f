"""scripts/build_prices.py: every food priced, dated, sourced; measured factor; units."""

from __future__ import annotations

import csv
import importlib.util
import math
import statistics
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from menu_planner.domain import DEPARTMENTS, NATIONAL
from menu_planner.reference_data import PRICE_COLUMNS
from menu_planner.tabular import read_table

ROOT = Path(__file__).resolve().parent.parent
FOODS_DIR = ROOT / "data" / "foods"
REF = ROOT / "data" / "reference"
LIBRA = 453.6


def _load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


build_prices = _load_script("build_prices")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("prices") / "prices.csv"
    assert build_prices.main(["--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def prices(built: Path) -> list[dict[str, str]]:
    return _rows(built)


def _price(prices: list[dict[str, str]], food: str, unit: str, dept: str = NATIONAL
           ) -> dict[str, str]:
    [row] = [p for p in prices if (p["food_id"], p["department"], p["purchase_unit"])
             == (food, dept, unit)]
    return row


def test_build_is_deterministic_and_shipped_file_is_current(built: Path, tmp_path: Path
                                                            ) -> None:
    again = tmp_path / "prices.csv"
    assert build_prices.main(["--out", str(again)]) == 0
    assert again.read_bytes() == built.read_bytes()
    assert again.read_bytes() == (FOODS_DIR / "prices.csv").read_bytes(), \
        "re-run scripts/build_prices.py"


def test_every_food_has_a_dated_sourced_national_price(built: Path,
                                                       prices: list[dict[str, str]]) -> None:
    rows, problems = read_table(built, PRICE_COLUMNS)
    assert problems == []
    foods = {f["food_id"] for f in _rows(FOODS_DIR / "foods.csv")}
    assert {r["food_id"] for r in rows if r["department"] == NATIONAL} == foods
    assert {r["department"] for r in rows} <= {NATIONAL, *DEPARTMENTS}
    assert all(r["price_date"] <= date(2022, 1, 31) for r in rows)
    for p in prices:
        assert "World Food Programme – VAM" in p["source"] and "CC BY-IGO" in p["source"]
        assert p["period_start"] <= p["price_date"]
        if p["method"].startswith("estimado") or p["method"] == "derivado":
            assert p["source"].startswith("estimado"), p
    # Department rows only where a market series of that department exists.
    assert {p["method"] for p in prices if p["department"] == "Guatemala"} == {"wfp_mayoreo"}


def test_measured_factor_is_the_geometric_mean_of_same_month_pairs() -> None:
    latest = _rows(REF / "wfp_food_prices_gtm_latest.csv")

    def per_kg(market: str, commodity: str, unit: str) -> float:
        [r] = [r for r in latest if (r["market"], r["commodity"], r["unit"])
               == (market, commodity, unit)]
        assert r["latest_date"] == "2015-12-15" and r["n_obs_used"] == "12"
        return float(r["mean_last_12_obs_gtq_per_kg"])

    beans = per_kg("National Average", "Beans (black)", "Pound") / per_kg(
        "La Terminal", "Beans (black)", "45 KG")
    rice = per_kg("National Average", "Rice (ordinary, second quality)", "Pound") / per_kg(
        "La Terminal", "Rice (ordinary, second quality)", "45 KG")
    rows, _ = read_table(REF / "wfp_food_prices_gtm_latest.csv", [
        build_prices.Column(c) for c in ("market", "commodity", "unit", "pricetype")] + [
        build_prices.Column("latest_date", "date"), build_prices.Column("n_obs_used", "int"),
        build_prices.Column("mean_last_12_obs_gtq_per_kg", "float", required=False)])
    factor, pairs = build_prices.measure_factor(rows)
    assert len(pairs) == 2
    assert factor == pytest.approx(math.sqrt(beans * rice))
    assert factor == pytest.approx(1.670, abs=0.001)


def test_wholesale_price_recomputed_from_the_raw_observations(
        prices: list[dict[str, str]]) -> None:
    raw = [r for r in _rows(REF / "wfp_food_prices_gtm_2019_2022.csv")
           if r["commodity"].startswith("Beans (black") and r["unit_kg"]
           and r["date"] >= "2021-02-15"]
    factor = 1.6697
    expected = statistics.mean(float(r["price_gtq_per_kg"]) for r in raw) * factor * LIBRA / 1000
    row = _price(prices, "frijol_negro", "libra")
    assert float(row["price_q"]) == pytest.approx(expected, rel=0.002)
    assert (row["period_start"], row["price_date"], row["n_obs"]) == (
        "2021-02-15", "2022-01-15", str(len(raw)))
    assert _price(prices, "frijol_negro", "libra", "Guatemala")["price_q"] == row["price_q"]


def test_units_give_one_cost_per_gram_per_food(prices: list[dict[str, str]]) -> None:
    per_gram: dict[tuple[str, str], list[float]] = defaultdict(list)
    for p in prices:
        grams = float(p["unit_grams"])
        if p["purchase_unit"] == "libra":
            assert grams == LIBRA
        per_gram[(p["food_id"], p["department"])].append(float(p["price_q"]) / grams)
    for key, values in per_gram.items():
        assert max(values) == pytest.approx(min(values), rel=0.03, abs=2e-5), key
    assert float(_price(prices, "leche_fluida", "litro")["unit_grams"]) == 1030.0
    assert float(_price(prices, "aceite_vegetal", "litro")["unit_grams"]) == 920.0
    eggs = float(_price(prices, "huevo_gallina", "docena")["price_q"])
    assert eggs == pytest.approx(12 * float(_price(prices, "huevo_gallina", "unidad")
                                            ["price_q"]), abs=0.05)


def test_cooked_food_is_bought_as_its_dry_base(prices: list[dict[str, str]]) -> None:
    [cooked] = [p for p in prices if p["food_id"] == "frijol_negro_cocido"]
    dry = _price(prices, "frijol_negro", "libra")
    assert cooked["purchase_unit"].startswith("libra de frijol negro (rinde")
    assert cooked["price_q"] == dry["price_q"]
    # INCAP protein: 22.70 g dry, 5.84 g cooked -> one libra of dry beans yields 1763 g.
    assert float(cooked["unit_grams"]) == pytest.approx(LIBRA * 22.70 / 5.84, abs=0.1)
    assert cooked["method"] == "derivado"


def test_prices_are_plausible_for_guatemala(prices: list[dict[str, str]]) -> None:
    assert 5.0 <= float(_price(prices, "frijol_negro", "libra")["price_q"]) <= 9.0
    assert 4.0 <= float(_price(prices, "arroz_blanco", "libra")["price_q"]) <= 7.0
    assert 1.0 <= float(_price(prices, "huevo_gallina", "unidad")["price_q"]) <= 1.5
    assert 0.25 <= float(_price(prices, "tortilla_maiz", "unidad")["price_q"]) <= 0.50
    assert 12.0 <= float(_price(prices, "pollo_entero", "libra")["price_q"]) <= 20.0


def test_cpi_file_rescales_to_the_reference_date(tmp_path: Path,
                                                 prices: list[dict[str, str]]) -> None:
    cpi = tmp_path / "ipc.csv"
    cpi.write_text("date,index\n2015-01-01,100\n2019-12-01,110\n2021-01-01,120\n"
                   "2022-01-01,125\n2024-01-01,150\n", encoding="utf-8")
    out = tmp_path / "prices.csv"
    assert build_prices.main(["--out", str(out), "--cpi", str(cpi)]) == 0
    adj = _rows(out)
    beans, milk = (_price(adj, f, u) for f, u in (("frijol_negro", "libra"),
                                                   ("leche_fluida", "litro")))
    assert float(beans["price_q"]) == pytest.approx(
        float(_price(prices, "frijol_negro", "libra")["price_q"]) * 150 / 125, abs=0.01)
    assert float(milk["price_q"]) == pytest.approx(
        float(_price(prices, "leche_fluida", "litro")["price_q"]) * 150 / 100, abs=0.01)
    assert beans["cpi_adjusted_to"] == "2024-01-01"
    assert beans["price_date"] == "2022-01-15"
    assert "ajustado por IPC (ipc.csv)" in beans["source"]


def test_cpi_that_does_not_cover_a_price_date_fails(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    cpi = tmp_path / "ipc.csv"
    cpi.write_text("date,index\n2020-01-01,100\n2024-01-01,130\n", encoding="utf-8")
    out = tmp_path / "prices.csv"
    assert build_prices.main(["--out", str(out), "--cpi", str(cpi)]) == 1
    assert "el IPC no cubre" in capsys.readouterr().err
    assert not out.exists()
