"""Benchmark: purchase lists for every week of a 6-week cycle at growing numbers of centers.

Prints figures; asserts nothing. Run from the repository root:

    .venv/bin/python bench/procurement.py
    .venv/bin/python bench/procurement.py --data data --cycle cycle.json --sizes 700 35000

Centers are generated (deterministic random enrollment and attendance, spread over the
22 departments). Without --cycle, the shipped data is used with the first cycle found in
data/cycles/ if any; otherwise the tiny test dataset and its hand-made 6-week cycle.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from menu_planner.centers import enrolled_column, load_centers
from menu_planner.domain import (
    DEPARTMENTS,
    Center,
    Dataset,
    Meal,
    MenuCycle,
    MenuDay,
    MenuItem,
    cycle_from_dict,
)
from menu_planner.procurement import (
    PurchaseSettings,
    Weekdays,
    WeekPurchases,
    cycle_purchase_lists,
    load_purchase_settings,
    planned_food_q,
)
from menu_planner.procurement.formats import purchases_frame, purchases_to_dict
from menu_planner.reference_data import SHIPPED_DATA, load_dataset

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"
SIZES = (700, 3_500, 7_000, 35_000)
T = TypeVar("T")


def machine() -> list[str]:
    """CPU, cores, RAM, Python and library versions."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                      if x.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram = "?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [f"CPU: {cpu}", f"cores usable: {cores}", f"RAM: {ram}",
            f"Python {platform.python_version()}, numpy {np.__version__}, "
            f"pandas {pd.__version__}"]


def pick_inputs(data: Path | None, cycle: Path | None) -> list[tuple[Dataset, MenuCycle, str]]:
    """The (dataset, cycle, description) pairs to time."""
    if cycle is not None:
        return [(load_dataset(data), _read(cycle), f"data {data or SHIPPED_DATA}, {cycle}")]
    out = [(load_dataset(TINY), _read(TINY / "cycle_cadi.json"),
            "tiny test dataset, hand-made 6-week cadi cycle")]
    try:
        shipped = load_dataset(data)
    except Exception as exc:  # report it and time the fixture only
        print(f"(shipped data not usable: {str(exc).splitlines()[0]})")
        return out
    found = sorted((SHIPPED_DATA / "cycles").glob("*.json")) if data is None else []
    if found:
        out.append((shipped, _read(found[0]), f"shipped data, cycle {found[0].name}"))
    else:
        out.append((shipped, synthetic_cycle(shipped, "cadi"),
                    "shipped data, synthetic 6-week cadi cycle (random dishes per pattern)"))
    return out


def synthetic_cycle(ds: Dataset, program: str, weeks: int = 6, seed: int = 7) -> MenuCycle:
    """A 6-week cycle that follows the program's meal pattern with random dishes (no
    nutrient targets): realistic in size and food count, for timing only."""
    rng = np.random.default_rng(seed)
    groups = ds.age_groups_of(program)
    prog = ds.program(program)
    days = []
    for w in range(1, weeks + 1):
        for d in range(1, prog.service_days_per_week + 1):
            meals = []
            for slot in ds.slots_of(program):
                items = []
                for comp in (c for c in ds.pattern_of(program) if c.slot == slot):
                    pool = [r for r in ds.recipes_of(program)
                            if r.component == comp.component and slot in r.slots]
                    k = min(len(pool), max(comp.min_items, 1))
                    for i in rng.choice(len(pool), size=k, replace=False) if pool else []:
                        r = pool[int(i)]
                        items.append(MenuItem(r.recipe_id, {
                            g.age_group: (g.portion_max if r.suits(g) else 0.0)
                            for g in groups}))
                meals.append(Meal(slot, tuple(items)))
            days.append(MenuDay(w, d, tuple(meals)))
    return MenuCycle(program, weeks, prog.service_days_per_week, prog.daily_budget_q,
                     "Nacional", tuple(g.age_group for g in groups), tuple(days))


def _read(path: Path) -> MenuCycle:
    return cycle_from_dict(json.loads(path.read_text(encoding="utf-8")), source=path.name)


def make_centers(n: int, ds: Dataset, cycle: MenuCycle,
                 seed: int = 20260301) -> tuple[list[Center], dict[str, float]]:
    """`n` centers of the cycle's program with random enrollment (0-20 per age group) and
    attendance (0.70-0.98), departments in turn."""
    rng = np.random.default_rng(seed)
    groups = cycle.age_groups
    counts = rng.integers(0, 21, size=(n, len(groups)))
    att = np.round(rng.uniform(0.70, 0.98, size=n), 2)
    centers = [
        Center(f"{1000 + i}-{i % 97:02d}", f"Centro {i}", cycle.program, "CADI",
               DEPARTMENTS[i % len(DEPARTMENTS)], "Municipio",
               {g: int(counts[i, k]) for k, g in enumerate(groups)})
        for i in range(n)
    ]
    return centers, {c.center_id: float(a) for c, a in zip(centers, att, strict=True)}


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, float, T]:
    """Best wall time and best process CPU time of `repeat` runs, and the last result.
    CPU time is less disturbed by other work on a shared machine."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best_wall, best_cpu, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path)
    ap.add_argument("--cycle", type=Path)
    ap.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    args = ap.parse_args()
    print("\n".join(machine()))
    settings = load_purchase_settings(args.data)
    inputs = pick_inputs(args.data, args.cycle)
    for ds, cycle, what in inputs:
        n_foods = len({i.food_id for d in cycle.days for m in d.meals for it in m.items
                       for i in ds.recipes[it.recipe_id].ingredients})
        print(f"\ninputs: {what}; {len({d.week for d in cycle.days})} weeks, "
              f"{len(cycle.days)} days, {n_foods} foods")
        all_weeks: list[tuple[int, Weekdays]] = [
            (w, None) for w in sorted({d.week for d in cycle.days})]
        print("all weeks of the cycle, best of 3 (2 at 35,000); CPU = process time;\n"
              "'totals' = planned_food_q (weeks streamed, only totals kept, as caja chica)")
        print(f"{'centers':>8} {'wall (s)':>10} {'CPU (s)':>9} {'CPU/center µs':>15} "
              f"{'lines':>11} {'totals (s)':>12} {'tot. CPU µs':>13}")
        for n in args.sizes:
            centers, att = make_centers(n, ds, cycle)
            run = partial(cycle_purchase_lists, ds, cycle, centers, settings=settings,
                          attendance=att)
            wall, cpu, res = timed(run, 3 if n <= 7_000 else 2)
            lines = sum(int(w.line_mask().sum()) for w in res)
            del res
            totals = partial(planned_food_q, ds, cycle, centers, all_weeks, settings=settings,
                             attendance=att)
            t_wall, t_cpu, _ = timed(totals, 3 if n <= 7_000 else 2)
            print(f"{n:>8,} {wall:>10.3f} {cpu:>9.3f} {cpu / n * 1e6:>15.1f} {lines:>11,}"
                  f" {t_wall:>12.3f} {t_cpu / n * 1e6:>13.1f}")
    ds, cycle, _ = inputs[-1]
    outputs(ds, cycle, settings)


def outputs(ds: Dataset, cycle: MenuCycle, settings: PurchaseSettings) -> None:
    """Time what surrounds the core: reading a centers file, writing JSON and CSV."""
    print("\nsurroundings (one week unless said):")
    for n in (700, 35_000):
        centers, att = make_centers(n, ds, cycle)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "centers.csv"
            pd.DataFrame([{"center_id": c.center_id, "name": c.name, "program": c.program,
                           "center_type": c.center_type, "department": c.department,
                           "municipality": c.municipality,
                           **{enrolled_column(g): v for g, v in c.enrolled.items()}}
                          for c in centers]).to_csv(path, index=False)
            secs, _, _ = timed(partial(load_centers, path, ds), 1)
        print(f"  load_centers, {n:,} rows: {secs:.3f} s")
        week = cycle_purchase_lists(ds, cycle, centers, settings=settings, attendance=att)[0]
        secs, _, _ = timed(partial(_json_text, week), 1)
        print(f"  JSON document, {n:,} centers: {secs:.3f} s")
        secs, _, _ = timed(partial(_csv_text, week), 1)
        print(f"  CSV rows, {n:,} centers: {secs:.3f} s")



def _json_text(week: WeekPurchases) -> str:
    return json.dumps(purchases_to_dict(week), ensure_ascii=False)


def _csv_text(week: WeekPurchases) -> str | None:
    return purchases_frame(week).to_csv(index=False)


if __name__ == "__main__":
    main()
