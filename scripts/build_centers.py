"""Builds data/centers/centers.csv, the demo centers, from the published tables in
data/centers/sources/ (see docs/data-centers.md). Deterministic: no randomness at all, so
running it twice gives the same file byte for byte. Run from the repository root:

    .venv/bin/python scripts/build_centers.py [--check]

- Mis Años Dorados: the 68 rows of the 2024 table, one center each (enrolled_60+ = total;
  men and women kept as extra columns).
- Hogares Comunitarios (HC) and CADI: per department, the published number of HC, CADI,
  municipalities with presence and children (2021). The department's first N
  municipalities of municipalities.csv host its centers, CADIs first then HCs, dealt out
  in turn; every HC gets HC_SIZE children and the CADIs share the rest by the weights
  CADI_WEIGHTS (largest remainder); each center's children are split into age groups by
  AGE_SHARES (largest remainder).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "centers" / "sources"
OUT = ROOT / "data" / "centers" / "centers.csv"

# A madre cuidadora looks after up to 12 children: the first allowance bracket (10-12).
HC_SIZE = 12
# Relative sizes of a department's CADIs, dealt in turn (mean 1.0), so they differ.
CADI_WEIGHTS = (Fraction(10, 10), Fraction(12, 10), Fraction(8, 10), Fraction(11, 10),
                Fraction(9, 10))
# 2024: 29% of the children in the initial level (under 4), 71% in pre-primary (4-6).
# The initial level is split 4 : 25 between infants (6-11 months) and 1-3 years.
AGE_SHARES = (("6-11m", Fraction(4, 100)), ("1-3y", Fraction(25, 100)),
              ("4-6y", Fraction(71, 100)))
MAD_SERIAL_START = 51  # MAD codes use suffixes 51.. so they never meet HC/CADI codes

HEADER = ["center_id", "name", "program", "center_type", "department", "municipality",
          "enrolled_6-11m", "enrolled_1-3y", "enrolled_4-6y", "enrolled_60+",
          "men", "women", "published_location", "source"]
HC_CADI_SOURCE = ("generado (scripts/build_centers.py) a partir de SOSEP 2021: HC, CADI y "
                  "niños por departamento")
MAD_SOURCE = "SOSEP 2024: tabla de centros de Mis Años Dorados (una fila por centro)"
# Published MAD locations that are not municipality names.
MAD_LOCATION_TO_MUNICIPALITY = {
    "Mixco zona 6": "Mixco",
    "Mixco zona 10": "Mixco",
    "Mixco zona 11": "Mixco",
    "Ciudad Quetzal": "San Juan Sacatepéquez",
}


def apportion(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Split `total` into whole parts proportional to `weights` (largest remainder; ties
    go to the earlier position). The parts always add up to `total`."""
    wsum = sum(weights, Fraction(0))
    exact = [total * w / wsum for w in weights]
    parts = [int(x) for x in exact]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def municipalities() -> dict[str, list[tuple[int, str, str]]]:
    """department -> [(list order, municipality, department code)] in list order."""
    out: dict[str, list[tuple[int, str, str]]] = {}
    for r in read_csv(SOURCES / "municipalities.csv"):
        out.setdefault(r["department"], []).append(
            (int(r["list_order"]), r["municipality"], r["department_code"]))
    return {d: sorted(v) for d, v in out.items()}


def age_columns(children: int) -> dict[str, int]:
    parts = apportion(children, [s for _, s in AGE_SHARES])
    return {f"enrolled_{g}": n for (g, _), n in zip(AGE_SHARES, parts, strict=True)}


def child_centers(
    dept: dict[str, str], munis: list[tuple[int, str, str]]
) -> list[dict[str, object]]:
    """The HC and CADI rows of one department of the 2021 table."""
    name = dept["department"]
    n_muni, n_hc, n_cadi = (int(dept["municipalities_with_presence"]),
                            int(dept["hogares_comunitarios"]), int(dept["cadis"]))
    children = int(dept["children"])
    hosts = munis[:n_muni]
    if len(hosts) < n_muni or n_hc + n_cadi < n_muni:
        raise SystemExit(f"{name}: faltan municipios o centros para {n_muni} municipios")
    cadi_children = children - HC_SIZE * n_hc
    if n_cadi and cadi_children < (HC_SIZE + 1) * n_cadi:
        raise SystemExit(f"{name}: los CADI quedarían menores que un HC")
    sizes = [HC_SIZE] * n_hc
    if n_cadi:
        weights = [CADI_WEIGHTS[i % len(CADI_WEIGHTS)] for i in range(n_cadi)]
        sizes = apportion(cadi_children, weights) + sizes
    else:
        sizes = apportion(children, [Fraction(1)] * n_hc)
    kinds = ["CADI"] * n_cadi + ["HC"] * n_hc
    host_of = [hosts[i % n_muni] for i in range(len(kinds))]
    of_kind = Counter((k, h[1]) for k, h in zip(kinds, host_of, strict=True))
    serial: Counter[str] = Counter()
    ordinal: Counter[tuple[str, str]] = Counter()
    rows: list[dict[str, object]] = []
    for kind, size, (order, muni, code) in zip(kinds, sizes, host_of, strict=True):
        serial[muni] += 1
        ordinal[kind, muni] += 1
        label = "CADI" if kind == "CADI" else "Hogar Comunitario"
        suffix = f" {ordinal[kind, muni]}" if of_kind[kind, muni] > 1 else ""
        rows.append({
            "center_id": f"{code}{order:02d}-{serial[muni]:02d}",
            "name": f"{label} {muni}{suffix}",
            "program": "cadi", "center_type": kind, "department": name,
            "municipality": muni, **age_columns(size), "enrolled_60+": "",
            "men": "", "women": "", "published_location": "", "source": HC_CADI_SOURCE,
        })
    return rows


def mad_centers(munis: dict[str, list[tuple[int, str, str]]]) -> list[dict[str, object]]:
    """One row per center of the 2024 Mis Años Dorados table."""
    rows: list[dict[str, object]] = []
    serial: dict[tuple[str, str], int] = {}
    for r in read_csv(SOURCES / "mad_centers_2024.csv"):
        dept, place = r["department"], r["municipality"]
        muni = MAD_LOCATION_TO_MUNICIPALITY.get(place, place)
        found = [m for m in munis[dept] if m[1] == muni]
        if not found:
            raise SystemExit(f"{dept}: municipio desconocido '{muni}'")
        order, _, code = found[0]
        key = (dept, muni)
        serial[key] = serial.get(key, MAD_SERIAL_START - 1) + 1
        men, women, total = int(r["men"]), int(r["women"]), int(r["total"])
        if men + women != total:
            raise SystemExit(f"{dept}, {place}: hombres + mujeres != total")
        rows.append({
            "center_id": f"{code}{order:02d}-{serial[key]:02d}",
            "name": f"Centro de Atención Diurna {place}", "program": "mad",
            "center_type": r["center_type"], "department": dept, "municipality": muni,
            "enrolled_6-11m": "", "enrolled_1-3y": "", "enrolled_4-6y": "",
            "enrolled_60+": total, "men": men, "women": women,
            "published_location": place, "source": MAD_SOURCE,
        })
    return rows


def build() -> str:
    """The text of centers.csv."""
    munis = municipalities()
    departments = read_csv(SOURCES / "hc_cadi_by_department_2021.csv")
    order = {d["department"]: i for i, d in enumerate(departments)}
    rows = [row for d in departments for row in child_centers(d, munis[d["department"]])]
    rows += mad_centers(munis)
    rows.sort(key=lambda r: (order[str(r["department"])], str(r["program"]),
                             str(r["center_id"])))
    ids = [r["center_id"] for r in rows]
    if len(ids) != len(set(ids)):
        raise SystemExit("códigos de centro repetidos")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="no escribir: salir con 1 si centers.csv no está al día")
    args = parser.parse_args()
    text = build()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} no está al día: ejecute scripts/build_centers.py", file=sys.stderr)
            return 1
        print(f"{OUT} está al día")
        return 0
    tmp = OUT.with_suffix(".csv.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(OUT)
    print(f"{OUT}: {text.count(chr(10)) - 1} centros")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
