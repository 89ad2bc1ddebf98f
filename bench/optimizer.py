"""Benchmark of the menu-cycle optimizer (prints figures; asserts nothing).

For the shipped cadi data and for a generated instance of 160 dishes (built from the
shipped foods and prices, with the shipped targets and meal pattern), it measures the
time `plan_cycle` takes to return a cycle within 1 % of its proven lower bound (median of
5 runs), then solves the straightforward per-dish MILP (one binary per dish per slot per
day, through PuLP and HiGHS) to the same gap with the same time cap, in a separate
process, and prints the ratio.

    .venv/bin/python bench/optimizer.py [--cap 60] [--runs 5] [--gap 0.01]
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from menu_planner.domain import Dataset, Ingredient, Recipe
from menu_planner.optimizer import (
    PlanRequest,
    PlanResult,
    load_variety_rules,
    plan_cycle,
)
from menu_planner.reference_data import load_dataset

# What a generated dish of each component is made of: (food groups, grams) per part.
PARTS: dict[str, list[tuple[tuple[str, ...], tuple[int, int]]]] = {
    "bebida": [(("lacteos_huevos", "cereales"), (20, 200)), (("azucares",), (0, 10))],
    "plato_principal": [(("leguminosas", "carnes", "lacteos_huevos"), (50, 110)),
                        (("verduras",), (20, 60)), (("grasas",), (2, 6))],
    "acompanamiento": [(("cereales", "verduras"), (40, 120)), (("grasas",), (0, 4))],
    "cereal": [(("cereales",), (30, 70))],
    "fruta": [(("frutas",), (60, 140))],
    "refaccion": [(("cereales", "lacteos_huevos", "frutas"), (30, 90)),
                  (("grasas", "azucares"), (0, 8))],
}


def machine() -> list[str]:
    """CPU model, cores, RAM, Python and solver versions."""
    import highspy
    import pulp

    cpu = platform.processor() or "?"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return [f"CPU: {cpu}; núcleos: {os.cpu_count()} (utilizables: {usable}); RAM: {ram}",
            f"Python {platform.python_version()} ({platform.system()} {platform.release()})",
            f"HiGHS {highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}."
            f"{highspy.HIGHS_VERSION_PATCH} (highspy), PuLP {pulp.__version__}, "
            f"numpy {np.__version__}",
            f"Referencia de velocidad (antes de medir): {speed_probe():.3f} s por 10 millones "
            f"de sumas en Python (menos es más rápido; mediana de 3)"]


def speed_probe() -> float:
    """Seconds for a fixed pure-Python loop (median of 3). Virtual machines here change
    speed over time (measured: the same code and script 4.40 s, and 40 minutes later
    5.90 s); printing this beside the figures lets runs at different moments be
    compared."""
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def generated_dataset(base: Dataset, n_dishes: int = 160, seed: int = 2024) -> Dataset:
    """`base` with its recipes replaced by `n_dishes` random ones for cadi (and mad)."""
    rng = np.random.default_rng(seed)
    unsafe = {"sodium_mg", "fat_g", "energy_kcal"}
    foods: dict[str, list[str]] = {}
    for f in sorted(base.foods.values(), key=lambda f: f.food_id):
        if all(f.nutrients.get(n) is not None for n in unsafe):
            foods.setdefault(f.food_group, []).append(f.food_id)
    slots: dict[str, list[str]] = {}
    for line in base.pattern_of("cadi"):
        slots.setdefault(line.component, []).append(line.slot)
    components = sorted(PARTS)
    recipes = {}
    for i in range(n_dishes):
        comp = components[i % len(components)]
        ingredients: dict[str, float] = {}
        for groups, (lo, hi) in PARTS[comp]:
            grams = float(rng.integers(lo, hi + 1))
            choices = [f for g in groups for f in foods.get(g, [])]
            if grams > 0 and choices:
                fid = choices[int(rng.integers(len(choices)))]
                ingredients[fid] = ingredients.get(fid, 0.0) + grams
        options = slots.get(comp, ["almuerzo"])
        chosen = sorted({options[int(k)] for k in rng.integers(0, len(options),
                                                                 size=int(rng.integers(1, 3)))})
        tags = {"apto_adulto_mayor"} if rng.random() < 0.85 else set()
        if rng.random() < 0.3:
            tags.add("apto_6_11m")
        rid = f"gen_{comp}_{i:03d}"
        recipes[rid] = Recipe(rid, rid, comp, tuple(chosen), ("cadi", "mad"),
                              tuple(Ingredient(f, g) for f, g in sorted(ingredients.items())),
                              frozenset(tags), float(np.round(rng.uniform(0.4, 1.0), 2)))
    return dataclasses.replace(base, recipes=recipes)


def time_plan(ds: Dataset, request: PlanRequest, runs: int) -> list[tuple[float, PlanResult]]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        res = plan_cycle(ds, request)
        out.append((time.perf_counter() - t0, res))
    return out


CompactFigures = tuple[float, str, float | None, float | None, float | None, int, int, float,
                       int]


def _compact_worker(args: tuple[str, str, int, float, float, int],
                    queue: mp.Queue) -> None:  # type: ignore[type-arg]
    kind, program, weeks, cap, gap, threads = args
    from menu_planner.optimizer.compact_milp import solve_compact_pulp
    from menu_planner.optimizer.instance import build_instance

    base = load_dataset(None)
    ds = generated_dataset(base) if kind == "generado" else base
    inst = build_instance(ds, PlanRequest(program, weeks=weeks,
                                          rules=load_variety_rules(None)))
    t0 = time.perf_counter()
    res = solve_compact_pulp(inst, cap, gap, threads)
    queue.put((time.perf_counter() - t0, res.status, res.objective, res.bound, res.gap,
               res.n_vars, res.n_rows, res.build_seconds, inst.n_days))


def time_compact(kind: str, program: str, cap: float, gap: float,
                 threads: int) -> CompactFigures:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_compact_worker, args=((kind, program, 6, cap, gap, threads),
                                                     queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result  # type: ignore[no-any-return]


def report(kind: str, ds: Dataset, program: str, args: argparse.Namespace) -> None:
    rules = load_variety_rules(None)
    request = PlanRequest(program, rules=rules, gap=args.gap, time_limit_s=args.cap,
                          threads=args.threads, price_targets=False, diagnose=False)
    runs = time_plan(ds, request, args.runs)
    times = [t for t, _ in runs]
    print(f"\n== {kind}: {program}, {len(ds.recipes_of(program))} platos del programa ==")
    for i, (t, r) in enumerate(runs, 1):
        print(f"  corrida {i}: {t:6.2f} s  estado {r.status:12s} costo {r.cost_q}  cota "
              f"{r.lower_bound}  brecha {(r.gap or 0) * 100:.3f} %")
    median = statistics.median(times)
    reached = sum(1 for _, r in runs if r.gap is not None and r.gap <= args.gap)
    print(f"  descomposición: mediana {median:.2f} s (min {min(times):.2f}, max "
          f"{max(times):.2f}); {reached}/{len(runs)} corridas dentro de "
          f"{args.gap:.0%} de su cota inferior")
    secs, status, obj, bound, gap, nv, nr, build, days = time_compact(
        kind, program, args.cap, args.gap, args.threads)

    def per_day(v: float | None) -> float | None:
        return None if v is None else round(v / days, 4)

    print(f"  MILP por plato (PuLP + HiGHS, {args.threads} hilos): {nv} variables, {nr} "
          f"filas; construcción {build:.1f} s; total {secs:.1f} s; estado {status}; "
          f"incumbente {per_day(obj)}; cota {per_day(bound)}; brecha "
          f"{'-' if gap is None else f'{gap * 100:.2f} %'}")
    reached_gap = status == "optimal" or (gap is not None and gap <= args.gap)
    ratio = secs / median
    sign = "" if reached_gap else ">"
    print(f"  razón (MILP por plato / descomposición): {sign}{ratio:.1f}x"
          + ("" if reached_gap else f" (el MILP no llegó a {args.gap:.0%} en {args.cap:.0f} s)"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cap", type=float, default=60.0, help="tope de tiempo (s)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gap", type=float, default=0.01)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", choices=("incluidos", "generado"), default=None)
    args = ap.parse_args()
    print("Banco de pruebas del optimizador de ciclos de menú")
    for text in machine():
        print(text)
    base = load_dataset(None)
    if args.only in (None, "incluidos"):
        report("incluidos", base, "cadi", args)
    if args.only in (None, "generado"):
        report("generado", generated_dataset(base), "cadi", args)


if __name__ == "__main__":
    main()
