"""The complete method: the per-dish MILP for the time the decomposition leaves.

The decomposition (column generation and the week master) finds good cycles fast but can
run out of things to try before it proves the gap: its pool of day menus then holds no
better combination, and pricing finds no new menu that the master would use. Rather than
stop with time left, the search hands over to HiGHS on the per-dish MILP of
`compact_milp` (every day a copy of the day model, every cross-day rule written out):
- the best cycle so far is its starting solution and its cutoff, so HiGHS only looks for
  better cycles;
- its dual bound is valid for the whole problem (with a cutoff, HiGHS may report a bound
  above the true optimum when nothing beats the cutoff, so the valid bound is the smaller
  of the two, as in pricing);
- with no cycle yet, it either finds one or proves that none exists.
It stops at the gap, at a proof, or at the time limit, whichever comes first.
"""

from __future__ import annotations

import numpy as np

from menu_planner.optimizer.colgen import Clock
from menu_planner.optimizer.compact_milp import build_compact
from menu_planner.optimizer.day_model import DayColumn, DayModel
from menu_planner.optimizer.features import Mode
from menu_planner.optimizer.highs_util import run
from menu_planner.optimizer.instance import Instance
from menu_planner.optimizer.portions import GroupPortions, optimize_portions

MIN_SECONDS = 1.0  # not worth building a model of the whole cycle for less


class Completed:
    """What the per-dish MILP established: a better cycle (or None), a valid lower bound
    (or None), and whether it proved that no cycle exists."""

    def __init__(self, menus: list[DayColumn] | None, portions: list[GroupPortions] | None,
                 bound: float | None, infeasible: bool) -> None:
        self.menus, self.portions, self.bound, self.infeasible = (menus, portions, bound,
                                                                 infeasible)


def complete_search(inst: Instance, mode: Mode, clock: Clock, gap: float, threads: int,
                    incumbent: float | None, start: list[DayColumn] | None,
                    start_portions: list[GroupPortions] | None) -> Completed | None:
    """Run the per-dish MILP for the rest of the clock (None when too little is left or
    the mode has no per-dish model)."""
    if mode not in (Mode.COST, Mode.VARIETY) or clock.remaining() < MIN_SECONDS:
        return None
    lm, day, offsets = build_compact(inst, mode)
    h = lm.to_highs(threads=threads, mip_gap=gap)
    if incumbent is not None:
        h.setOptionValue("objective_bound", incumbent)
    if start is not None and start_portions is not None:
        idx, val = _start_values(day, offsets, start, start_portions)
        h.setSolution(len(idx), idx, val)
    if clock.remaining() < MIN_SECONDS / 2:
        return None
    out = run(h, clock.remaining(), is_mip=True)
    bound = out.bound
    if incumbent is not None:  # nothing better than the cutoff: the cutoff is the bound
        if out.status == "infeasible" or (out.status == "optimal" and not out.has_solution):
            bound = incumbent
        elif bound is not None:
            bound = min(bound, incumbent)
    infeasible = incumbent is None and out.status == "infeasible"
    if not out.has_solution or (incumbent is not None and out.objective is not None
                                and out.objective >= incumbent - 1e-9):
        return Completed(None, None, bound, infeasible)
    menus = [day.column_from(out.values[off:off + day.m.n_cols]) for off in offsets]
    portions = optimize_portions(inst, menus)
    if portions is None:  # the MILP's own portions keep every rule; keep those
        return Completed(None, None, bound, False)
    return Completed(menus, portions, bound, False)


def _start_values(day: DayModel, offsets: list[int], menus: list[DayColumn],
                  portions: list[GroupPortions]) -> tuple[np.ndarray, np.ndarray]:
    """The integer columns of the per-dish MILP (and the portions) that the cycle fixes;
    HiGHS completes the rest (a partial solution)."""
    idx: list[int] = []
    val: list[float] = []
    for t, (off, col) in enumerate(zip(offsets, menus, strict=True)):
        listed = {j: alt for j, alt in col.listed}
        for j, c in day.x.items():
            idx.append(off + c)
            val.append(1.0 if listed.get(j) is False else 0.0)
        for j, c in day.a.items():
            idx.append(off + c)
            val.append(1.0 if listed.get(j) is True else 0.0)
        for i, (j, _alt) in enumerate(col.listed):
            for g, gp in enumerate(portions):
                if (j, g) in day.p:
                    idx.append(off + day.p[j, g])
                    val.append(float(gp.portions[t][i]))
    return np.array(idx, dtype=np.int32), np.array(val, dtype=float)
