"""Reading variants and writing substituted purchase lists for `purchases-sustituir`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from menu_planner.cli._files import write_atomic
from menu_planner.domain import Center, DataError, Dataset, MenuCycle, Problem
from menu_planner.exchanges.formats import breach_to_dict, substitution_to_dict
from menu_planner.exchanges.purchase_flow import SubstitutedWeek, substituted_week
from menu_planner.export.safe_cells import csv_frame
from menu_planner.procurement import load_attendance, load_purchase_settings
from menu_planner.procurement.formats import purchases_frame, purchases_to_dict
from menu_planner.variants.purchases import (
    VariantUse,
    check_variant,
    load_special_counts,
)


def read_variant(path: Path, base: MenuCycle, centers_path: Path,
                 centers: Sequence[Center]) -> VariantUse:
    """A variant file, checked against the base cycle, with each center's people of its
    subgroup from the centers file."""
    from menu_planner.cli.exchanges_cmd import read_cycle, read_json

    doc = read_json(path)
    section = doc.get("variant") if isinstance(doc, dict) else None
    subgroup = section.get("subgroup") if isinstance(section, dict) else None
    if not isinstance(subgroup, str):
        raise DataError([Problem(path.name, None, "variant",
                                 "no es una variante (falta variant.subgroup): use el "
                                 "archivo que escribe 'menu-planner variante'")])
    cycle = read_cycle(path)
    problems = check_variant(base, cycle, path.name)
    if problems:
        raise DataError(problems)
    counts = load_special_counts(centers_path, centers, subgroup, base.age_groups,
                                 label=centers_path.name)
    return VariantUse(subgroup, cycle, counts)


def purchase_outcome(
    dataset: Dataset, cycle: MenuCycle, centers: Sequence[Center], centers_path: Path,
    week: int, unavailable: list[str], variants: list[Path], *, region: str | None,
    data: Path | None, as_of: date | None,
) -> tuple[SubstitutedWeek, list[VariantUse]]:
    """Lists before and after the substitutions, with the variants' people."""
    uses = [read_variant(p, cycle, centers_path, centers) for p in variants]
    result = substituted_week(
        dataset, cycle, centers, week, unavailable, region=region, data_dir=data,
        variants=uses, settings=load_purchase_settings(data),
        attendance=load_attendance(centers_path, label=centers_path.name), as_of=as_of)
    return result, uses


def write_purchases(out: Path, fmt: str, result: SubstitutedWeek,
                    uses: Sequence[VariantUse]) -> None:
    """The substituted lists in the purchases agent's formats (JSON with extra sections)."""
    wk = result.after
    if fmt == "json":
        doc = purchases_to_dict(wk)
        doc["substitutions"] = [substitution_to_dict(s) for s in result.substitutions]
        doc["breaches"] = [breach_to_dict(b) for b in result.day_breaches]
        doc["budget_breaches"] = [
            {"center_id": b.center_id, "budget_q": b.budget_q, "before_q": b.before_q,
             "after_q": b.after_q, "message_es": b.message_es()}
            for b in result.budget_breaches]
        doc["variants"] = [{"subgroup": u.subgroup, "people": {c: dict(g) for c, g in
                                                               u.counts.items()}}
                           for u in uses]
        doc["total_before_q"] = {c: t for c, t in result.before.totals_by_center().items()}
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        write_atomic(out, lambda p: p.write_text(text, encoding="utf-8"))
    elif fmt == "csv":
        frame = purchases_frame(wk)
        write_atomic(out, lambda p: csv_frame(frame).to_csv(p, index=False,
                                                           encoding="utf-8"))
    else:
        from menu_planner.export.purchases_xlsx import write_purchases_xlsx

        write_atomic(out, lambda p: write_purchases_xlsx([wk], p))
