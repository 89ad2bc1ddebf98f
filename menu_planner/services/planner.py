"""The bridge to the optimizer: GenerateParams in, a MenuCycle out, PlanFailed with the
optimizer's diagnosis (in Spanish) when no cycle meets the targets."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from menu_planner.domain import Dataset, MenuCycle
from menu_planner.services.cycles import GenerateParams, PlanFailed
from menu_planner.services.jobs import ProgressFn

FAILED_ES = {
    "infeasible": "Ningún ciclo cumple todas las metas y reglas con estos datos y este "
                  "presupuesto.",
    "no_solution": "Se acabó el tiempo antes de encontrar un ciclo; aumente el límite de "
                   "tiempo o revise las metas.",
}


def optimizer_planner(dataset: Dataset, params: GenerateParams,
                      progress: ProgressFn, data_dir: Path | None = None) -> MenuCycle:
    """Build a cycle with `menu_planner.optimizer.plan_cycle`, with the variety rules and
    the menu-quality standard of `data_dir` (the shipped ones by default); the solver's
    report (status, gap, time, target prices) is kept in the cycle document."""
    try:
        from menu_planner.optimizer import plan_cycle
        from menu_planner.optimizer.request import Exclusion, Pin, PlanRequest
        from menu_planner.optimizer.rules import VarietyRule, VarietyRules, load_variety_rules
        from menu_planner.quality import checked_standard
    except ImportError as exc:
        raise PlanFailed("El optimizador no está disponible en esta instalación.") from exc
    pins = tuple(Pin(str(p["recipe_id"]), int(p["week"]), int(p["weekday"]), str(p["slot"]))
                 for p in params.pins)
    exclusions = tuple(Exclusion(str(e["recipe_id"]), tuple(int(w) for w in e.get("weeks") or ()))
                       for e in params.exclusions)
    rules = load_variety_rules(data_dir)
    if params.main_dish_max_per_cycle is not None:  # the program's row replaces a "*" row
        rules = VarietyRules((*rules.rules, VarietyRule(
            params.program, "max_per_cycle", "component", "plato_principal",
            params.main_dish_max_per_cycle, scope="menu")),
            f"{rules.source}; cada plato principal a lo sumo "
            f"{params.main_dish_max_per_cycle} veces en el ciclo")
    kwargs: dict[str, Any] = {"program": params.program, "weeks": params.weeks,
                              "department": params.department, "budget_q": params.budget_q,
                              "objective": params.objective, "pins": pins,
                              "exclusions": exclusions,
                              "rules": rules, "progress": progress,
                              "quality": checked_standard(dataset, data_dir)}
    if params.time_limit_s is not None:
        kwargs["time_limit_s"] = params.time_limit_s
    try:
        result = plan_cycle(dataset, PlanRequest(**kwargs))
    except ValueError as exc:  # the optimizer's Spanish word on an impossible request
        raise PlanFailed(f"La solicitud no se puede planificar: {exc}") from exc
    if result.status == "unverified":  # a cycle that fails its own check is not kept
        raise PlanFailed("El ciclo armado no pasó su propia revisión (error del "
                         "optimizador).", [{"message": w} for w in result.warnings_es
                                           if w.startswith("Revisión:")])
    if result.cycle is None:
        diagnosis = result.diagnosis
        details: list[dict[str, Any]] = [{"message": line}
                                         for line in (diagnosis.lines_es if diagnosis else ())]
        if diagnosis is not None:
            details.append({"diagnosis": diagnosis.to_dict()})
        message = FAILED_ES.get(result.status, f"El optimizador no produjo un ciclo "
                                               f"({result.status}).")
        raise PlanFailed(message, details)
    report = result.report_dict()
    extra = dict(result.cycle.extra)
    for key, value in report.items():
        extra.setdefault(key, value)
    cycle: MenuCycle = replace(result.cycle, extra=extra)
    return cycle
