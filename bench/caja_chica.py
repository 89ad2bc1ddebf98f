"""Benchmark: a month of petty cash (caja chica) for the demo centers, with and without a
menu cycle, and the same for the demo centers repeated to ~10x. Prints figures; asserts
nothing. Run from the repository root:

    .venv/bin/python bench/caja_chica.py [--month 2026-04] [--repeat 10]

Timings exclude Python start-up; loading = reading and checking the files.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from menu_planner.domain import cycle_from_dict
from menu_planner.export.caja_xlsx import write_caja_xlsx
from menu_planner.procurement.caja_formats import caja_to_dict
from menu_planner.procurement.caja_month import caja_chica_month
from menu_planner.procurement.calendar import Month
from menu_planner.reference_data import load_dataset

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "centers" / "centers.csv"
TINY = ROOT / "tests" / "fixtures" / "tiny"
T = TypeVar("T")


def repeated_centers(times: int, folder: Path) -> Path:
    """The demo centers file with every row repeated `times` times under new codes."""
    with DEMO.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        fields = reader.fieldnames or []
    path = folder / f"centers_x{times}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for k in range(times):
            for r in rows:
                writer.writerow({**r, "center_id": f"{r['center_id']}-{k}"})
    return path


def timed(label: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    print(f"{label:<58} {time.perf_counter() - t0:8.3f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2026-04")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    month = Month.parse(args.month)
    tiny = load_dataset(TINY)
    cycle = cycle_from_dict(json.loads((TINY / "cycle_cadi.json").read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        big = repeated_centers(args.repeat, Path(tmp))
        for path in (DEMO, big):
            n = sum(1 for _ in path.open(encoding="utf-8")) - 1
            report = timed(f"{n} centros, sin ciclo (carga + cálculo)", caja_chica_month,
                           path, month, dataset=tiny, data_dir=TINY)
            timed(f"{n} centros, a JSON", caja_to_dict, report)
            timed(f"{n} centros, con el ciclo pequeño (listas de compras)", caja_chica_month,
                  path, month, dataset=tiny, data_dir=TINY, cycle=cycle)
            timed(f"{n} centros, libro xlsx", write_caja_xlsx, report, Path(tmp) / "c.xlsx")


if __name__ == "__main__":
    main()
