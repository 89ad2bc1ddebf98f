"""`menu-planner plan` end to end: the cycle file read back and checked independently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from menu_planner.cli import app
from menu_planner.domain import Dataset, cycle_from_dict
from menu_planner.nutrition import COST, average, check_target, day_totals
from menu_planner.optimizer import PlanRequest, read_variety_rules, verify_cycle
from menu_planner.reference_data import SHIPPED_DATA, load_dataset

TINY_RULES = Path(__file__).parent / "fixtures" / "optimizer" / "tiny_rules.csv"
runner = CliRunner()


def plan(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["plan", *args])
    return result.exit_code, result.output


def check_cycle_file(ds: Dataset, path: Path, budget: float | None = None) -> dict:
    """Totals match a recomputation (1 %), every target and the budget hold."""
    data = json.loads(path.read_text(encoding="utf-8"))
    cycle = cycle_from_dict(data)
    program = ds.program(cycle.program)
    limit = budget if budget is not None else program.daily_budget_q
    assert cycle.weeks == 6 and len(cycle.days) == 6 * program.service_days_per_week
    for day in cycle.days:
        for g in cycle.age_groups:
            again = day_totals(ds, day, g, cycle.price_region)
            for key, value in day.totals[g].items():
                assert value == pytest.approx(again.values[key], rel=0.01, abs=1e-3)
            assert again.values[COST] <= limit + 1e-6
            for t in ds.targets_of(cycle.program, g):
                if t.basis == "day":
                    assert check_target(again, t).ok, (day.week, day.weekday, g, t)
    for w in range(1, cycle.weeks + 1):
        for g in cycle.age_groups:
            avg = average(day_totals(ds, d, g, cycle.price_region)
                          for d in cycle.days_of_week(w))
            for t in ds.targets_of(cycle.program, g):
                if t.basis == "week":
                    assert check_target(avg, t).ok, (w, g, t)
    for key in ("status", "cost_q", "lower_bound", "gap", "solve_seconds", "solver",
                "settings", "target_prices"):
        assert key in data
    assert data["lower_bound"] <= data["cost_q"] + 1e-9
    return data


def test_plan_on_the_tiny_data_writes_a_cycle_that_checks_out(tiny_dir, tiny, tmp_path):
    out, xlsx = tmp_path / "ciclo.json", tmp_path / "ciclo.xlsx"
    code, output = plan("--program", "cadi", "--data", str(tiny_dir), "--rules",
                        str(TINY_RULES), "--out", str(out), "--xlsx", str(xlsx))
    assert code == 0, output
    assert "Costo medio" in output and "Escrito" in output
    data = check_cycle_file(tiny, out)
    assert data["status"] in ("optimal", "gap_reached")
    assert xlsx.stat().st_size > 0
    rules = read_variety_rules(TINY_RULES)
    assert verify_cycle(tiny, cycle_from_dict(data), PlanRequest("cadi", rules=rules)) == []


def test_the_variety_objective_reports_its_score_not_quetzales(tiny_dir, tmp_path):
    out = tmp_path / "ciclo.json"
    code, output = plan("--program", "cadi", "--data", str(tiny_dir), "--rules",
                        str(TINY_RULES), "--objective", "variety", "--out", str(out))
    assert code == 0, output
    data = json.loads(out.read_text(encoding="utf-8"))
    line = next(x for x in output.splitlines() if x.startswith("Costo medio"))
    assert f"Q{data['cost_q']:.2f} por persona" in line
    assert f"puntaje de aceptación y variedad {-data['objective_value']:.2f}" in line
    assert f"cota superior {-data['lower_bound']:.2f}" in line and "cota inferior" not in line


def test_pins_and_exclusions_from_the_command_line_are_honored(tiny_dir, tmp_path):
    out = tmp_path / "ciclo.json"
    code, output = plan("--program", "cadi", "--data", str(tiny_dir), "--rules",
                        str(TINY_RULES), "--weeks", "2", "--out", str(out),
                        "--pin", "pollo_guisado:2:3:almuerzo",
                        "--exclude", "naranja_fruta", "--exclude", "arroz_con_leche:1")
    assert code == 0, output
    data = json.loads(out.read_text(encoding="utf-8"))
    served = {(d["week"], d["weekday"], m["slot"], i["recipe_id"]) for d in data["days"]
              for m in d["meals"] for i in m["items"]}
    assert (2, 3, "almuerzo", "pollo_guisado") in served
    assert not any(r == "naranja_fruta" for *_, r in served)
    assert not any(r == "arroz_con_leche" and w == 1 for w, _, _, r in served)


def test_plan_with_no_possible_cycle_exits_2_with_the_diagnosis(tiny_dir, tmp_path):
    out = tmp_path / "informe.json"
    code, output = plan("--program", "cadi", "--data", str(tiny_dir), "--out", str(out))
    assert code == 2
    assert "No existe un ciclo" in output and "plato principal" in output
    assert "plato_principal" not in output  # words, not codes
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["status"] == "infeasible"
    assert report["diagnosis"]["problems_es"]


def test_plan_with_too_small_a_budget_reports_the_least_budget(tiny_dir, tmp_path):
    out = tmp_path / "informe.json"
    code, output = plan("--program", "cadi", "--data", str(tiny_dir), "--rules",
                        str(TINY_RULES), "--weeks", "1", "--budget", "1",
                        "--out", str(out))
    assert code == 2
    assert "Presupuesto mínimo" in output
    diagnosis = json.loads(out.read_text(encoding="utf-8"))["diagnosis"]
    assert diagnosis["least_budget_q"] > 1.0
    assert diagnosis["least_budget_bound_q"] <= diagnosis["least_budget_q"]
    assert "no alcanza ni para servir un día" in output


def test_bad_options_are_refused_in_spanish(tiny_dir):
    code, output = plan("--program", "cadi", "--data", str(tiny_dir), "--pin", "x:1")
    assert code == 1 and "RECETA:SEMANA:DÍA:TIEMPO" in output


@pytest.mark.slow
@pytest.mark.parametrize("program", ["cadi", "mad"])
def test_plan_on_the_shipped_data_writes_a_cycle_that_checks_out(program, tmp_path):
    out = tmp_path / "ciclo.json"
    code, output = plan("--program", program, "--out", str(out), "--time-limit", "120",
                        "--gap", "0.02")
    assert code == 0, output
    ds = load_dataset(None)
    data = check_cycle_file(ds, out)
    rules = read_variety_rules(SHIPPED_DATA / "menus" / "variety_rules.csv")
    assert verify_cycle(ds, cycle_from_dict(data), PlanRequest(program, rules=rules)) == []
    # the default keeps the nutritionist's standard (data/menus/quality_rules.csv)
    assert data["quality"]["passed"], data["quality"]["summary_es"]
    assert data["quality"]["rules_failed"] == 0
