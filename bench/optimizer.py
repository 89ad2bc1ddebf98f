"""Benchmark of the menu-cycle optimizer, side by side (prints figures; asserts nothing).

On the default rules (variety rules and the shipped menu-quality standard, as
`menu-planner plan` uses them), on the same instance and to the same gap, one run
compares:
  (a) the decomposition (`plan_cycle`);
  (b) the per-dish MILP (`compact_milp`, one binary per dish per slot per day) through
      PuLP and HiGHS;
  (c) OR-Tools CP-SAT on the same per-dish model, exported to an .npz file and solved by
      bench/cpsat_model.py in a process of its own (highspy and OR-Tools clash in one
      process); CP-SAT needs integers, so portions go in steps of --step of a reference
      portion and coefficients are scaled and rounded (see that file).
for cadi and mad on the shipped data and for cadi on a generated instance of 160 dishes
(from the shipped foods and prices), and then (a) and (b) again with the newest highspy
release, in a temporary virtual environment, figures beside the pinned ones.

Every solve runs in a fresh process with the same time cap (building included). Per
method: time to the first cycle, time to a cycle within --gap of its own proven bound
(or "no alcanzado" and the gap at the cap), cost and bound per person per day; median of
--runs runs, except that a method is not run again once a run has spent the whole cap
without reaching the gap (another run would spend it again), nor once the bench has used
--budget minutes; the number of runs is printed.

    .venv/bin/pip install -c constraints.txt -e '.[bench]'    # OR-Tools, bench only
    .venv/bin/python bench/optimizer.py [--quick] [--cap 120] [--runs 5] [--gap 0.01]
        [--newest auto|no|VERSION] [--only cadi,mad,generado]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from menu_planner.domain import Dataset, Ingredient, Recipe  # noqa: E402

# Share of generated dishes also fit for infants (when free of what the standard forbids
# them): with 0.3, 5 infant lunch mains (0.6: 10) did not meet the rotation of at most 2 per cycle.
INFANT_SHARE = 0.9
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
INSTANCES = {"cadi": ("incluidos", "cadi"), "mad": ("incluidos", "mad"),
             "generado": ("generado", "cadi")}
INFEASIBLE = ("infeasible", "INFEASIBLE")
LABELS = {"cadi": "cadi, datos incluidos", "mad": "mad, datos incluidos",
          "generado": "cadi, instancia generada de 160 platos"}


# -- the machine -------------------------------------------------------------------------
def machine(python: str) -> list[str]:
    """CPU model, cores, RAM, Python and solver versions."""
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
    load = " ".join(f"{v:.1f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return [f"CPU: {cpu}; núcleos: {os.cpu_count()} (utilizables: {usable}); RAM: {ram}; "
            f"carga (1, 5, 15 min): {load}",
            f"Python {platform.python_version()} ({platform.system()} {platform.release()})",
            f"highspy {version_in(python, 'highspy')}, PuLP {version_in(python, 'pulp')}, "
            f"OR-Tools {version_in(python, 'ortools')}, numpy {np.__version__}",
            f"Referencia de velocidad (antes de medir): {speed_probe():.3f} s por 10 millones "
            f"de sumas en Python (menos es más rápido; mediana de 3)"]


def version_in(python: str, package: str) -> str:
    """The installed version of `package` in the environment of `python`."""
    if python == sys.executable:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "no instalado"
    out = subprocess.run([python, "-c", "import importlib.metadata as m, sys; "
                          f"print(m.version('{package}'))"], capture_output=True, text=True)
    return out.stdout.strip() or "no instalado"


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


# -- the instances -----------------------------------------------------------------------
def generated_dataset(base: Dataset, n_dishes: int = 160, seed: int = 2024) -> Dataset:
    """`base` with its recipes replaced by `n_dishes` random ones for cadi (and mad)."""
    rng = np.random.default_rng(seed)
    unsafe = {"sodium_mg", "fat_g", "energy_kcal"}
    # what the quality standard keeps from infants (sugars, salt, stock cubes)
    infant_forbidden = {f.food_id for f in base.foods.values() if f.food_group == "azucares"
                        or f.food_id in ("sal", "consome_pollo", "cubito_pollo")}
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
        if rng.random() < INFANT_SHARE and not (set(ingredients) & infant_forbidden):
            tags.add("apto_6_11m")
        rid = f"gen_{comp}_{i:03d}"
        recipes[rid] = Recipe(rid, rid, comp, tuple(chosen), ("cadi", "mad"),
                              tuple(Ingredient(f, g) for f, g in sorted(ingredients.items())),
                              frozenset(tags), float(np.round(rng.uniform(0.4, 1.0), 2)))
    return dataclasses.replace(base, recipes=recipes)


def instance_of(name: str, cap: float, gap: float, threads: int) -> tuple[Dataset, Any]:
    """The dataset and the default request (variety rules and quality standard)."""
    from menu_planner.optimizer import PlanRequest, load_variety_rules
    from menu_planner.quality import checked_standard
    from menu_planner.reference_data import load_dataset

    kind, program = INSTANCES[name]
    base = load_dataset(None)
    ds = generated_dataset(base) if kind == "generado" else base
    return ds, PlanRequest(program, rules=load_variety_rules(None),
                           quality=checked_standard(ds, None), gap=gap, time_limit_s=cap,
                           threads=threads, price_targets=False, diagnose=False)


# -- workers: each runs in its own process -----------------------------------------------
def work_decomposition(name: str, args: argparse.Namespace) -> dict[str, Any]:
    from menu_planner.optimizer import plan_cycle
    from menu_planner.optimizer.highs_util import SOLVER_NAME

    ds, req = instance_of(name, args.cap, args.gap, args.threads)
    t0 = time.perf_counter()
    res = plan_cycle(ds, req)
    seconds = time.perf_counter() - t0
    trace = res.stats.get("trace", [])
    first = next((s for s, _lp, best in trace if math.isfinite(best)), None)
    if first is None and res.cycle is not None:
        first = seconds
    return {"seconds": seconds, "first": first, "status": res.status, "cost": res.cost_q,
            "bound": res.lower_bound, "gap": res.gap, "solver": SOLVER_NAME}


def work_milp(name: str, args: argparse.Namespace) -> dict[str, Any]:
    from menu_planner.optimizer.compact_milp import solve_compact_pulp
    from menu_planner.optimizer.highs_util import SOLVER_NAME
    from menu_planner.optimizer.instance import build_instance

    ds, req = instance_of(name, args.cap, args.gap, args.threads)
    t0 = time.perf_counter()
    inst = build_instance(ds, req)
    res = solve_compact_pulp(inst, args.cap, args.gap, args.threads)
    seconds = time.perf_counter() - t0
    days = inst.n_days
    pre = seconds - res.seconds  # instance, model and PuLP building
    return {"seconds": seconds,
            "first": None if res.first_seconds is None else pre + res.first_seconds,
            "status": res.status,
            "cost": None if res.objective is None else res.objective / days,
            "bound": None if res.bound is None else res.bound / days, "gap": res.gap,
            "solver": SOLVER_NAME, "size": f"{res.n_vars} variables, {res.n_rows} filas",
            "build": pre}


def work_export(name: str, args: argparse.Namespace) -> dict[str, Any]:
    from menu_planner.optimizer.compact_milp import build_compact_model
    from menu_planner.optimizer.instance import build_instance

    ds, req = instance_of(name, args.cap, args.gap, args.threads)
    t0 = time.perf_counter()
    inst = build_instance(ds, req)
    lm = build_compact_model(inst)
    seconds = time.perf_counter() - t0
    e = np.array(lm.entries, dtype=float).reshape(-1, 3)
    np.savez(args.model, col_lb=np.array(lm.col_lb), col_ub=np.array(lm.col_ub),
             col_cost=np.array(lm.col_cost), col_int=np.array(lm.col_int),
             col_portion=np.array([n.startswith("portion_") for n in lm.col_names]),
             row_lb=np.array(lm.row_lb), row_ub=np.array(lm.row_ub),
             rows=e[:, 0].astype(np.int64), cols=e[:, 1].astype(np.int64), vals=e[:, 2])
    return {"seconds": seconds, "days": inst.n_days, "n_cols": lm.n_cols,
            "n_rows": len(lm.row_names)}


WORKERS = {"descomposicion": work_decomposition, "milp": work_milp, "exportar": work_export}


# -- the runs ----------------------------------------------------------------------------
@dataclass
class Run:
    """One solve, in the bench's units (seconds; Q per person per day)."""

    seconds: float
    first: float | None
    reached: bool
    cost: float | None
    bound: float | None
    gap: float | None
    status: str


@dataclass
class Method:
    """The runs of one method on one instance, and what to say about them."""

    label: str
    runs: list[Run]
    notes: list[str]


def subprocess_json(cmd: list[str], timeout: float) -> dict[str, Any]:
    """Run `cmd` (it writes JSON to the path that is its last argument or --out)."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"más de {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return {}


def worker(python: str, method: str, name: str, args: argparse.Namespace,
           **extra: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [python, str(Path(__file__).resolve()), "--worker", method, "--instance", name,
               "--cap", str(args.cap), "--gap", str(args.gap), "--threads",
               str(args.threads), "--out", str(out)]
        for k, v in extra.items():
            cmd += [f"--{k}", v]
        err = subprocess_json(cmd, 3 * args.cap + 300)
        return err or json.loads(out.read_text())


def as_run(fig: dict[str, Any], gap: float) -> Run:
    g = fig.get("gap")
    reached = g is not None and g <= gap + 1e-9
    return Run(fig["seconds"], fig.get("first"), reached, fig.get("cost"), fig.get("bound"),
               g, str(fig.get("status")))


def repeat(label: str, once: Any, args: argparse.Namespace, clock: float) -> Method:
    """Up to args.runs runs of `once()`; fewer when a run spends the cap or the bench's
    budget is spent (said in the notes)."""
    runs: list[Run] = []
    notes: list[str] = []
    for _ in range(args.runs):
        fig = once()
        if "error" in fig:
            notes.append(f"error: {fig['error']}")
            break
        notes += [n for n in fig.pop("notes", []) if n not in notes]
        runs.append(as_run(fig, args.gap))
        if runs[-1].status in INFEASIBLE:
            notes.append("demostró que no hay ciclo (no factible); no se repite")
            break
        if not runs[-1].reached:
            if len(runs) < args.runs:
                notes.append(f"{len(runs)} corrida(s): llegó al tope de {args.cap:.0f} s sin "
                             f"la brecha; no se repite")
            break
        if time.perf_counter() - clock > 60 * args.budget and len(runs) < args.runs:
            notes.append(f"{len(runs)} corrida(s): presupuesto del banco ({args.budget:.0f} "
                         f"min) agotado")
            break
    return Method(label, runs, notes)


def cpsat_once(python: str, name: str, args: argparse.Namespace,
               tmp: Path) -> dict[str, Any]:
    """Export the per-dish model (its build time counts) and solve it with CP-SAT."""
    model = tmp / f"{name}.npz"
    exp = worker(python, "exportar", name, args, model=str(model))
    if "error" in exp:
        return exp
    out = tmp / f"{name}_cpsat.json"
    cmd = [python, str(ROOT / "bench" / "cpsat_model.py"), str(model), str(out),
           "--cap", str(max(1.0, args.cap - exp["seconds"])), "--gap", str(args.gap),
           "--threads", str(args.threads), "--step", str(args.step)]
    err = subprocess_json(cmd, 3 * args.cap + 300)
    if err:
        return err
    cp = json.loads(out.read_text())
    days, pre = exp["days"], exp["seconds"]
    obj, bound = cp["objective"], cp["bound"]
    gap = None if obj is None or bound is None else max(0.0, obj - bound) / max(abs(obj), 1e-9)
    notes = [f"OR-Tools {cp['version']}: porciones en pasos de {args.step:g} de la porción de "
             f"referencia ({cp['stepped']} columnas), {cp['binary_like']} columnas continuas "
             f"entre 0 y 1 como 0/1; filas escaladas por potencias de 10 y redondeadas "
             f"(error relativo máximo de un coeficiente {cp['row_rounding']:.1e}, "
             f"{cp['dropped']} coeficientes redondeados a 0); cota del modelo discretizado "
             f"(no es cota del problema con porciones continuas); tiempos con la "
             f"construcción del modelo ({pre:.1f} s en Python + {cp['build_seconds']:.1f} s "
             f"para CP-SAT)"]
    return {"seconds": pre + cp["seconds"],
            "first": None if cp["first_seconds"] is None else pre + cp["first_seconds"],
            "status": cp["status"], "cost": None if obj is None else obj / days,
            "bound": None if bound is None else bound / days, "gap": gap, "notes": notes}


def milp_once(python: str, name: str, args: argparse.Namespace) -> dict[str, Any]:
    fig = worker(python, "milp", name, args)
    if "error" not in fig:
        fig["notes"] = [f"{fig['size']}; construcción (instancia, modelo y PuLP) "
                        f"{fig['build']:.1f} s, incluida en los tiempos"]
    return fig


# -- the report --------------------------------------------------------------------------
def med(values: list[float | None]) -> float | None:
    """Median; None counts as infinitely late (a run that found nothing)."""
    if not values:
        return None
    m = statistics.median([math.inf if v is None else v for v in values])
    return None if math.isinf(m) else m


def to_gap(runs: list[Run]) -> float | None:
    return med([r.seconds if r.reached else None for r in runs])


def num(v: float | None, digits: int = 2) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def row(m: Method, cap: float) -> str:
    rs = m.runs
    if not rs:
        return f"  {m.label:44s} sin resultado"
    t = to_gap(rs)
    gaps = [r.gap for r in rs]
    final = med(gaps)
    reach = (f"{t:7.1f}" if t is not None else
             "no factible (demostrado)" if all(r.status in INFEASIBLE for r in rs) else
             f"no alcanzado (sin ciclo a {cap:.0f} s)" if final is None else
             f"no alcanzado (brecha {100 * final:.2f} % a {cap:.0f} s)")
    return (f"  {m.label:44s} {len(rs):2d}  {num(med([r.first for r in rs]), 1):>7s}  "
            f"{reach:>7s}  total {num(med([r.seconds for r in rs]), 1)} s  costo "
            f"{num(med([r.cost for r in rs]), 4)}  cota "
            f"{num(med([r.bound for r in rs]), 4)}  [{', '.join(r.status for r in rs)}]")


def ratio(ours: Method, ref: Method, cap: float) -> str:
    """Reference time / decomposition time, to the gap and to a first cycle."""
    if all(r.status in INFEASIBLE for r in [*ours.runs, *ref.runs]):
        return f"    {ref.label} y {ours.label}: ambos demostraron que no hay ciclo"
    out = []
    for what, pick in (("a la brecha", to_gap),
                       ("al primer ciclo", lambda rs: med([r.first for r in rs]))):
        a, b = pick(ours.runs), pick(ref.runs)
        if a is not None and b is not None:
            out.append(f"{what} {b / a:.1f}x")
        elif a is not None:
            out.append(f"{what} >{cap / a:.1f}x (la referencia no llegó en {cap:.0f} s)")
        elif b is not None:
            out.append(f"{what} <{b / cap:.2f}x (la descomposición no llegó)")
        else:
            out.append(f"{what}: ninguno llegó en {cap:.0f} s")
    return f"    razón {ref.label} / {ours.label}: " + "; ".join(out)


def newest_python(want: str, pinned: str) -> tuple[str | None, str]:
    """The Python of a temporary venv with the newest (or `want`) highspy."""
    if want == "no":
        return None, "sin highspy más reciente (--newest no)"
    version = want
    if want == "auto":
        out = subprocess.run([sys.executable, "-m", "pip", "index", "versions", "highspy"],
                             capture_output=True, text=True)
        first = out.stdout.split("\n", 1)[0]
        if "(" not in first:
            return None, f"no se pudo consultar la versión más reciente de highspy: {first}"
        version = first.split("(", 1)[1].split(")", 1)[0]
    if version == pinned:
        return None, f"highspy {pinned} fijado ya es la versión más reciente"
    venv = Path(tempfile.gettempdir()) / f"menu-bench-highspy-{version}"
    py = venv / "bin" / "python"
    if not py.exists():
        print(f"(creando {venv} con highspy {version} ...)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        cons = venv / "constraints.txt"
        cons.write_text("".join(line for line in (ROOT / "constraints.txt").read_text()
                                .splitlines(keepends=True) if not line.startswith("highspy==")))
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-c", str(cons), "-e",
                        str(ROOT), f"highspy=={version}"], check=True, capture_output=True)
    return str(py), f"highspy {version_in(str(py), 'highspy')} en {venv}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="corrida corta: tope 20 s, 1 corrida, cadi y mad, sin highspy nuevo")
    ap.add_argument("--cap", type=float, default=120.0, help="tope de tiempo por solución (s)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gap", type=float, default=0.01)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--step", type=float, default=0.05,
                    help="paso de las porciones para CP-SAT (fracción de la porción)")
    ap.add_argument("--budget", type=float, default=45.0,
                    help="minutos tras los cuales no se repiten más corridas")
    ap.add_argument("--newest", default="auto", help="auto, no o una versión de highspy")
    ap.add_argument("--only", default="cadi,mad,generado")
    ap.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    ap.add_argument("--instance", choices=sorted(INSTANCES), help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--model", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        fig = WORKERS[args.worker](args.instance, args)
        Path(args.out).write_text(json.dumps(fig))
        return
    if args.quick:
        args.cap, args.runs, args.newest = 20.0, 1, "no"
        args.only = "cadi,mad" if args.only == "cadi,mad,generado" else args.only
    names = [n for n in args.only.split(",") if n]
    clock = time.perf_counter()
    print("Banco de pruebas del optimizador de ciclos de menú (reglas de variedad y estándar "
          "de calidad por defecto)")
    for text in machine(sys.executable):
        print(text)
    pinned = version_in(sys.executable, "highspy")
    newest, said = newest_python(args.newest, pinned)
    print(f"Brecha {args.gap:.0%}; tope {args.cap:.0f} s por solución (construcción "
          f"incluida); {args.threads} hilos; hasta {args.runs} corridas; {said}")
    print("Columnas: corridas, 1er ciclo (s), a la brecha (s), tiempo total, costo y cota "
          "(Q por persona y día), estado de cada corrida; medianas")
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for name in names:
            print(f"\n== {LABELS[name]} ==", flush=True)
            dec = repeat(f"(a) descomposición, highspy {pinned}",
                         lambda n=name: worker(py, "descomposicion", n, args), args, clock)
            print(row(dec, args.cap), flush=True)
            milp = repeat(f"(b) MILP por plato PuLP + highspy {pinned}",
                          lambda n=name: milp_once(py, n, args), args, clock)
            print(row(milp, args.cap), flush=True)
            cpsat = repeat(f"(c) CP-SAT {version_in(py, 'ortools')}, mismo MILP",
                           lambda n=name: cpsat_once(py, n, args, tmp), args, clock)
            print(row(cpsat, args.cap), flush=True)
            methods = [dec, milp, cpsat]
            if newest is not None:
                nv = version_in(newest, "highspy")
                ndec = repeat(f"(a) descomposición, highspy {nv}",
                              lambda n=name: worker(newest, "descomposicion", n, args),
                              args, clock)
                print(row(ndec, args.cap), flush=True)
                nmilp = repeat(f"(b) MILP por plato PuLP + highspy {nv}",
                               lambda n=name: milp_once(newest, n, args), args, clock)
                print(row(nmilp, args.cap), flush=True)
                methods += [ndec, nmilp]
                print(ratio(ndec, nmilp, args.cap))
            print(ratio(dec, milp, args.cap))
            print(ratio(dec, cpsat, args.cap))
            for m in methods:
                for note in m.notes:
                    print(f"    {m.label}: {note}")
    print(f"\nTotal: {(time.perf_counter() - clock) / 60:.1f} min")


if __name__ == "__main__":
    main()
