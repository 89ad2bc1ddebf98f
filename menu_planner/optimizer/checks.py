"""Impossibilities found before solving, explained in Spanish: a slot no suitable dish can
fill for an age group, a pin or exclusion that names an unknown dish or breaks a rule,
rules that ask for more distinct dishes than the data has."""

from __future__ import annotations

from collections import Counter

from menu_planner.optimizer.instance import Instance
from menu_planner.optimizer.request import Pin
from menu_planner.optimizer.rules import names_in
from menu_planner.spanish import component_name, slot_name


def apply_pins_and_exclusions(inst: Instance) -> None:
    """Fill `inst.forced` and `inst.forbidden`; add a problem for every bad pin/exclusion."""
    ds, req = inst.dataset, inst.request
    index = inst.dish_index()
    for e in req.exclusions:
        if e.recipe_id not in ds.recipes:
            inst.problems.append(f"No se puede excluir '{e.recipe_id}': no existe esa receta.")
            continue
        bad = [w for w in e.weeks if not 1 <= w <= inst.weeks]
        if bad:
            inst.problems.append(f"La exclusión de '{e.recipe_id}' nombra semanas fuera del "
                                 f"ciclo: {bad}.")
        if e.recipe_id in index:
            for w in e.weeks:
                for j in range(1, inst.days_per_week + 1):
                    day = inst.day_index(w, j) if 1 <= w <= inst.weeks else -1
                    if day >= 0:
                        inst.forbidden[day] = inst.forbidden.get(day, frozenset()) | {
                            index[e.recipe_id]}
    forced: dict[int, list[int]] = {}
    for pin in req.pins:
        placement = _pin_placement(inst, pin)
        if placement is not None:
            forced.setdefault(inst.day_index(pin.week, pin.weekday), []).append(placement)
    inst.forced = {d: tuple(sorted(set(p))) for d, p in sorted(forced.items())}
    _check_pins_against_rules(inst)
    _check_slots(inst)
    _check_rule_supply(inst)
    _check_cycle_supply(inst)


def _pin_placement(inst: Instance, pin: Pin) -> int | None:
    ds, req = inst.dataset, inst.request
    where = (f"El plato fijado '{pin.recipe_id}' (semana {pin.week}, día {pin.weekday}, "
             f"{pin.slot})")
    recipe = ds.recipes.get(pin.recipe_id)
    if recipe is None:
        inst.problems.append(f"{where}: no existe esa receta.")
        return None
    if not (1 <= pin.week <= inst.weeks and 1 <= pin.weekday <= inst.days_per_week):
        inst.problems.append(f"{where}: el día no existe en un ciclo de {inst.weeks} semanas "
                             f"de {inst.days_per_week} días.")
        return None
    if req.program not in recipe.programs:
        inst.problems.append(f"{where}: la receta no es del programa {req.program}.")
        return None
    index = inst.dish_index()
    if pin.recipe_id not in index:
        inst.problems.append(f"{where}: la receta está excluida o fuera del menú (ver "
                             "advertencias).")
        return None
    day = inst.day_index(pin.week, pin.weekday)
    if index[pin.recipe_id] in inst.forbidden.get(day, frozenset()):
        inst.problems.append(f"{where}: la receta está excluida esa semana.")
        return None
    for p in inst.placements:
        if p.dish == index[pin.recipe_id] and p.slot == pin.slot:
            return p.index
    inst.problems.append(f"{where}: la receta no se sirve en '{pin.slot}' (sus tiempos de "
                         f"comida son {', '.join(recipe.slots)}).")
    return None


def _check_pins_against_rules(inst: Instance) -> None:
    names = names_in(inst.dataset)
    for day, placements in inst.forced.items():
        per_line = Counter(inst.placements[p].sc for p in placements)
        for sc, n in per_line.items():
            line = inst.slot_components[sc]
            if n > line.max_items:
                inst.problems.append(
                    f"Semana {inst.week_of(day)}, día {inst.weekday_of(day)}: se fijaron {n} "
                    f"platos de {component_name(line.component)} en "
                    f"{slot_name(line.slot).lower()}, pero el patrón admite "
                    f"{line.max_items}.")
    pinned_days: dict[int, list[int]] = {}
    for day, placements in inst.forced.items():
        for p in placements:
            pinned_days.setdefault(inst.placements[p].dish, []).append(day)
    for rule in inst.rules:
        for dish, days in sorted(pinned_days.items()):
            if not _rule_covers(inst, rule.subject_kind, rule.subject, dish):
                continue
            name = inst.dishes[dish].name_es
            if rule.period in ("week", "cycle"):
                buckets = Counter(inst.week_of(d) if rule.period == "week" else 0
                                  for d in set(days))
                for w, n in buckets.items():
                    if n > rule.value:
                        span = f"la semana {w}" if rule.period == "week" else "el ciclo"
                        inst.problems.append(
                            f"El plato «{name}» está fijado {n} veces en {span}, pero la regla "
                            f"de variedad lo permite {rule.value} (regla: "
                            f"{rule.describe_es(names)}).")
            if rule.rule == "no_consecutive_days":
                ds = sorted(set(days))
                for a, b in zip(ds, [*ds[1:], ds[0] + inst.n_days], strict=True):
                    if b - a == 1:
                        inst.problems.append(
                            f"El plato «{name}» está fijado en dos días de servicio seguidos "
                            f"(semana {inst.week_of(a)}, día {inst.weekday_of(a)} y el "
                            f"siguiente), contra la regla: {rule.describe_es(names)}.")


def _rule_covers(inst: Instance, kind: str, subject: str, dish: int) -> bool:
    recipe = inst.dishes[dish]
    if kind == "dish":
        return subject in ("*", recipe.recipe_id)
    if kind == "component":
        return subject == recipe.component
    return False


def _check_slots(inst: Instance) -> None:
    for line in inst.slot_components:
        if line.min_items == 0:
            continue
        for g, grp in enumerate(inst.groups):
            for week in range(1, inst.weeks + 1):
                banned = inst.forbidden.get(inst.day_index(week, 1), frozenset())
                ok = {inst.placements[p].dish for p in line.placements
                      if g in inst.placements[p].serves} - banned
                if len(ok) >= line.min_items:
                    continue
                tag = (f" (los platos necesitan la etiqueta «{grp.requires_tag}»)"
                       if grp.requires_tag else "")
                span = "" if not banned else f" en la semana {week}"
                inst.problems.append(
                    f"Ningún plato disponible puede llenar {component_name(line.component)} "
                    f"en {slot_name(line.slot).lower()} para {grp.name_es}{tag}{span}: el "
                    f"patrón pide "
                    f"{line.min_items} y hay {len(ok)}.")
                break


def _check_rule_supply(inst: Instance) -> None:
    """A rule capping each dish of a component per week needs enough distinct dishes."""
    names = names_in(inst.dataset)
    for rule in inst.rules:
        if rule.period != "week" or rule.subject_kind != "component" or rule.scope != "menu":
            continue
        lines = [s for s in inst.slot_components if s.component == rule.subject]
        need = sum(s.min_items for s in lines) * inst.days_per_week
        dishes = {inst.placements[p].dish for s in lines for p in s.placements}
        if rule.value * len(dishes) < need:
            inst.problems.append(
                f"La regla «{rule.describe_es(names)}» pide al menos {need} platos "
                f"de {component_name(rule.subject)} por semana, pero solo hay {len(dishes)} "
                f"platos distintos que pueden servirse (cada uno a lo sumo {rule.value} "
                f"{'día' if rule.value == 1 else 'días'} por semana).")


def _check_cycle_supply(inst: Instance) -> None:
    """A cap per cycle on each dish of a component (in one slot, or any) needs, for every
    age group, enough distinct dishes that can be served to it: the rule is named, with
    the count that makes it impossible."""
    for rule in inst.rules:
        if rule.period != "cycle" or rule.subject_kind != "component":
            continue
        lines = [s for s in inst.slot_components if s.component == rule.subject
                 and (not rule.slot or s.slot == rule.slot)]
        need = sum(s.min_items for s in lines) * inst.n_days
        for g, grp in enumerate(inst.groups):
            dishes = {inst.placements[p].dish for s in lines for p in s.placements
                      if g in inst.placements[p].serves
                      or (rule.scope == "todos" and g in inst.placements[p].alt_groups)}
            if rule.value * len(dishes) >= need or need == 0:
                continue
            where = f" de {slot_name(rule.slot).lower()}" if rule.slot else ""
            what = component_name(rule.subject)
            inst.problems.append(
                f"Cada {what}{where} a lo sumo {rule.value} {times(rule.value)} en el ciclo: "
                f"{grp.name_es} necesita {need} en {inst.n_days} días, es decir al menos "
                f"{-(-need // rule.value)} platos distintos, y solo {len(dishes)} se le "
                f"pueden servir. Suba el tope o agregue platos.")
            break


def times(n: int) -> str:
    """'vez' or 'veces'."""
    return "vez" if n == 1 else "veces"
