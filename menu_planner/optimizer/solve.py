"""`plan_cycle`: the optimizer's public use case (pure: no file I/O)."""

from __future__ import annotations

from dataclasses import replace

from threadpoolctl import threadpool_limits

from menu_planner.domain import DEPARTMENTS, NATIONAL, Dataset, MenuCycle
from menu_planner.optimizer.assemble import assemble_cycle
from menu_planner.optimizer.colgen import Clock
from menu_planner.optimizer.diagnosis import diagnose
from menu_planner.optimizer.engine import Engine, EngineResult
from menu_planner.optimizer.family_check import family_problems
from menu_planner.optimizer.features import Mode
from menu_planner.optimizer.highs_util import SOLVER_NAME
from menu_planner.optimizer.instance import Instance, build_instance
from menu_planner.optimizer.prices import target_prices
from menu_planner.optimizer.request import ALL_REGIONS, PlanRequest, PlanResult
from menu_planner.optimizer.verify import verify_cycle
from menu_planner.quality.check import check_cycle

OPTIMAL_GAP = 1e-4
BOUND_TOL = 1e-6  # relative: solver tolerances, not a real excess
DIAGNOSIS_MIN_SECONDS = 10.0


def check_request(dataset: Dataset, request: PlanRequest) -> list[str]:
    """What is wrong with the request itself, in Spanish (empty when it is fine)."""
    out = []
    if request.program not in dataset.programs:
        out.append(f"Programa desconocido '{request.program}' (hay: "
                   f"{', '.join(sorted(dataset.programs))}).")
    if request.weeks < 1:
        out.append("El ciclo debe tener al menos una semana.")
    if request.department not in (NATIONAL, ALL_REGIONS, *DEPARTMENTS):
        out.append(f"Departamento desconocido '{request.department}'.")
    if request.budget_q is not None and request.budget_q <= 0:
        out.append("El presupuesto diario debe ser positivo.")
    if request.objective not in ("cost", "variety"):
        out.append(f"Objetivo desconocido '{request.objective}' (cost o variety).")
    if not 0 <= request.gap < 1 or request.time_limit_s <= 0:
        out.append("La brecha debe estar en [0, 1) y el tiempo límite ser positivo.")
    return out


def plan_cycle(dataset: Dataset, request: PlanRequest) -> PlanResult:
    """Build the menu cycle of `request` on `dataset`.

    Returns a PlanResult with the cycle (or None), the solver's status, the cost, a
    proven lower bound and the gap, the price of each binding target, and a Spanish
    diagnosis when no cycle meets every target and rule. Raises ValueError (Spanish
    message) when the request itself is invalid. `request.progress`, if given, is called
    with (fraction done, Spanish message).

    BLAS is held to one thread meanwhile: the models are small, and OpenBLAS's idle
    workers spin on the cores that the parallel pricing needs (measured: the shipped
    cadi cycle 5.7 s -> 4.5 s on 2 cores; see docs/optimizer.md).
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _plan(dataset, request)


def _plan(dataset: Dataset, request: PlanRequest) -> PlanResult:
    bad = check_request(dataset, request)
    if bad:
        raise ValueError(" ".join(bad))
    clock = Clock(request.time_limit_s)
    _progress(request, 0.0, "Preparando los datos")
    inst = build_instance(dataset, request)
    _warn_region(dataset, request, inst)
    if inst.problems:
        return _failed(inst, clock, "infeasible", EngineResult("infeasible"))
    mode = Mode.VARIETY if request.objective == "variety" else Mode.COST
    engine = Engine(inst, mode, request.threads)
    res = engine.run(clock, request.gap, request.progress)
    if res.menus is None or res.portions is None:
        status = "no_solution" if res.status == "no_solution" else "infeasible"
        return _failed(inst, clock, status, res)
    _check_bound(res)
    _progress(request, 0.97, "Calculando el precio de las metas")
    prices = target_prices(inst) if request.price_targets else ()
    T = inst.n_days
    costs = {g.age_group: res.portions[i].cost / T for i, g in enumerate(inst.groups)}
    cost = sum(float(inst.weights[i]) * c for i, c in enumerate(costs.values()))
    gap = res.gap
    status = ("optimal" if gap is not None and gap <= OPTIMAL_GAP else
              "gap_reached" if gap is not None and gap <= request.gap else
              "time_limit" if res.stopped_by_time else "feasible")
    result = PlanResult(
        status=status, cycle=None, objective=request.objective,
        objective_value=_per_day(res.objective, T), cost_q=round(cost, 6),
        lower_bound=_per_day(res.lower_bound, T), gap=None if gap is None else round(gap, 6),
        solve_seconds=clock.elapsed(), solver=SOLVER_NAME, settings=request.settings(),
        target_prices=prices, warnings_es=tuple(inst.warnings),
        stats={**res.stats, "cost_by_group": {k: round(v, 4) for k, v in costs.items()},
               "budget_regions": list(inst.budget_regions),
               "lower_bound_of": "el problema completo (relajación lineal agregada y "
                                 "cotas lagrangianas)"},
    )
    cycle = assemble_cycle(inst, res.menus, res.portions, {})
    problems = [*family_problems(inst, engine.fe, engine.fam, mode, res.menus, res.portions),
                *verify_cycle(dataset, cycle, request),
                *_quality_problems(dataset, cycle, request)]
    warnings = (*inst.warnings, *(f"Revisión: {p}" for p in problems))
    _progress(request, 1.0, "Listo")
    # a cycle that fails its own check is a bug to report, never an optimum
    final = replace(result, warnings_es=warnings,
                    status="unverified" if problems else result.status)
    return replace(final, cycle=replace(cycle, extra=final.report_dict()))


def _quality_problems(dataset: Dataset, cycle: MenuCycle, request: PlanRequest) -> list[str]:
    """The rules of the requested quality standard that the cycle fails, in Spanish."""
    if not request.quality.rules:
        return []
    report = check_cycle(cycle, dataset, request.quality)
    return [f"{r.age_group_es}: {r.title_es}: {r.summary_es}" for r in report.failed]


def _check_bound(res: EngineResult) -> None:
    """A lower bound above the cost of a cycle that keeps every rule is a bug."""
    if res.objective is None or res.lower_bound is None:
        return
    if res.lower_bound > res.objective + BOUND_TOL * max(1.0, abs(res.objective)):
        raise RuntimeError(f"Error interno del optimizador: la cota inferior "
                           f"({res.lower_bound:.6f}) supera el valor del ciclo encontrado "
                           f"({res.objective:.6f}); el resultado no es confiable.")


def _per_day(value: float | None, days: int) -> float | None:
    return None if value is None else round(value / days, 6)


def _progress(request: PlanRequest, fraction: float, message: str) -> None:
    if request.progress is not None:
        request.progress(fraction, message)


def _warn_region(dataset: Dataset, request: PlanRequest, inst: Instance) -> None:
    region = request.department
    if region not in (NATIONAL, ALL_REGIONS) and region not in dataset.price_regions:
        inst.warnings.append(f"'{region}' no tiene precios propios en los datos: se usan los "
                             "precios nacionales.")


def _failed(inst: Instance, clock: Clock, status: str, res: EngineResult) -> PlanResult:
    request = inst.request
    diagnosis = None
    if request.diagnose:
        _progress(request, 0.9, "Buscando por qué no hay ciclo")
        budget = Clock(max(DIAGNOSIS_MIN_SECONDS, clock.remaining()))
        diagnosis = diagnose(inst, budget, res.status)
    T = inst.n_days
    return PlanResult(
        status=status, cycle=None, objective=request.objective, objective_value=None,
        cost_q=None, lower_bound=_per_day(res.lower_bound, T), gap=None,
        solve_seconds=clock.elapsed(), solver=SOLVER_NAME, settings=request.settings(),
        diagnosis=diagnosis, warnings_es=tuple(inst.warnings), stats=res.stats)
