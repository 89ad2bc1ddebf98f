"""Build data/foods/foods.csv and data/foods/foods_provenance.csv.

Reads the food selection (data/foods/food_selection.csv), the INCAP/OPS Central American food
composition table (2nd ed., 2012) and the USDA SR28 subset copied under data/reference/, and
writes one row per selected food with the contract's nutrient columns, plus a provenance table
that says where every value came from. Rules (documented in docs/data-foods.md):

1. INCAP value where the table has one.
2. Zeros that mean "not analysed" are treated as blanks (ZERO_RULES below).
3. INCAP blanks are filled from the mapped USDA SR28 row; never from an enriched USDA row the
   fortificant nutrients of an unenriched INCAP food.
4. Folate: `folato_eq_fd_mcg` (DFE); else, in native rows, `acido_folico_mcg` (total food
   folate). Vitamin A as given (INCAP retinol equivalents or USDA RAE; see the notes).
5. A value no source has is written ND (never 0, never blank).

Run: .venv/bin/python scripts/build_foods.py
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from menu_planner.domain import FOOD_GROUPS, NUTRIENTS, DataError, Problem  # noqa: E402
from menu_planner.domain.constants import UNKNOWN_MARK  # noqa: E402
from menu_planner.tabular import Column, Row, check_unique, read_table  # noqa: E402

SELECTION = ROOT / "data/foods/food_selection.csv"
INCAP = ROOT / "data/reference/incap_tca_2012_nutrientes.csv"
USDA = ROOT / "data/reference/usda_sr28_menu_subset.csv"
OUT_DIR = ROOT / "data/foods"

INCAP_LABEL = "INCAP TCA 2012"
USDA_LABEL = "USDA SR28"

MARKET_SECTIONS = (
    "Granos básicos y abarrotes",
    "Verduras y hierbas",
    "Frutas",
    "Carnes, pollo y pescado",
    "Lácteos y huevos",
    "Panadería y tortillería",
    "Condimentos y otros",
)

# Contract nutrient -> INCAP column (folate is handled apart) and USDA column.
INCAP_COLS: dict[str, str] = {
    "energy_kcal": "energia_kcal", "protein_g": "proteina_g", "fat_g": "grasa_total_g",
    "carbohydrate_g": "carbohidratos_g", "fiber_g": "fibra_dietetica_g",
    "calcium_mg": "calcio_mg", "iron_mg": "hierro_mg", "zinc_mg": "zinc_mg",
    "vitamin_a_ug_rae": "vit_a_eq_retinol_mcg", "vitamin_c_mg": "vit_c_mg",
    "sodium_mg": "sodio_mg",
}
USDA_COLS: dict[str, str] = {
    "energy_kcal": "energy_kcal", "protein_g": "protein_g", "fat_g": "fat_g",
    "carbohydrate_g": "carbohydrate_g", "fiber_g": "fiber_g", "calcium_mg": "calcium_mg",
    "iron_mg": "iron_mg", "zinc_mg": "zinc_mg", "vitamin_a_ug_rae": "vitamin_a_rae_mcg",
    "vitamin_c_mg": "vitamin_c_mg", "folate_ug_dfe": "folate_dfe_mcg", "sodium_mg": "sodium_mg",
}
INCAP_NUMERIC = [*INCAP_COLS.values(), "acido_folico_mcg", "folato_eq_fd_mcg",
                 "fraccion_comestible"]

PLANT_GROUPS = frozenset({"cereales", "leguminosas", "verduras", "frutas"})
PRODUCE_GROUPS = frozenset({"verduras", "frutas"})
# Nutrients an enrichment adds; an enriched USDA row must not fill them for unenriched food.
FORTIFICANTS = frozenset({"iron_mg", "folate_ug_dfe"})


@dataclass(frozen=True)
class ZeroRule:
    """A zero that the rule matches is read as 'not analysed' (a blank)."""

    nutrients: tuple[str, ...]
    reason: str

    def applies(self, nutrient: str, group: str, values: dict[str, float | None]) -> bool:
        if nutrient not in self.nutrients:
            return False
        protein = values.get("protein_g") or 0.0
        carbs = values.get("carbohydrate_g") or 0.0
        if self.reason == "protein":
            return protein >= 1.0
        if self.reason == "plant_fiber":
            return group in PLANT_GROUPS and carbs >= 2.0
        return group in PRODUCE_GROUPS  # "produce_vitc"


ZERO_RULES: tuple[tuple[ZeroRule, str], ...] = (
    (ZeroRule(("zinc_mg", "iron_mg", "calcium_mg", "folate_ug_dfe"), "protein"),
     "cero leído como 'no analizado': alimento con proteína >= 1 g/100 g no puede carecer "
     "de este nutriente"),
    (ZeroRule(("fiber_g",), "plant_fiber"),
     "cero leído como 'no analizado': alimento vegetal con carbohidratos >= 2 g/100 g"),
    (ZeroRule(("vitamin_c_mg",), "produce_vitc"),
     "cero leído como 'no analizado': fruta o verdura fresca"),
)


@dataclass
class FoodOut:
    """One built food: values (None = ND) and where each came from."""

    sel: Row
    values: dict[str, float | None] = field(default_factory=dict)
    prov: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # source, code, note
    edible: float = 1.0


def fmt(value: float | None) -> str:
    """Fixed formatting of every number written (two decimals, no negative zero); ND if None."""
    if value is None:
        return UNKNOWN_MARK
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _selection_columns() -> list[Column]:
    return [
        Column("food_id"), Column("name_es"),
        Column("food_group", choices=tuple(FOOD_GROUPS)),
        Column("incap_code", required=False, default=""),
        Column("usda_ndb", required=False, default=""),
        Column("market_section", choices=MARKET_SECTIONS),
        Column("keeps", "bool"),
        Column("notes", required=False, default=""),
    ]


def read_inputs(selection: Path, incap: Path, usda: Path
                ) -> tuple[list[Row], dict[str, Row], dict[str, Row]]:
    """The selection and both tables keyed by code; DataError listing every problem."""
    sel, problems = read_table(selection, _selection_columns(), label=selection.name)
    inc_rows, p2 = read_table(incap, [Column("codigo"), Column("nombre"),
                                      *(Column(c, "float", required=False, min=0.0)
                                        for c in INCAP_NUMERIC)], label=incap.name)
    us_rows, p3 = read_table(usda, [Column("ndb_no"), Column("description"),
                                    *(Column(c, "float", required=False, min=0.0)
                                      for c in [*USDA_COLS.values(), "edible_fraction"])],
                             label=usda.name)
    problems += p2 + p3
    problems += check_unique(sel, lambda r: r["food_id"], selection.name, "food_id", "food_id")
    inc = {r["codigo"]: r for r in inc_rows}
    us = {r["ndb_no"]: r for r in us_rows}
    for r in sel:
        line = r["_line"]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", r["food_id"]):
            problems.append(Problem(selection.name, line, "food_id",
                                    "use solo minúsculas ASCII, cifras y '_'"))
        if not r["incap_code"] and not r["usda_ndb"]:
            problems.append(Problem(selection.name, line, "incap_code",
                                    "el alimento no tiene código INCAP ni USDA"))
        if r["incap_code"] and r["incap_code"] not in inc:
            problems.append(Problem(selection.name, line, "incap_code",
                                    f"el código INCAP {r['incap_code']} no está en la tabla"))
        if r["usda_ndb"] and r["usda_ndb"] not in us:
            problems.append(Problem(selection.name, line, "usda_ndb",
                                    f"el código USDA {r['usda_ndb']} no está en el subconjunto"))
    if problems:
        raise DataError(problems)
    return sel, inc, us


def _is_native(row: Row) -> bool:
    """INCAP rows of native analyses leave folato_eq_fd_mcg blank (USDA-derived rows fill it)."""
    return row["folato_eq_fd_mcg"] is None


def _incap_value(row: Row, nutrient: str) -> tuple[float | None, str]:
    if nutrient != "folate_ug_dfe":
        return row[INCAP_COLS[nutrient]], INCAP_COLS[nutrient]
    if row["folato_eq_fd_mcg"] is not None:
        return row["folato_eq_fd_mcg"], "folato_eq_fd_mcg"
    return row["acido_folico_mcg"], "acido_folico_mcg"


def _enrichment_clash(inc: Row | None, us: Row | None) -> bool:
    if inc is None or us is None:
        return False
    usda_enriched = re.search(r"\bENR\b", us["description"]) is not None
    incap_plain = re.search(r"S/ENRIQUECER|NO ENRIQUECIDA", inc["nombre"]) is not None
    return usda_enriched and incap_plain


def _note(nutrient: str, source: str, column: str, inc: Row | None) -> str:
    if nutrient == "vitamin_a_ug_rae":
        if source == USDA_LABEL:
            return "equivalentes de actividad de retinol (EAR/RAE)"
        if inc is not None and _is_native(inc):
            return ("equivalentes de retinol (ER) de INCAP; en vegetales el valor en EAR "
                    "puede ser hasta la mitad")
        return "fila INCAP derivada de USDA: valor en EAR (RAE)"
    if nutrient == "folate_ug_dfe" and source == INCAP_LABEL:
        if column == "acido_folico_mcg":
            return ("acido_folico_mcg de fila nativa: folato total del alimento, tomado como "
                    "EFD (subestima si incluye ácido fólico añadido)")
        return "folato_eq_fd_mcg (EFD)"
    return ""


def build_food(sel: Row, inc_tab: dict[str, Row], us_tab: dict[str, Row]) -> FoodOut:
    """Values and provenance of one selected food, by the rules of the module docstring."""
    inc = inc_tab.get(sel["incap_code"]) if sel["incap_code"] else None
    us = us_tab.get(sel["usda_ndb"]) if sel["usda_ndb"] else None
    out = FoodOut(sel)
    raw: dict[str, tuple[float | None, str]] = {}
    for n in NUTRIENTS:
        raw[n] = _incap_value(inc, n) if inc is not None else (None, "")
    first = {n: v for n, (v, _) in raw.items()}
    clash = _enrichment_clash(inc, us)
    for n in NUTRIENTS:
        value, column = raw[n]
        note = ""
        if inc is not None and value == 0.0:
            for rule, why in ZERO_RULES:
                if rule.applies(n, sel["food_group"], first):
                    value, note = None, why
                    break
        if value is not None:
            out.values[n] = value
            out.prov[n] = (INCAP_LABEL, sel["incap_code"],
                           _join(column, _note(n, INCAP_LABEL, column, inc)))
            continue
        usable = us is not None and us[USDA_COLS[n]] is not None
        if usable and clash and n in FORTIFICANTS:
            usable = False
            note = _join(note, "fila USDA enriquecida no usada para alimento sin enriquecer")
        if usable and us is not None:
            out.values[n] = us[USDA_COLS[n]]
            why = "vacío en INCAP" if inc is not None and not note else note
            why = why if inc is not None else "alimento sin fila INCAP"
            out.prov[n] = (USDA_LABEL, sel["usda_ndb"],
                           _join(why, _note(n, USDA_LABEL, USDA_COLS[n], inc)))
        else:
            out.values[n] = None
            out.prov[n] = ("ND", "", _join(note, "ninguna fuente tiene el valor"))
    _edible(out, inc, us)
    return out


def _edible(out: FoodOut, inc: Row | None, us: Row | None) -> None:
    frac = inc["fraccion_comestible"] if inc is not None else None
    if frac is not None and 0.0 < frac <= 1.0:
        out.edible = frac
        out.prov["edible_fraction"] = (INCAP_LABEL, out.sel["incap_code"], "fraccion_comestible")
        return
    ufrac = us["edible_fraction"] if us is not None else None
    if ufrac is not None and 0.0 < ufrac <= 1.0:
        out.edible = ufrac
        out.prov["edible_fraction"] = (USDA_LABEL, out.sel["usda_ndb"],
                                       "1 - refuse_pct/100 (INCAP sin fracción comestible)")
        return
    out.edible = 1.0
    out.prov["edible_fraction"] = ("supuesto", "", "ninguna fuente tiene fracción comestible: "
                                                   "se supone 1.00 (sin desperdicio)")
    print(f"AVISO: {out.sel['food_id']}: sin fracción comestible; se usa 1.00", file=sys.stderr)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def source_text(f: FoodOut) -> str:
    """The short citation of foods.csv's `source` column."""
    parts = []
    if f.sel["incap_code"]:
        parts.append(f"{INCAP_LABEL} cód. {f.sel['incap_code']}")
    filled = [n for n in NUTRIENTS if f.prov[n][0] == USDA_LABEL]
    if f.prov["edible_fraction"][0] == USDA_LABEL:
        filled.append("edible_fraction")
    if filled:
        which = "todos" if not f.sel["incap_code"] else ", ".join(filled)
        parts.append(f"{USDA_LABEL} {f.sel['usda_ndb']} ({which})")
    missing = [n for n in NUTRIENTS if f.values[n] is None]
    if missing:
        parts.append(f"ND: {', '.join(missing)}")
    return "; ".join(parts)


FOOD_HEADER = ["food_id", "name_es", "food_group", "edible_fraction", *NUTRIENTS, "source",
               "market_section", "keeps"]
PROV_HEADER = ["food_id", "nutrient", "value", "source", "source_code", "note"]


def write_outputs(foods: list[FoodOut], out_dir: Path) -> None:
    """foods.csv and foods_provenance.csv, rows sorted by food_id."""
    foods = sorted(foods, key=lambda f: f.sel["food_id"])
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "foods.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(FOOD_HEADER)
        for f in foods:
            vals = [fmt(f.values[n]) for n in NUTRIENTS]
            w.writerow([f.sel["food_id"], f.sel["name_es"], f.sel["food_group"], fmt(f.edible),
                        *vals, source_text(f), f.sel["market_section"],
                        "1" if f.sel["keeps"] else "0"])
    with (out_dir / "foods_provenance.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(PROV_HEADER)
        for f in foods:
            src, code, note = f.prov["edible_fraction"]
            w.writerow([f.sel["food_id"], "edible_fraction", fmt(f.edible), src, code, note])
            for n in NUTRIENTS:
                src, code, note = f.prov[n]
                w.writerow([f.sel["food_id"], n, fmt(f.values[n]), src, code, note])


def main(argv: list[str] | None = None) -> int:
    """Build the tables; exit 1 with every problem listed when an input is wrong."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--selection", type=Path, default=SELECTION)
    ap.add_argument("--incap", type=Path, default=INCAP)
    ap.add_argument("--usda", type=Path, default=USDA)
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = ap.parse_args(argv)
    try:
        sel, inc, us = read_inputs(args.selection, args.incap, args.usda)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    foods = [build_food(r, inc, us) for r in sel]
    write_outputs(foods, args.out_dir)
    nd = sum(v is None for f in foods for v in f.values.values())
    print(f"{len(foods)} alimentos escritos en {args.out_dir / 'foods.csv'} ({nd} valores ND)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
