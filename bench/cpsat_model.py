"""Solve an exported per-dish MILP with OR-Tools CP-SAT, in a process of its own.

bench/optimizer.py writes the LinearModel of `build_compact_model` (columns, rows,
entries) to an .npz file and runs this script on it with the bench's Python: highspy and
OR-Tools are not loaded in one process (they clash), and this script imports neither
highspy nor menu_planner.

CP-SAT needs integer variables and integer coefficients, so the model is made integer:
- integer columns stay as they are; a continuous column bounded by 0 and 1 that is not a
  portion (served-as-alternative, food used, common dish of two days) becomes 0/1;
- every other continuous column (the portions) takes values in steps of `--step` (0.05 of a
  reference portion by default): value = step * k, k integer;
- each row is multiplied by a power of ten that brings its largest coefficient to at
  least 10^5 and its coefficients are rounded to integers (the largest relative rounding
  error and the coefficients rounded to 0 are printed); its bounds are rounded inwards;
- the objective likewise (10^6); the cost of the solution is recomputed from the
  original coefficients.
This is a restriction of the per-dish MILP (portions on a grid), so CP-SAT's bound is a
bound of the discretized model, not of the problem with continuous portions.

    python bench/cpsat_model.py MODEL.npz OUT.json [--cap 120] [--gap 0.01] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import math
import time
from importlib import metadata

import numpy as np
from ortools.sat.python import cp_model

ROW_DIGITS = 1e5
OBJ_DIGITS = 1e6


class Trace(cp_model.CpSolverSolutionCallback):
    """Wall time of the first solution (seconds since `start`)."""

    def __init__(self, start: float) -> None:
        super().__init__()
        self.start = start
        self.first: float | None = None
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        if self.first is None:
            self.first = time.perf_counter() - self.start


def power_of_ten(largest: float, digits: float) -> float:
    """The least power of ten (>= 1) that brings `largest` to at least `digits`."""
    if largest <= 0:
        return 1.0
    return float(10 ** max(0, math.ceil(math.log10(digits / largest))))


def integral(values: np.ndarray) -> bool:
    return bool(np.all(np.abs(values - np.round(values)) < 1e-9))


def build(data: dict[str, np.ndarray], step: float) -> tuple[cp_model.CpModel, np.ndarray,
                                                                dict[str, float]]:
    """The integer model and the value of one unit of each variable."""
    lb, ub, is_int = data["col_lb"], data["col_ub"], data["col_int"].astype(bool)
    portion = data["col_portion"].astype(bool)
    if not np.all(np.isfinite(ub)):
        raise SystemExit("cpsat_model: una columna sin cota superior (no se puede discretizar)")
    binary_like = (~is_int) & (~portion) & (lb == 0) & (ub == 1)
    unit = np.where(is_int | binary_like, 1.0, step)
    lo = np.ceil(lb / unit - 1e-9).astype(np.int64)
    hi = np.floor(ub / unit + 1e-9).astype(np.int64)
    model = cp_model.CpModel()
    proto = model.proto
    for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
        proto.variables.add().domain.extend([a, b])
    rows, cols, vals = data["rows"], data["cols"], data["vals"] * unit[data["cols"]]
    order = np.argsort(rows, kind="stable")
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.searchsorted(rows, np.arange(len(data["row_lb"]) + 1))
    worst, dropped = 0.0, 0
    for r in range(len(data["row_lb"])):
        c, v = cols[starts[r]:starts[r + 1]], vals[starts[r]:starts[r + 1]]
        rlb, rub = float(data["row_lb"][r]), float(data["row_ub"][r])
        if len(c) == 0:
            continue
        bounds = [b for b in (rlb, rub) if math.isfinite(b)]
        scale = 1.0 if integral(v) and integral(np.array(bounds)) else power_of_ten(
            float(np.max(np.abs(v))), ROW_DIGITS)
        iv = np.round(v * scale)
        nz = iv != 0
        rel = np.abs(iv - v * scale) / np.maximum(np.abs(v * scale), 1e-12)
        if nz.any():
            worst = max(worst, float(np.max(rel[nz])))
        dropped += int(np.sum(~nz))
        c, iv = c[nz], iv[nz].astype(np.int64)
        act_lo = int(np.sum(np.where(iv > 0, iv * lo[c], iv * hi[c])))
        act_hi = int(np.sum(np.where(iv > 0, iv * hi[c], iv * lo[c])))
        a = math.ceil(rlb * scale - 1e-6) if math.isfinite(rlb) else act_lo
        b = math.floor(rub * scale + 1e-6) if math.isfinite(rub) else act_hi
        ct = proto.constraints.add().linear
        ct.vars.extend(c.tolist())
        ct.coeffs.extend(iv.tolist())
        ct.domain.extend([a, b] if a <= b else [act_hi + 1, act_hi + 1])  # else: infeasible
    cost = data["col_cost"] * unit
    obj_scale = power_of_ten(float(np.max(np.abs(cost))), OBJ_DIGITS)
    icost = np.round(cost * obj_scale).astype(np.int64)
    nz = np.nonzero(icost)[0]
    proto.objective.vars.extend(nz.tolist())
    proto.objective.coeffs.extend(icost[nz].tolist())
    info = {"row_rounding": worst, "dropped": dropped, "obj_scale": obj_scale,
            "binary_like": int(binary_like.sum()), "stepped": int((unit != 1.0).sum())}
    return model, unit, info


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--cap", type=float, default=120.0)
    ap.add_argument("--gap", type=float, default=0.01)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--step", type=float, default=0.05)
    args = ap.parse_args()
    t0 = time.perf_counter()
    data = dict(np.load(args.model))
    model, unit, info = build(data, args.step)
    build_s = time.perf_counter() - t0
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, args.cap - build_s)
    solver.parameters.num_workers = args.threads
    solver.parameters.relative_gap_limit = args.gap
    solver.parameters.random_seed = 0
    trace = Trace(t0)
    status = solver.Solve(model, trace)
    seconds = time.perf_counter() - t0
    name = solver.StatusName(status)
    has = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = bound = None
    if has:
        values = np.array(solver.ResponseProto().solution, dtype=float) * unit
        objective = float(data["col_cost"] @ values)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE):
        bound = float(solver.BestObjectiveBound()) / info["obj_scale"]
    out = {"status": name, "seconds": seconds, "build_seconds": build_s,
           "first_seconds": trace.first, "objective": objective,
           "bound": bound if status != cp_model.INFEASIBLE else None,
           "solutions": trace.count, "version": metadata.version("ortools"), **info}
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(out, fh)


if __name__ == "__main__":
    main()
