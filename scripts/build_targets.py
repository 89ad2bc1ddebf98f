"""Builds data/menus/targets.csv from the NASEM DRI table and the shares stated below.

Run from the repository root:  .venv/bin/python scripts/build_targets.py
Every number written carries its source in the `source` column; docs/data-menus.md explains
each choice. A nutritionist changes a parameter here (share, body weight, activity) and
runs the script again, or edits targets.csv by hand.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from menu_planner.domain import DataError  # noqa: E402
from menu_planner.tabular import Column, read_table  # noqa: E402

DRI_FILE = ROOT / "data" / "reference" / "dri_nasem_selected.csv"
OUT_FILE = ROOT / "data" / "menus" / "targets.csv"

# --- Energy requirements (kcal/day), FAO/WHO/UNU 2004 "Human energy requirements",
# Tables 4.5 (boys) and 4.6 (girls); ages 6-7 at moderate habitual activity.
FAO_CHILD_KCAL: dict[str, tuple[float, float]] = {  # age band: (boys, girls)
    "1-2": (948, 865), "2-3": (1129, 1047), "3-4": (1252, 1156),
    "4-5": (1360, 1241), "5-6": (1467, 1330), "6-7": (1573, 1428),
}
FAO = "FAO/OMS/UNU 2004, cuadros 4.5 y 4.6"

# Energy from complementary foods of breastfed infants with average breast-milk intake,
# and their total energy requirement (Dewey & Brown 2003, Food Nutr Bull 24:5-28;
# OPS/OMS 2003, Principios de orientación para la alimentación complementaria).
INFANT_COMPLEMENTARY_KCAL = {"6-8m": 200.0, "9-11m": 300.0}
INFANT_TOTAL_KCAL = {"6-8m": 615.0, "9-11m": 686.0}
WHO_CF = "OPS/OMS 2003 y Dewey y Brown 2003"

# Program fact: the child centers serve about 1,200 kcal per child per day (SOSEP 2021).
CADI_KCAL_4_6Y = 1200.0

# Older adults: FAO/WHO/UNU 2004 BMR equations for 60 years and over (cuadro 5.2, MJ/day),
# times a sedentary-to-light physical activity level (cuadro 5.1: 1.40-1.69, midpoint 1.55).
BMR_60_PLUS_MJ = {"men": (0.049, 2.459), "women": (0.038, 2.755)}  # (per kg, constant)
BODY_WEIGHT_KG = {"men": 60.0, "women": 54.0}  # stated default (see docs)
PAL_OLDER_ADULTS = 1.55
KCAL_PER_MJ = 239.006
# Men and women enrolled in the 68 day centers of the 2024 report (mad_centers_2024.csv).
MAD_ENROLLED = {"men": 1176, "women": 1482}
# Share of the day's needs served by a day center: almuerzo 35 % + two refacciones 10 %
# each (stated default; the reports say "dos refacciones y almuerzo" but give no energy).
MAD_SHARE = 0.55

# NASEM 2019 sodium Chronic Disease Risk Reduction intakes (mg/day); no CDRR for infants.
SODIUM_CDRR = {"1-3 yr": 1200.0, "4-8 yr": 1500.0, "adults": 2300.0}
SODIUM_AI_INFANT = 370.0  # NASEM 2019 AI, 7-12 months (same as the table's value)
NASEM_NA = "NASEM 2019, Dietary Reference Intakes for Sodium and Potassium"

ENERGY_MIN_FACTOR = 0.95  # shortfall tolerated below the energy target
ENERGY_MAX_FACTOR = 1.10  # excess tolerated above it

MICRONUTRIENTS = {  # DRI nutrient name -> foods.csv column
    "calcium": "calcium_mg", "iron": "iron_mg", "zinc": "zinc_mg",
    "vitamin_a_rae": "vitamin_a_ug_rae", "vitamin_c": "vitamin_c_mg",
    "folate_dfe": "folate_ug_dfe",
}
HEADER = ["program", "age_group", "nutrient", "min", "max", "basis", "source", "note"]

DRI_COLUMNS = [
    Column("sex"), Column("stage"), Column("age_group"), Column("nutrient"),
    Column("dri_type"), Column("value", "float", required=False), Column("unit"),
    Column("footnote", required=False, default=""),
]

Dri = dict[tuple[str, str, str, str], float]  # (sex, age_group, nutrient, type) -> value


@dataclass(frozen=True)
class GroupSpec:
    """How one age group's targets are derived."""

    program: str
    age_group: str
    dri_groups: tuple[tuple[str, str], ...]  # (sex, DRI age group); the max is used
    share: float  # share of the DRI the center covers
    share_source: str
    energy_kcal: tuple[float, float, float]  # (target, min, max)
    energy_source: str
    fat_pct: tuple[float | None, float | None]
    fat_source: str
    sodium_max: float
    sodium_source: str


def mean(values: list[float]) -> float:
    """Arithmetic mean."""
    return sum(values) / len(values)


def fao_mean(bands: list[str]) -> float:
    """Mean FAO 2004 requirement of boys and girls over the given age bands."""
    return mean([v for b in bands for v in FAO_CHILD_KCAL[b]])


def older_adult_kcal() -> float:
    """Sex-weighted FAO 2004 energy requirement of the older adults enrolled."""
    total = sum(MAD_ENROLLED.values())
    kcal = 0.0
    for sex, (per_kg, const) in BMR_60_PLUS_MJ.items():
        bmr = (per_kg * BODY_WEIGHT_KG[sex] + const) * KCAL_PER_MJ
        kcal += bmr * PAL_OLDER_ADULTS * MAD_ENROLLED[sex] / total
    return kcal


def load_dri(path: Path) -> Dri:
    """The DRI table as a look-up; DataError with every problem if it does not read."""
    rows, problems = read_table(path, DRI_COLUMNS, label=str(path.name))
    if problems:
        raise DataError(problems)
    return {(r["sex"], r["age_group"], r["nutrient"], r["dri_type"]): r["value"]
            for r in rows if r["value"] is not None}


def recommended(dri: Dri, groups: tuple[tuple[str, str], ...], nutrient: str
                ) -> tuple[float, str]:
    """The highest RDA (or AI where there is no RDA) over `groups`, with its label."""
    best: tuple[float, str] | None = None
    for sex, age in groups:
        for kind in ("RDA", "AI"):
            value = dri.get((sex, age, nutrient, kind))
            if value is not None:
                if best is None or value > best[0]:
                    best = (value, f"{kind} {age} {sex}")
                break
    if best is None:
        raise KeyError(f"no RDA/AI for {nutrient} in {groups}")
    if len(groups) > 1:
        return best[0], f"máx. de {len(groups)} grupos: {best[1]}"
    return best


def specs(dri: Dri) -> list[GroupSpec]:
    """The derivation of every (program, age group)."""
    eer_4_6 = fao_mean(["4-5", "5-6", "6-7"])
    share = CADI_KCAL_4_6Y / eer_4_6
    share_src = f"cuota CADI {share:.3f} = 1200 kcal (SOSEP 2021) / {eer_4_6:.0f} kcal ({FAO})"
    kcal_1_3 = fao_mean(["1-2", "2-3", "3-4"]) * share
    cf = mean(list(INFANT_COMPLEMENTARY_KCAL.values()))
    cf_share = cf / mean(list(INFANT_TOTAL_KCAL.values()))
    infant_share = share * cf_share
    kcal_60 = older_adult_kcal() * MAD_SHARE
    amdr = {age: (dri[("Both", age, "fat", "AMDR_low")], dri[("Both", age, "fat", "AMDR_high")])
            for age in ("1-3 yr", "4-8 yr")}
    amdr_adult = (dri[("Females", "19+ yr (adults)", "fat", "AMDR_low")],
                  dri[("Females", "19+ yr (adults)", "fat", "AMDR_high")])
    band = (ENERGY_MIN_FACTOR, ENERGY_MAX_FACTOR)
    adults = tuple((s, a) for s in ("Males", "Females") for a in ("51-70 yr", ">70 yr"))
    return [
        GroupSpec(
            "cadi", "6-11m", (("Both", "6-12 mo"),), infant_share,
            f"{share:.3f} (cuota CADI) x {cf_share:.3f} (energía de la alimentación "
            f"complementaria / requerimiento total, {WHO_CF})",
            (cf * share, INFANT_COMPLEMENTARY_KCAL["6-8m"] * share,
             INFANT_COMPLEMENTARY_KCAL["9-11m"] * share),
            f"{WHO_CF}: 200 kcal (6-8 m) a 300 kcal (9-11 m) de alimentos complementarios "
            f"x {share:.3f} (cuota CADI)",
            (None, amdr["1-3 yr"][1]),
            "NASEM: sin AMDR para lactantes; techo = AMDR de 1-3 años",
            SODIUM_AI_INFANT * share,
            f"{NASEM_NA}: sin CDRR para lactantes; AI 7-12 m 370 mg x {share:.3f}"),
        GroupSpec(
            "cadi", "1-3y", (("Both", "1-3 yr"),), share, share_src,
            (kcal_1_3, kcal_1_3 * band[0], kcal_1_3 * band[1]),
            f"{FAO}: {fao_mean(['1-2', '2-3', '3-4']):.0f} kcal (1-4 años) x {share:.3f}",
            amdr["1-3 yr"], "NASEM AMDR 1-3 años",
            SODIUM_CDRR["1-3 yr"] * share, f"{NASEM_NA}: CDRR 1-3 años 1200 mg x {share:.3f}"),
        GroupSpec(
            "cadi", "4-6y", (("Both", "4-8 yr"),), share, share_src,
            (CADI_KCAL_4_6Y, CADI_KCAL_4_6Y * band[0], CADI_KCAL_4_6Y * band[1]),
            "SOSEP 2021: 1200 kcal por niño por día",
            amdr["4-8 yr"], "NASEM AMDR 4-8 años",
            SODIUM_CDRR["4-8 yr"] * share, f"{NASEM_NA}: CDRR 4-8 años 1500 mg x {share:.3f}"),
        GroupSpec(
            "mad", "60+", adults, MAD_SHARE,
            f"{MAD_SHARE:.2f} (almuerzo 35 % + 2 refacciones de 10 %; valor por defecto)",
            (kcal_60, kcal_60 * band[0], kcal_60 * band[1]),
            f"FAO/OMS/UNU 2004 cuadro 5.2 (TMB >= 60 años, {BODY_WEIGHT_KG['men']:.0f} kg "
            f"hombres, {BODY_WEIGHT_KG['women']:.0f} kg mujeres) x NAF {PAL_OLDER_ADULTS} "
            f"= {older_adult_kcal():.0f} kcal, ponderado por sexo (SOSEP 2024) x {MAD_SHARE}",
            amdr_adult, "NASEM AMDR adultos",
            SODIUM_CDRR["adults"] * MAD_SHARE,
            f"{NASEM_NA}: CDRR adultos 2300 mg x {MAD_SHARE}"),
    ]


def rows_for(spec: GroupSpec, dri: Dri) -> list[list[str]]:
    """The targets.csv rows of one age group."""
    p, g = spec.program, spec.age_group
    target, lo, hi = spec.energy_kcal
    out = [[p, g, "energy_kcal", f"{lo:.0f}", f"{hi:.0f}", "day", spec.energy_source,
            f"meta {target:.0f} kcal; mínimo {ENERGY_MIN_FACTOR:.0%} y máximo "
            f"{ENERGY_MAX_FACTOR:.0%} de la meta" if g != "6-11m" else
            f"meta {target:.0f} kcal; rango de 6-8 a 9-11 meses"]]
    value, label = recommended(dri, spec.dri_groups, "protein")
    out.append([p, g, "protein_g", f"{value * spec.share:.1f}", "", "day",
                f"NASEM {label} {value:g} g/d x {spec.share:.3f}", spec.share_source])
    fat_lo, fat_hi = spec.fat_pct
    out.append([p, g, "fat_energy_pct", "" if fat_lo is None else f"{fat_lo:g}",
                "" if fat_hi is None else f"{fat_hi:g}", "day", spec.fat_source,
                "porcentaje de la energía que viene de la grasa"])
    out.append([p, g, "sodium_mg", "", f"{spec.sodium_max:.0f}", "day", spec.sodium_source,
                "techo de sodio del día"])
    for name, column in MICRONUTRIENTS.items():
        value, label = recommended(dri, spec.dri_groups, name)
        out.append([p, g, column, f"{value * spec.share:.1f}", "", "week",
                    f"NASEM {label} {value:g} x {spec.share:.3f}",
                    "promedio de los días de servicio de la semana; " + spec.share_source])
    return out


def build_rows(dri_path: Path = DRI_FILE) -> list[list[str]]:
    """Every targets.csv row (header excluded), in file order."""
    dri = load_dri(dri_path)
    return [row for spec in specs(dri) for row in rows_for(spec, dri)]


def main() -> None:
    """Write targets.csv (or the path given as first argument) and print what was written."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_FILE
    rows = build_rows()
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    for row in rows:
        print(f"{row[0]:5} {row[1]:6} {row[2]:18} {row[3]:>8} {row[4]:>8} {row[5]}")
    print(f"{len(rows)} metas escritas en {out}")


if __name__ == "__main__":
    main()
