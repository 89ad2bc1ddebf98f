"""The LP relaxation of the aggregated cycle problem in compact form, and the Lagrangian
bound at its duals.

One continuous copy of the day model per day class (weighted by its number of days),
linked by the rows of the aggregated master (weekly targets and caps summed over the
cycle). Its value is a valid lower bound of the cycle problem (it relaxes integrality
and the day-to-day rules); it solves in milliseconds. Its duals price the day features: they
are the stability center of column generation and the prices of the weekly targets in
the integer master. Its duals on each target also price the targets (see `prices`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from menu_planner.optimizer.day_model import DayModel
from menu_planner.optimizer.highs_util import LinearModel, run
from menu_planner.optimizer.master_lp import AggregateMaster


@dataclass(frozen=True)
class CompactSolution:
    """LP value, feature prices and each class's least fractional day value at them."""

    value: float
    phi: np.ndarray  # per-feature prices (phi[one] = 0)
    class_values: tuple[float, ...]  # min over the LP relaxation of class c of phi @ f
    slack: float  # total slack the LP needed (0 when it keeps every rule)
    row_duals: dict[str, float]  # master row name -> dual (cost per unit of the row)
    block_duals: dict[str, float] = field(default_factory=dict)  # day rows, "<row>_c<k>"
    class_energy: tuple[tuple[float, ...], ...] = ()  # [class][group] kcal of its day
    class_days: tuple[int, ...] = ()

    def energy_of(self, group: int) -> float:
        """Energy served to one person of `group` over the whole cycle (kcal)."""
        return sum(n * e[group] for n, e in zip(self.class_days, self.class_energy,
                                                strict=True))


class RelaxationInfeasible(Exception):
    """Even the relaxation has no solution: some class of days has no fractional day
    meeting the daily rules (a proof that no cycle exists)."""


def solve_compact_lp(master: AggregateMaster, day: DayModel) -> CompactSolution | None:
    """Build and solve the compact LP with the master's rows (None if it stopped without
    an optimum; RelaxationInfeasible when HiGHS proves it has none)."""
    m = LinearModel()
    blocks = _add_class_blocks(m, master, day)
    slacks = _add_linking_rows(m, master, day, blocks)
    out = run(m.to_highs())
    if out.status == "infeasible":
        raise RelaxationInfeasible()
    if out.row_duals is None or out.objective is None:
        return None
    slack = float(sum(out.values[s] for s in slacks))
    n_link = len(master.R)
    y = out.row_duals[len(m.row_names) - n_link:]
    phi = master.obj.copy()
    if n_link:
        phi -= master.R_matrix.T @ y
    phi[0] = 0.0
    values = []
    for off in blocks:
        feats = day.F @ out.values[off:off + day.m.n_cols]
        values.append(float(phi @ feats))
    names = master.m.row_names[len(master.classes):]
    duals = {n: float(v) for n, v in zip(names, y, strict=True)}
    n_block = len(m.row_names) - n_link
    block = {m.row_names[i]: float(out.row_duals[i]) for i in range(n_block)
             if out.row_duals[i] != 0.0}
    energy = master.inst.nutrients["energy_kcal"]
    per_class = tuple(
        tuple(sum(float(energy[master.inst.placements[j].dish]) * out.values[off + col]
                  for (j, gg), col in day.p.items() if gg == g)
              for g in range(len(master.inst.groups)))
        for off in blocks)
    return CompactSolution(float(out.objective), phi, tuple(values), slack, duals, block,
                           per_class, tuple(len(c.days) for c in master.classes))


def min_slack(master: AggregateMaster, day: DayModel, rules_only: bool = False) -> float:
    """Phase 1: the least total slack any fractional cycle needs (0 = the relaxation can
    keep every rule; > 0 proves that no cycle can). `rules_only` ignores the slack of the
    weekly targets (elastic diagnosis)."""
    m = LinearModel()
    blocks = _add_class_blocks(m, master, day)
    slacks = set(_add_linking_rows(m, master, day, blocks))
    if rules_only:
        slacks = {i for i in slacks if not m.col_names[i].startswith("master_slack_target_")}
    m.col_cost = [1.0 if i in slacks else 0.0 for i in range(m.n_cols)]
    out = run(m.to_highs())
    return float(out.objective) if out.objective is not None else float("inf")


def _add_class_blocks(m: LinearModel, master: AggregateMaster, day: DayModel) -> list[int]:
    costs = day.F.T @ master.obj
    rows: dict[int, list[tuple[int, float]]] = {}
    for r, c, v in day.m.entries:
        rows.setdefault(r, []).append((c, v))
    offsets = []
    for k, cls in enumerate(master.classes):
        off = m.n_cols
        offsets.append(off)
        n = len(cls.days)
        banned = {col for pl in master.inst.placements if pl.dish in cls.banned
                  for col in (day.x.get(pl.index), day.a.get(pl.index)) if col is not None}
        for i in range(day.m.n_cols):
            ub = 0.0 if i in banned else day.m.col_ub[i]
            m.var(f"{day.m.col_names[i]}_c{k}", day.m.col_lb[i], ub, n * float(costs[i]))
        forced = {day.listed_row[j] for j in cls.forced}
        for r in range(len(day.m.row_names)):
            lb = 1.0 if r in forced else day.m.row_lb[r]
            m.row(f"{day.m.row_names[r]}_c{k}", [(c + off, v) for c, v in rows.get(r, [])],
                  lb, day.m.row_ub[r])
    return offsets


def _add_linking_rows(m: LinearModel, master: AggregateMaster, day: DayModel,
                      blocks: list[int]) -> list[int]:
    """The master's rows over the class blocks; returns the slack columns."""
    mm = master.m
    aux = m.n_cols
    slacks = []
    for j in range(mm.n_cols):
        col = m.var(f"master_{mm.col_names[j]}", mm.col_lb[j], mm.col_ub[j], mm.col_cost[j])
        if mm.col_names[j].startswith("slack_") and not mm.col_names[j].startswith(
                "slack_days"):
            slacks.append(col)
    entries: dict[int, list[tuple[int, float]]] = {}
    for r, c, v in mm.entries:
        entries.setdefault(r, []).append((c + aux, v))
    RF = master.R_matrix @ day.F if len(master.R) else np.zeros((0, day.m.n_cols))
    n_days_rows = len(master.classes)
    for i in range(RF.shape[0]):
        nz = np.nonzero(np.abs(RF[i]) > 1e-12)[0]
        terms = [(off + int(j), len(cls.days) * float(RF[i, j]))
                 for off, cls in zip(blocks, master.classes, strict=True) for j in nz]
        r = n_days_rows + i
        m.row(mm.row_names[r], terms + entries.get(r, []), mm.row_lb[r], mm.row_ub[r])
    return slacks
