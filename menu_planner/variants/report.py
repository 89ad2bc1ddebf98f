"""What a variant changed, what it costs and how much of the base cycle it reuses; and the
variant cycle file (`menu_planner.cycle/1` with a `variant` section). Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from menu_planner.domain import Dataset, MenuCycle, MenuDay, cycle_to_dict
from menu_planner.spanish import slot_name
from menu_planner.variants.model import DayOutcome, base_items
from menu_planner.variants.special import SubgroupTargets

VARIANT_FORMAT = "menu_planner.variant/1"
PORTION = "portion"
REMOVED = "removed"
ADDED = "added"
SWAP = "swap"


@dataclass(frozen=True)
class Change:
    """One change against the base day: a portion (per age group), a dish removed, a dish
    added, or a swap (a dish removed and another added in the same slot and component)."""

    kind: str  # portion | removed | added | swap
    slot: str
    recipe_id: str
    new_recipe_id: str | None = None
    age_group: str | None = None
    before: float | None = None
    after: float | None = None

    def message_es(self, names: Mapping[str, str],
                   groups: Mapping[str, str] | None = None) -> str:
        """A Spanish sentence, with dish names from `names` (recipe_id -> name) and age
        group names from `groups`."""
        dish = names.get(self.recipe_id, self.recipe_id)
        slot = slot_name(self.slot)
        if self.kind == PORTION:
            group = (groups or {}).get(self.age_group or "", self.age_group)
            return (f"{slot}: {dish}, {group}: porción {self.before:g} → {self.after:g}")
        if self.kind == REMOVED:
            return f"{slot}: se quita {dish}"
        new = names.get(self.new_recipe_id or "", self.new_recipe_id or "")
        if self.kind == ADDED:
            return f"{slot}: se agrega {new}"
        return f"{slot}: {dish} se cambia por {new}"


@dataclass(frozen=True)
class DayReport:
    """One day of the variant: solver status, dishes reused, changes, cost per person per
    age group (base, variant) and the targets it still misses (Spanish)."""

    week: int
    weekday: int
    status: str
    reused: int
    base_items: int
    changes: tuple[Change, ...]
    cost: Mapping[str, tuple[float, float]]
    misses: tuple[str, ...]
    gap: float | None = None

    @property
    def reused_share(self) -> float:
        """Share of the base day's dishes kept (1.0 for a day with no dishes)."""
        return self.reused / self.base_items if self.base_items else 1.0


@dataclass(frozen=True)
class VariantResult:
    """A variant cycle and its report."""

    base: MenuCycle
    cycle: MenuCycle
    special: SubgroupTargets
    days: tuple[DayReport, ...]
    week_misses: tuple[str, ...]
    region: str

    @property
    def reused_share(self) -> float:
        """Share of all base dishes of the cycle that the variant keeps."""
        total = sum(d.base_items for d in self.days)
        return sum(d.reused for d in self.days) / total if total else 1.0

    @property
    def swaps(self) -> int:
        """Dishes swapped, added or removed over the cycle."""
        return sum(1 for d in self.days for c in d.changes if c.kind != PORTION)

    @property
    def ok(self) -> bool:
        """Whether every day and week meets the subgroup's targets and the budget."""
        return not self.week_misses and not any(d.misses for d in self.days)

    def cost_summary(self) -> dict[str, dict[str, float]]:
        """Per age group: mean Q per person per day of base and variant, and difference."""
        out: dict[str, dict[str, float]] = {}
        for g in self.cycle.age_groups:
            base = sum(d.cost[g][0] for d in self.days) / len(self.days)
            var = sum(d.cost[g][1] for d in self.days) / len(self.days)
            out[g] = {"base_q": round(base, 4), "variant_q": round(var, 4),
                      "difference_q": round(var - base, 4)}
        return out


def describe_changes(
    base: MenuDay, outcome: DayOutcome, groups: Sequence[str], dataset: Dataset
) -> list[Change]:
    """Portion changes of kept dishes, then removals and additions (paired into swaps when
    they share slot and component)."""
    out: list[Change] = []
    removed: list[tuple[str, str]] = []
    for (slot, rid, portions), kept in zip(base_items(base), outcome.kept, strict=True):
        if kept is None:
            removed.append((slot, rid))
            continue
        for g in groups:
            before, after = portions.get(g, 0.0), kept.get(g, 0.0)
            if abs(before - after) > 1e-9:
                out.append(Change(PORTION, slot, rid, None, g, before, after))
    added = [(slot, rid) for slot, rid, _ in outcome.added]
    for slot, rid in removed:
        comp = dataset.recipes[rid].component
        match = next((a for a in added if a[0] == slot and
                      dataset.recipes[a[1]].component == comp), None)
        if match is not None:
            added.remove(match)
            out.append(Change(SWAP, slot, rid, match[1]))
        else:
            out.append(Change(REMOVED, slot, rid))
    out += [Change(ADDED, slot, "", rid) for slot, rid in added]
    return out


def group_names(r: VariantResult, ds: Dataset) -> dict[str, str]:
    """Age group code -> its name ('*', every group of the program, -> 'todos')."""
    names = {g.age_group: g.name_es for g in ds.age_groups_of(r.cycle.program)}
    return {"*": "todos", **names}


def variant_report(result: VariantResult, dataset: Dataset) -> dict[str, Any]:
    """The `variant` section of the variant cycle file."""
    sp = result.special
    names = {rid: r.name_es for rid, r in dataset.recipes.items()}
    groups = group_names(result, dataset)
    return {
        "format": VARIANT_FORMAT,
        "subgroup": sp.subgroup,
        "subgroup_name_es": sp.name_es,
        "price_region": result.region,
        "reused_share": round(result.reused_share, 4),
        "swaps": result.swaps,
        "ok": result.ok,
        "cost_q_per_person_day": result.cost_summary(),
        "special_targets": [
            {"age_group": t.age_group, "nutrient": t.nutrient, "min": t.min, "max": t.max,
             "basis": t.basis} for t in sp.changed],
        "portion_ranges": {g: list(r) for g, r in sp.portion_ranges.items()},
        "sources": list(sp.sources),
        "week_misses_es": list(result.week_misses),
        "days": [_day_dict(d, names, groups) for d in result.days],
    }


def _day_dict(d: DayReport, names: Mapping[str, str],
              groups: Mapping[str, str]) -> dict[str, Any]:
    return {
        "week": d.week, "weekday": d.weekday, "status": d.status, "gap": d.gap,
        "reused": d.reused, "base_items": d.base_items,
        "reused_share": round(d.reused_share, 4),
        "cost_q": {g: {"base_q": b, "variant_q": v, "difference_q": round(v - b, 4)}
                   for g, (b, v) in d.cost.items()},
        "changes": [{"kind": c.kind, "slot": c.slot, "recipe_id": c.recipe_id or None,
                     "new_recipe_id": c.new_recipe_id, "age_group": c.age_group,
                     "before": c.before, "after": c.after,
                     "message_es": c.message_es(names, groups)}
                    for c in d.changes],
        "misses_es": list(d.misses),
    }


def variant_to_dict(result: VariantResult, dataset: Dataset) -> dict[str, Any]:
    """The variant cycle file: a `menu_planner.cycle/1` document (usable wherever a cycle
    is) with a `variant` section."""
    doc = cycle_to_dict(result.cycle)
    doc["variant"] = variant_report(result, dataset)
    return doc
