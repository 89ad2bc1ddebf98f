"""One object per rule family: each writes itself into every model through the same
primitives, and the same objects check a cycle (issue 12 §3).

- `Families.write` sends each family to its primitive (a recording model shows which);
- the per-dish MILP, the aggregated master LP, the per-day integer master and the week
  set program each get the rows of every family from that one call;
- a planned cycle passes the family check; a cycle broken on purpose fails it, rule by
  rule, in Spanish.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from fixtures.optimizer.builders import DishSpec, build, group, line, target

from menu_planner.optimizer import PlanRequest, VarietyRules, plan_cycle
from menu_planner.optimizer.colgen import Clock, ColumnGeneration
from menu_planner.optimizer.compact_milp import build_compact_model
from menu_planner.optimizer.engine import Engine
from menu_planner.optimizer.families import (
    DistinctDays,
    NoConsecutive,
    WeeklyTarget,
    WeeksDiffer,
    build_families,
)
from menu_planner.optimizer.family_check import family_problems
from menu_planner.optimizer.features import Mode, layout
from menu_planner.optimizer.instance import Instance, build_instance
from menu_planner.optimizer.master_ip import _Builder
from menu_planner.optimizer.pricing import Pricer
from menu_planner.optimizer.rules import VarietyRule
from menu_planner.optimizer.week_master import _WeekSet
from menu_planner.quality.standard import QualityRule, QualityStandard

RULES = VarietyRules((
    VarietyRule("p", "max_per_week", "component", "plato_principal", 2),
    VarietyRule("p", "no_consecutive_days", "component", "plato_principal"),
    VarietyRule("p", "weeks_differ", "component", "plato_principal", 1),
))


def _quality() -> QualityStandard:
    def r(kind: str, subject: str = "", value: float = 0.0, grams: float = 0.0
          ) -> QualityRule:
        return QualityRule("p", (), kind, subject, value, grams, "prueba")

    return QualityStandard((r("distinct_days"), r("group_days_per_week", "carnes", 1, 20)),
                           "prueba")


def _instance() -> tuple[object, PlanRequest, Instance]:
    """Six lunch mains (two of them meat), two weeks of three days, every family."""
    mains = [DishSpec(f"m{i}", "plato_principal", "almuerzo", 1.0 + 0.1 * i,
                      {"energy_kcal": 200.0}, food_group="carnes" if i >= 4 else "leguminosas")
             for i in range(6)]
    ds = build(mains, [group("g", 0.5, 2.0)], [line("almuerzo", "plato_principal")],
               [target("g", "energy_kcal", lo=190, basis="week")], days_per_week=3)
    req = PlanRequest("p", weeks=2, rules=RULES, quality=_quality(), gap=0.0,
                      time_limit_s=60, diagnose=False, price_targets=False)
    return ds, req, build_instance(ds, req)  # type: ignore[arg-type]


class Recorder:
    """A model that records which primitive each family asks for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def target(self, rule: WeeklyTarget) -> None:
        self.calls.append(("target", rule.row.name))

    def count(self, name: str, features: tuple[int, ...], period: str, lb: float,
              ub: float, label_es: str) -> None:
        self.calls.append(("count", f"{name}:{period}:{lb:g}:{ub:g}"))

    def consecutive(self, rule: NoConsecutive) -> None:
        self.calls.append(("consecutive", rule.name))

    def weeks_differ(self, rule: WeeksDiffer) -> None:
        self.calls.append(("weeks_differ", rule.name))

    def distinct(self, rule: DistinctDays) -> None:
        self.calls.append(("distinct", str(rule.groups)))

    def variety(self) -> None:
        self.calls.append(("variety", ""))


def test_each_family_goes_to_its_primitive():
    _, _, inst = _instance()
    fam = build_families(inst, layout(inst))
    rec = Recorder()
    fam.write(rec, Mode.VARIETY)
    kinds = [k for k, _ in rec.calls]
    assert kinds.count("target") == 1
    assert kinds.count("consecutive") == 6 and kinds.count("weeks_differ") == 1
    assert ("distinct", "(0,)") in rec.calls and kinds[-1] == "variety"
    counts = [c for k, c in rec.calls if k == "count"]
    # six weekly caps of 2 (one per main) and the weekly minimum of one meat day
    assert sum(c.endswith(":week:-inf:2") for c in counts) == 6
    assert sum(c.startswith("floor_") and c.endswith(":week:1:inf") for c in counts) == 1
    fam.write(rec := Recorder(), Mode.COST)
    assert ("variety", "") not in rec.calls


def test_every_model_gets_the_rows_of_every_family_from_one_call():
    _, _, inst = _instance()
    fe = layout(inst)
    fam = build_families(inst, fe)
    cap, floor, nc = fam.caps[0], fam.floors[0], fam.no_consecutive[0]
    compact = build_compact_model(inst)
    assert {f"{cap.name}_1", f"{cap.name}_2", f"{floor.name}_1",
            f"consecutive_{nc.name}_0"} <= set(compact.row_names)
    assert any(n.startswith("distinct_0_") for n in compact.row_names)
    engine = Engine(inst, Mode.COST, 1)
    res = engine.run(Clock(30.0), 0.0)
    assert res.menus is not None
    cg = ColumnGeneration(inst, fe, fam, Mode.COST, [Pricer(m) for m in engine.models],
                          Clock(10.0))  # the aggregated master: weekly rows summed
    lp_rows = set(cg.master.m.row_names)
    assert {cap.name, floor.name, nc.name} <= lp_rows
    pool = list(res.menus)
    ip = _Builder(inst, fe, fam, pool, list(range(len(pool))), Mode.COST, [1, 2], {}, {})
    ip_rows = set(ip.build().row_names)
    assert {f"{cap.name}_1", f"{floor.name}_2", "distinct_0"} & ip_rows
    assert any(n.startswith(f"consecutive_{nc.name}_") for n in ip_rows)
    assert any(n.startswith("weeks_differ_") for n in ip_rows)
    ws = _WeekSet(inst, fe, fam, pool, list(range(len(pool))), Mode.COST, [1, 2], {}, {})
    assert {f"{floor.name}_1", f"{floor.name}_2"} <= set(ws.m.row_names)


def test_a_planned_cycle_passes_the_family_check_and_a_broken_one_fails_it():
    ds, req, inst = _instance()
    res = plan_cycle(ds, req)  # type: ignore[arg-type]
    assert res.status == "optimal", res.warnings_es
    engine = Engine(inst, Mode.COST, 1)
    found = engine.run(Clock(30.0), 0.0)
    assert found.menus is not None and found.portions is not None
    fe, fam = engine.fe, engine.fam
    assert family_problems(inst, fe, fam, Mode.COST, found.menus, found.portions) == []
    # day 2 the same as day 1: the same menu twice, on consecutive days
    menus = list(found.menus)
    menus[1] = menus[0]
    portions = [dataclasses.replace(gp, portions=[gp.portions[0], gp.portions[0],
                                                  *gp.portions[2:]])
                for gp in found.portions]
    problems = family_problems(inst, fe, fam, Mode.COST, menus, portions)
    assert any("mismo menú" in p for p in problems)
    assert any("días 1 y 2" in p for p in problems)
    # half the portions: the weekly energy target fails, in words
    halved = [dataclasses.replace(gp, portions=[list(np.array(p) * 0.5) for p in gp.portions])
              for gp in found.portions]
    problems = family_problems(inst, fe, fam, Mode.COST, list(found.menus), halved)
    assert any("meta semanal de energía" in p.lower() for p in problems), problems
