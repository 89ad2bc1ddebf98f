"""The least-cost diet core: Stigler's published optimum, hand-solved problems, diagnosis."""

from __future__ import annotations

import csv
from pathlib import Path

import pulp
import pytest

from menu_planner.diet import (
    DietFood,
    DietInfeasible,
    DietProblem,
    DietSolution,
    Requirement,
    SolverError,
    read_diet_problem,
    solve_diet,
)

DIET = Path(__file__).parent / "fixtures" / "diet"
STIGLER_FOODS = DIET / "stigler_foods.csv"
STIGLER_REQS = DIET / "stigler_requirements.csv"

# The exact LP optimum of Stigler's table, dollars per year per food (GLPK / OR-Tools).
STIGLER_ANNUAL = {
    "wheat_flour_enriched": 10.7745,
    "liver_beef": 0.6908,
    "cabbage": 4.0933,
    "spinach": 1.8278,
    "navy_beans_dried": 22.2754,
}


def solved(problem: DietProblem, solver: object | None = None) -> DietSolution:
    result = solve_diet(problem, solver)
    assert isinstance(result, DietSolution), result
    return result


@pytest.fixture(scope="module")
def stigler() -> DietProblem:
    return read_diet_problem(STIGLER_FOODS, STIGLER_REQS)


def test_stigler_table_has_77_foods_and_9_nutrients(stigler: DietProblem) -> None:
    assert len(stigler.foods) == 77
    assert len(stigler.requirements) == 9
    assert all(f.cost == 1.0 for f in stigler.foods)  # one unit = one dollar's worth


def test_stigler_optimum_is_39_6617_dollars_a_year(stigler: DietProblem) -> None:
    result = solved(stigler)
    assert result.status == "optimal"
    assert result.total_cost == pytest.approx(0.1086623, abs=5e-8)
    assert round(result.total_cost * 365, 4) == 39.6617
    # Below Stigler's own 1945 estimate ($39.93) and the 1947 hand simplex ($39.69).
    assert result.total_cost * 365 < 39.69 < 39.93


def test_stigler_diet_buys_flour_liver_cabbage_spinach_and_navy_beans(
    stigler: DietProblem,
) -> None:
    result = solved(stigler)
    assert set(result.quantities) == set(STIGLER_ANNUAL)
    for food, dollars in STIGLER_ANNUAL.items():
        assert result.quantities[food] * 365 == pytest.approx(dollars, abs=1e-4)


def test_stigler_binding_requirements_price_the_whole_diet(stigler: DietProblem) -> None:
    result = solved(stigler)
    binding = {b.nutrient for b in result.binding}
    assert binding == {"calories_1000kcal", "calcium_g", "vitamin_a_1000iu",
                       "riboflavin_mg", "ascorbic_acid_mg"}
    assert all(b.side == "min" and b.shadow_price > 0 for b in result.binding)
    # Strong duality: the requirements priced at their shadow prices cost the diet.
    limits = {r.nutrient: r.min for r in stigler.requirements}
    priced = sum(p * (limits[n] or 0.0) for n, p in result.shadow_prices.items())
    assert priced == pytest.approx(result.total_cost, rel=1e-7)
    assert result.shadow_prices["protein_g"] == 0.0
    assert result.nutrients["protein_g"] > 70  # met with room to spare


def test_stigler_with_cbc_gives_the_same_optimum(stigler: DietProblem) -> None:
    result = solved(stigler, pulp.PULP_CBC_CMD(msg=False))
    assert result.total_cost == pytest.approx(0.1086623, abs=5e-8)
    assert set(result.quantities) == set(STIGLER_ANNUAL)
    assert result.shadow_prices["calcium_g"] == pytest.approx(0.0317377, abs=1e-6)


def test_stigler_optimum_ignores_cells_where_transcriptions_differ(
    stigler: DietProblem, tmp_path: Path
) -> None:
    other = {  # OR-Tools' tutorial values where they differ from GLPK's
        ("white_bread_enriched", "calories_1000kcal"): "15.0",
        ("leg_of_lamb", "riboflavin_mg"): "3.9",
        ("pork_chops", "iron_mg"): "30",
        ("oranges", "ascorbic_acid_mg"): "1998",
    }
    with STIGLER_FOODS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for (food, column), value in other.items():
        row = next(r for r in rows if r["food_id"] == food)
        assert row[column] != value
        row[column] = value
    path = tmp_path / "foods.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = solved(read_diet_problem(path, STIGLER_REQS))
    assert round(result.total_cost * 365, 4) == 39.6617


def test_two_food_problem_solved_by_hand() -> None:
    result = solved(read_diet_problem(DIET / "hand_foods.csv", DIET / "hand_requirements.csv"))
    assert result.total_cost == pytest.approx(7.2, abs=1e-9)
    assert result.quantities == pytest.approx({"a": 1.2, "b": 1.6}, abs=1e-9)
    assert result.shadow_prices == pytest.approx({"protein_g": 0.3, "energy_kcal": 0.8},
                                                 abs=1e-9)
    assert {(b.nutrient, b.side) for b in result.binding} == {("protein_g", "min"),
                                                              ("energy_kcal", "min")}


def test_a_unit_limit_moves_the_diet_and_frees_a_requirement() -> None:
    # A capped at 1 unit: 4 + 2b >= 8 needs b = 2 (cost 8); energy 1 + 6 = 7 > 6 is slack.
    foods = (DietFood("a", 2, {"protein_g": 4, "energy_kcal": 1}, max_units=1),
             DietFood("b", 3, {"protein_g": 2, "energy_kcal": 3}))
    reqs = (Requirement("protein_g", 8, None), Requirement("energy_kcal", 6, None))
    result = solved(DietProblem(foods, reqs))
    assert result.total_cost == pytest.approx(8.0, abs=1e-9)
    assert result.quantities == pytest.approx({"a": 1.0, "b": 2.0}, abs=1e-9)
    assert [b.nutrient for b in result.binding] == ["protein_g"]
    assert result.shadow_prices == pytest.approx({"protein_g": 1.5, "energy_kcal": 0.0},
                                                 abs=1e-9)


def test_a_binding_maximum_has_a_negative_shadow_price() -> None:
    # min a + 2b with 10a + 10b >= 100 and 5a + b <= 30: a = b = 5, cost 15.
    # Duals: 10y1 + 5y2 = 1, 10y1 + y2 = 2 -> y1 = 0.225, y2 = -0.25.
    foods = (DietFood("a", 1, {"energy_kcal": 10, "sodium_mg": 5}),
             DietFood("b", 2, {"energy_kcal": 10, "sodium_mg": 1}))
    reqs = (Requirement("energy_kcal", 100, None), Requirement("sodium_mg", None, 30))
    result = solved(DietProblem(foods, reqs))
    assert result.total_cost == pytest.approx(15.0, abs=1e-9)
    assert result.quantities == pytest.approx({"a": 5.0, "b": 5.0}, abs=1e-9)
    assert result.shadow_prices == pytest.approx({"energy_kcal": 0.225, "sodium_mg": -0.25},
                                                 abs=1e-9)
    assert ("sodium_mg", "max") in {(b.nutrient, b.side) for b in result.binding}


def test_infeasible_problem_names_each_shortfall_and_the_closest_diet() -> None:
    result = solve_diet(read_diet_problem(DIET / "infeasible_foods.csv",
                                          DIET / "infeasible_requirements.csv"))
    assert isinstance(result, DietInfeasible)
    misses = {(v.nutrient, v.side): v for v in result.violations}
    assert set(misses) == {("protein_g", "min"), ("vitamin_c_mg", "min")}
    assert misses[("protein_g", "min")].amount == pytest.approx(5.0, abs=1e-9)
    assert misses[("protein_g", "min")].achieved == pytest.approx(5.0, abs=1e-9)
    assert misses[("vitamin_c_mg", "min")].amount == pytest.approx(5.0, abs=1e-9)
    assert result.nearest_quantities == pytest.approx({"a": 1.0, "b": 0.5}, abs=1e-9)
    assert result.nearest_cost == pytest.approx(2.0, abs=1e-9)
    assert "protein_g: faltan 5" in result.message_es
    assert "vitamin_c_mg: faltan 5" in result.message_es
    data = result.as_json()
    assert data["status"] == "infeasible"
    assert data["violations"][0]["shortfall"] == pytest.approx(5.0, abs=1e-9)


def test_diagnosis_reports_an_excess_when_that_is_the_smaller_violation() -> None:
    # One food; three minimums need x >= 10, the sodium maximum needs x <= 5. Missing
    # three minimums by half (1.5) is worse than exceeding the maximum by 100% (1.0).
    foods = (DietFood("a", 1, {"energy": 1, "protein": 1, "fiber": 1, "sodium": 1}),)
    reqs = (Requirement("energy", 10, None), Requirement("protein", 10, None),
            Requirement("fiber", 10, None), Requirement("sodium", None, 5))
    result = solve_diet(DietProblem(foods, reqs))
    assert isinstance(result, DietInfeasible)
    assert [(v.nutrient, v.side) for v in result.violations] == [("sodium", "max")]
    assert result.violations[0].amount == pytest.approx(5.0, abs=1e-9)
    assert result.nearest_quantities == pytest.approx({"a": 10.0}, abs=1e-9)
    assert "sodium: sobran 5" in result.message_es
    assert result.as_json()["violations"][0]["excess"] == pytest.approx(5.0, abs=1e-9)


def test_a_solver_stopped_early_is_never_reported_optimal(stigler: DietProblem) -> None:
    # PuLP maps HiGHS' iteration and time limits to "Optimal"; we read HiGHS' own status.
    stopped = pulp.HiGHS(msg=False, simplex_iteration_limit=0, presolve="off")
    with pytest.raises(SolverError, match="sin una solución óptima"):
        solve_diet(stigler, stopped)


def test_optimal_json_lists_only_foods_bought() -> None:
    foods = (DietFood("cheap", 1, {"n": 1}), DietFood("dear", 5, {"n": 1}))
    result = solved(DietProblem(foods, (Requirement("n", 3, 10),)))
    data = result.as_json()
    assert data["status"] == "optimal"
    assert data["total_cost"] == pytest.approx(3.0, abs=1e-9)
    assert data["quantities"] == pytest.approx({"cheap": 3.0}, abs=1e-9)
    assert data["binding"][0]["bound"] == "min"


def test_diet_core_imports_no_cli_or_spreadsheet_code() -> None:
    import subprocess
    import sys

    code = ("import sys, menu_planner.diet; "
            "print(sorted(m for m in ('typer', 'openpyxl', 'fastapi', 'sqlmodel') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
