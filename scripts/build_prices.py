"""Build data/foods/prices.csv from the WFP VAM food prices for Guatemala.

Every food of foods.csv gets a `Nacional` price (and `Guatemala` rows where a wholesale market
series of that department exists) in the units of price_rules.csv. Methods, in order:
wfp_mayoreo (own wholesale series x the MEASURED wholesale-to-retail factor), wfp_minorista
(own national retail series), derivado (another food's price by cooking yield or equal cost
per edible gram), estimado_similar / estimado_grupo (median cost per edible gram of named
similar foods / of the group's foods with own series). `--cpi FILE` (`date,index`, supplied by
the user) rescales to `--cpi-ref`. See docs/data-foods.md. Run with .venv/bin/python.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import statistics
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from menu_planner.domain import NATIONAL, DataError, Problem  # noqa: E402
from menu_planner.reference_data import FOOD_COLUMNS  # noqa: E402
from menu_planner.tabular import Column, Row, read_table  # noqa: E402

FOODS = ROOT / "data/foods/foods.csv"
RULES = ROOT / "data/foods/price_rules.csv"
WFP = ROOT / "data/reference/wfp_food_prices_gtm_2019_2022.csv"
WFP_LATEST = ROOT / "data/reference/wfp_food_prices_gtm_latest.csv"
OUT = ROOT / "data/foods/prices.csv"
CHECKS = ROOT / "data/foods/price_checks.csv"  # plausible ranges, only to report outliers
LIBRA_G = 453.6
DEPARTMENT = "Guatemala"  # all WFP markets (La Terminal, La Placita, CENMA) are there
WFP_CITE = "World Food Programme – VAM, precios de alimentos de Guatemala (HDX, CC BY-IGO)"
HEADER = ["food_id", "department", "purchase_unit", "unit_grams", "price_q", "price_date",
          "source", "method", "period_start", "n_obs", "cpi_adjusted_to"]


class Obs(NamedTuple):
    """One WFP price observation turned into quetzales per gram as purchased (retail level)."""

    when: date
    q_per_g: float
    commodity: str
    market: str


@dataclass(frozen=True)
class Estimate:
    """A food's cost per gram as purchased, with where it came from."""

    q_per_g: float
    method: str
    newest: date
    oldest: date
    n_obs: int
    source: str


def _pos(name: str, required: bool = True) -> Column:
    return Column(name, "float", required=required, min=0.0, min_exclusive=True)


def _opt(name: str, kind: str = "str") -> Column:
    return Column(name, kind, required=False, default=() if kind == "list" else "")


def parse_units(text: str, label: str, line: int, acc: list[Problem]) -> list[tuple[str, float]]:
    """`libra:453.6;unidad:150` -> [(unit, grams)]; a libra when blank."""
    out = []
    for part in text.split(";") if text.strip() else ["libra:453.6"]:
        name, _, grams = part.rpartition(":")
        try:
            out.append((name.strip(), float(grams)))
            assert name.strip() and math.isfinite(out[-1][1]) and out[-1][1] > 0
        except (ValueError, AssertionError):
            acc.append(Problem(label, line, "units", f"unidad mal escrita '{part}' "
                                                     "(use nombre:gramos)"))
    return out


def _month_index(d: date) -> int:
    return d.year * 12 + d.month


def measure_factor(latest: list[Row]) -> tuple[float, list[tuple[str, float, float, date]]]:
    """Retail/wholesale factor: geometric mean over commodities whose national retail series
    and a wholesale series end in the same month, each with 12 observations."""
    per_kg = "mean_last_12_obs_gtq_per_kg"
    pairs = []
    for rr in sorted((r for r in latest if r["pricetype"] == "Retail" and r[per_kg]
                      and r["n_obs_used"] == 12), key=lambda r: r["commodity"]):
        whole = [w[per_kg] for w in latest if w["pricetype"] == "Wholesale" and w[per_kg]
                 and (w["commodity"], w["latest_date"], w["n_obs_used"])
                 == (rr["commodity"], rr["latest_date"], 12)]
        if whole:
            pairs.append((rr["commodity"], rr[per_kg], statistics.mean(whole), rr["latest_date"]))
    if not pairs:
        raise DataError([Problem(WFP_LATEST.name, None, None, "no hay meses con precio "
                                 "minorista y mayorista del mismo producto")])
    return math.exp(statistics.mean(math.log(r / w) for _, r, w, _ in pairs)), pairs


def _amount(unit: str, pattern: str, scale: dict[str, float]) -> float | None:
    """How many pieces (or litres) a WFP unit such as '30 pcs', '2 Dozens', '750 ML' holds."""
    m = re.fullmatch(pattern, unit)
    return float(m.group(1) or 1) * scale[m.group(2)] if m else None


PIECES = (r"(\d+(?:\.\d+)?)\s*(pcs|Dozens)", {"pcs": 1.0, "Dozens": 12.0})
LITRES = (r"(\d+(?:\.\d+)?)?\s*(L|ML)", {"L": 1.0, "ML": 0.001})


def _box_kg(rows: list[Row], commodity: str, mass_commodities: set[str]) -> float | None:
    """Weight of a 'Box' measured as the median box price / price per kg of a mass series of
    the same food in the same market and month."""
    per_kg = {(r["market"], r["date"]): r["price_gtq_per_kg"] for r in rows
              if r["commodity"] in mass_commodities and r["price_gtq_per_kg"] is not None}
    ratios = [r["price"] / per_kg[(r["market"], r["date"])] for r in rows
              if r["commodity"] == commodity and r["unit"] == "Box"
              and (r["market"], r["date"]) in per_kg]
    return statistics.median(ratios) if ratios else None


def wholesale_obs(rows: list[Row], series: list[str], units: dict[str, float],
                  factor: float) -> tuple[list[Obs], list[str]]:
    """Retail-equivalent observations of a food's wholesale series (mass, measured boxes, or
    pieces times the food's 'unidad' grams), and notes on the boxes."""
    mine = [r for r in rows if r["commodity"] in series and r["pricetype"] == "Wholesale"]
    mass = {r["commodity"] for r in mine if r["unit_kg"] is not None}
    boxes = {c: _box_kg(mine, c, mass) for c in sorted({r["commodity"] for r in mine
                                                        if r["unit"] == "Box"})}
    out = []
    for r in mine:
        kg = r["unit_kg"] or (boxes[r["commodity"]] if r["unit"] == "Box" else None)
        pieces = _amount(r["unit"], *PIECES)
        grams = kg * 1000.0 if kg else (pieces * units["unidad"] if pieces and "unidad" in units
                                        else None)
        if grams:
            out.append(Obs(r["date"], r["price"] / grams * factor, r["commodity"], r["market"]))
    return out, [f"caja de '{c}' = {kg:.1f} kg (medida)" if kg else
                 f"'{c}' por caja sin peso medible: no usada" for c, kg in boxes.items()]


def from_wholesale(obs: list[Obs], factor: float, notes: list[str]) -> Estimate:
    """The mean retail-equivalent cost per gram over the 12 months ending with the newest."""
    last = _month_index(max(o.when for o in obs))
    used = [o for o in obs if last - _month_index(o.when) < 12]
    newest, oldest = max(o.when for o in used), min(o.when for o in used)
    src = (f"{WFP_CITE}: mayoreo {', '.join(sorted({o.market for o in used}))}; series "
           f"{'; '.join(sorted({o.commodity for o in used}))}; {len(used)} obs. {oldest} a "
           f"{newest}; convertido a minorista ×{factor:.3f} (factor medido)"
           + "".join(f"; {n}" for n in notes))
    return Estimate(statistics.mean(o.q_per_g for o in used), "wfp_mayoreo", newest, oldest,
                    len(used), src)


def from_retail(latest: list[Row], series: list[str], units: dict[str, float]
                ) -> Estimate | None:
    """The national-average retail series: mean of its last 12 observations (monthly)."""
    for r in (r for r in latest if r["commodity"] in series and r["pricetype"] == "Retail"):
        litres = _amount(r["unit"], *LITRES)
        grams = (r["unit_kg"] * 1000.0 if r["unit_kg"] is not None else
                 litres * units["litro"] if litres is not None and "litro" in units else None)
        if grams is None:
            continue
        end, n = r["latest_date"], r["n_obs_used"]
        months = _month_index(end) - n  # month index of the first observation, minus one
        src = (f"{WFP_CITE}: promedio nacional minorista '{r['commodity']}' ({r['unit']}), "
               f"media de las {n} últimas obs. hasta {end}")
        return Estimate(r["mean_price_last_12_obs"] / grams, "wfp_minorista", end,
                        date(months // 12, months % 12 + 1, end.day), n, src)
    return None


def derive(base: Estimate, base_food: Row, food: Row, nutrient: str, base_id: str
           ) -> Estimate:
    """Equal cost per edible gram (times the nutrient ratio when a yield nutrient is named)."""
    if nutrient and not (base_food[nutrient] and food[nutrient]):
        raise DataError([Problem(FOODS.name, food["_line"], nutrient, f"no se puede derivar "
                                 f"el precio de '{base_id}': falta {nutrient}")])
    ratio = food[nutrient] / base_food[nutrient] if nutrient else 1.0
    how = f"razón de {nutrient} {ratio:.3f}" if nutrient else "igual costo por gramo comestible"
    return replace(base, method="derivado",
                   q_per_g=base.q_per_g / base_food["edible_fraction"] * ratio
                   * food["edible_fraction"],
                   source=f"estimado a partir del precio de {base_id} ({how}); precio base: "
                          f"{base.source}")


def group_proxy(food: Row, direct: dict[str, tuple[Row, Estimate]], named: tuple[str, ...]
                ) -> Estimate:
    """Median cost per edible gram of the named foods (by default, of the same group's foods
    priced by their own series); dated by the median of their dates."""
    if named:
        same, label = [direct[n] for n in named], "alimentos similares"
    else:
        same = [(f, e) for f, e in direct.values() if f["food_group"] == food["food_group"]]
        label = f"alimentos del grupo '{food['food_group']}'"
    if not same:
        same, label = list(direct.values()), "alimentos de todos los grupos"
    per_edible = statistics.median(e.q_per_g / f["edible_fraction"] for f, e in same)
    oldest = min(e.oldest for _, e in same)
    src = (f"estimado: mediana del costo por gramo comestible de {len(same)} {label} con "
           f"serie propia ({', '.join(sorted(f['food_id'] for f, _ in same))}); {WFP_CITE}; "
           f"obs. {oldest} a {max(e.newest for _, e in same)}; fecha = mediana de sus fechas")
    return Estimate(per_edible * food["edible_fraction"],
                    "estimado_similar" if named else "estimado_grupo",
                    statistics.median_low([e.newest for _, e in same]), oldest,
                    sum(e.n_obs for _, e in same), src)


def read_inputs(args: argparse.Namespace
                ) -> tuple[list[Row], dict[str, Row], list[Row], list[Row]]:
    """foods.csv, the price rules by food, the WFP observations and the WFP latest table."""
    specs: list[tuple[Path, list[Column]]] = [
        (args.foods, FOOD_COLUMNS),
        (args.rules, [Column("food_id"), _opt("wfp_series", "list"), _opt("derived_from"),
                      _opt("yield_nutrient"), _opt("proxy_foods", "list"), _opt("units"),
                      Column("mode", required=False, default="",
                             choices=("cocido", "equivalente"))]),
        (args.wfp, [Column("date", "date"), Column("market"), Column("commodity"),
                    Column("unit"), Column("pricetype"), _pos("price"), _pos("unit_kg", False),
                    _pos("price_gtq_per_kg", False)]),
        (args.wfp_latest, [Column("market"), Column("commodity"), Column("unit"),
                           Column("pricetype"), Column("latest_date", "date"),
                           Column("n_obs_used", "int", min=1), _pos("mean_price_last_12_obs"),
                           _pos("unit_kg", False), _pos("mean_last_12_obs_gtq_per_kg", False)]),
    ]
    acc: list[Problem] = []
    tables = []
    for path, cols in specs:
        rows, probs = read_table(path, cols, label=path.name)
        tables.append(rows)
        acc += probs
    foods, rule_rows, wfp, latest = tables
    ids = {f["food_id"] for f in foods}
    rules: dict[str, Row] = {}
    for r in rule_rows:
        r["units_parsed"] = parse_units(r["units"], args.rules.name, r["_line"], acc)
        if r["derived_from"] and r["derived_from"] not in ids:
            acc.append(Problem(args.rules.name, r["_line"], "derived_from",
                               f"alimento desconocido '{r['derived_from']}'"))
        rules[r["food_id"]] = r
    if acc:
        raise DataError(acc)
    return foods, rules, wfp, latest


NO_RULE: Row = {"_line": None, "wfp_series": (), "derived_from": "", "yield_nutrient": "",
                "proxy_foods": (), "mode": "", "units_parsed": [("libra", LIBRA_G)]}


def estimate_all(foods: list[Row], rules: dict[str, Row], wfp: list[Row], latest: list[Row],
                 factor: float) -> tuple[dict[str, Estimate], set[str]]:
    """Every food's estimate, and the foods priced from the department's market series."""
    direct: dict[str, tuple[Row, Estimate]] = {}
    markets: set[str] = set()
    problems: list[Problem] = []
    for f in foods:
        rule = rules.get(f["food_id"], NO_RULE)
        series, units = list(rule["wfp_series"]), dict(rule["units_parsed"])
        obs, notes = wholesale_obs(wfp, series, units, factor) if series else ([], [])
        est = from_wholesale(obs, factor, notes) if obs else from_retail(latest, series, units)
        if est is not None:
            direct[f["food_id"]] = (f, est)
            markets.update([f["food_id"]] if obs else [])
        elif series:
            problems.append(Problem(RULES.name, rule["_line"], "wfp_series",
                                    f"ninguna serie WFP utilizable: {'; '.join(series)}"))
    out = {k: e for k, (_, e) in direct.items()}
    for f in foods:
        rule = rules.get(f["food_id"], NO_RULE)
        if bad := [n for n in rule["proxy_foods"] if n not in direct]:
            problems.append(Problem(RULES.name, rule["_line"], "proxy_foods",
                                    f"sin serie propia: {', '.join(bad)}"))
        elif f["food_id"] not in out and not rule["derived_from"]:
            out[f["food_id"]] = group_proxy(f, direct, tuple(rule["proxy_foods"]))
    if problems:
        raise DataError(problems)
    by_id = {f["food_id"]: f for f in foods}
    pending = [f for f in foods if f["food_id"] not in out]
    while pending:
        ready = [p for p in pending if rules[p["food_id"]]["derived_from"] in out]
        if not ready:
            raise DataError([Problem(RULES.name, rules[p["food_id"]]["_line"], "derived_from",
                                     "derivación circular") for p in pending])
        for f in ready:
            base = rules[f["food_id"]]["derived_from"]
            out[f["food_id"]] = derive(out[base], by_id[base], f,
                                       rules[f["food_id"]]["yield_nutrient"], base)
        pending = [p for p in pending if p["food_id"] not in out]
    return out, markets


def purchase_units(food: Row, est: Estimate, rules: dict[str, Row], by_id: dict[str, Row],
                   estimates: dict[str, Estimate]) -> list[tuple[str, float]]:
    """(unit name, grams as purchased): a cooked food is bought as its raw base."""
    rule = rules.get(food["food_id"])
    if rule and rule["mode"] == "cocido":
        base_id = rule["derived_from"]
        bunit, bgrams = rules.get(base_id, NO_RULE)["units_parsed"][0]
        grams = bgrams * estimates[base_id].q_per_g / est.q_per_g
        name = re.split(r"[,(]", by_id[base_id]["name_es"])[0].strip().lower()
        return [(f"{bunit} de {name} (rinde {grams:.0f} g)", grams)]
    return list(rules.get(food["food_id"], NO_RULE)["units_parsed"])


def cpi_scale(path: Path, when: date, ref: date | None) -> tuple[float, date]:
    """Index at `ref` (default: the file's last date) over the index at `when`'s month."""
    rows, probs = read_table(path, [Column("date", "date"), _pos("index")], label=path.name)
    cpi = sorted((_month_index(r["date"]), r["date"], r["index"]) for r in rows)
    ref = ref or (cpi[-1][1] if cpi else when)
    at = [[v for m, _, v in cpi if m <= _month_index(d)] for d in (when, ref)]
    if probs or not at[0] or not at[1]:
        raise DataError(probs or [Problem(path.name, None, "date",
                                          f"el IPC no cubre las fechas {when} y {ref}")])
    return at[1][-1] / at[0][-1], ref


def build_rows(foods: list[Row], rules: dict[str, Row], estimates: dict[str, Estimate],
               markets: set[str], cpi: Path | None, cpi_ref: date | None) -> list[list[str]]:
    """The rows of prices.csv, sorted by food, department and unit."""
    by_id = {f["food_id"]: f for f in foods}
    rows = []
    for f in sorted(foods, key=lambda x: x["food_id"]):
        est = estimates[f["food_id"]]
        scale, adjusted, src = 1.0, "", est.source
        if cpi is not None:
            scale, ref = cpi_scale(cpi, est.newest, cpi_ref)
            adjusted = ref.isoformat()
            src += f"; ajustado por IPC ({cpi.name}) de {est.newest} a {ref} ×{scale:.4f}"
        depts = [NATIONAL] + ([DEPARTMENT] if f["food_id"] in markets else [])
        for dept in depts:
            for unit, grams in purchase_units(f, est, rules, by_id, estimates):
                price = max(est.q_per_g * grams * scale, 0.01)  # never a zero price
                rows.append([f["food_id"], dept, unit, f"{grams:.1f}", f"{price:.2f}",
                             est.newest.isoformat(), src, est.method, est.oldest.isoformat(),
                             str(est.n_obs), adjusted])
    return sorted(rows, key=lambda r: (r[0], r[1] != NATIONAL, r[1], r[2]))


def outliers(rows: list[list[str]], checks: Path) -> list[str]:
    """Spanish lines for Nacional prices outside the plausible ranges of `checks`."""
    ranges, probs = read_table(checks, [Column("food_id"), Column("purchase_unit"),
                                        _pos("min_q"), _pos("max_q")])
    if probs:
        raise DataError(probs)
    lim = {(c["food_id"], NATIONAL, c["purchase_unit"]): (c["min_q"], c["max_q"])
           for c in ranges}
    out = []
    for r in rows:
        lo, hi = lim.get((r[0], r[1], r[2]), (0.0, math.inf))
        if not lo <= float(r[4]) <= hi:
            out.append(f"{r[0]}: Q{r[4]}/{r[2]} fuera de Q{lo:.2f}-{hi:.2f} ({r[7]}, {r[5]})")
    return out


def main(argv: list[str] | None = None) -> int:
    """Build prices.csv; exit 1 with every problem listed when an input is wrong."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag, default in (("--foods", FOODS), ("--rules", RULES), ("--wfp", WFP),
                          ("--wfp-latest", WFP_LATEST), ("--out", OUT), ("--checks", CHECKS)):
        ap.add_argument(flag, type=Path, default=default)
    ap.add_argument("--cpi", type=Path, help="CSV 'date,index' (IPC citado por el usuario)")
    ap.add_argument("--cpi-ref", type=date.fromisoformat, help="fecha de referencia del IPC")
    args = ap.parse_args(argv)
    try:
        foods, rules, wfp, latest = read_inputs(args)
        factor, pairs = measure_factor(latest)
        estimates, markets = estimate_all(foods, rules, wfp, latest, factor)
        rows = build_rows(foods, rules, estimates, markets, args.cpi, args.cpi_ref)
        warnings = outliers(rows, args.checks)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([HEADER, *rows])
    print(f"Factor mayoreo→minorista medido: {factor:.3f}")
    for com, r, wk, d in pairs:
        print(f"  {com}: minorista Q{r:.2f}/kg, mayoreo Q{wk:.2f}/kg, razón {r / wk:.3f} ({d})")
    methods = [e.method for e in estimates.values()]
    print(f"{len(rows)} precios de {len(estimates)} alimentos escritos en {args.out}: "
          + ", ".join(f"{m} {methods.count(m)}" for m in sorted(set(methods))))
    for line in warnings:
        print(f"AVISO precio fuera de rango plausible: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
