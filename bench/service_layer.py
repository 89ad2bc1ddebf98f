"""Figures of the service layer's shape (issue 17): the public methods of each service
object, largest first, and the modules outside `storage/` that import `storage`. Prints
figures; asserts nothing. Run from the repository root:

    .venv/bin/python bench/service_layer.py
"""

from __future__ import annotations

import ast
import inspect
import tempfile
from pathlib import Path

from menu_planner.config import Settings
from menu_planner.services import Services, create_services

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "menu_planner"


def public_methods(cls: type) -> list[str]:
    """Public functions a class offers, inherited ones included."""
    return [
        n for n, v in inspect.getmembers(cls) if not n.startswith("_") and inspect.isfunction(v)
    ]


def service_objects(services: Services) -> dict[str, type]:
    """The Services object and every service reached as one of its attributes."""
    out: dict[str, type] = {"services": type(services)}
    for name, value in vars(services).items():
        cls = type(value)
        if cls.__module__.startswith("menu_planner.services.") and cls.__name__.endswith("Service"):
            out[f"services.{name}"] = cls
    return out


def storage_importers() -> list[str]:
    """Modules of the package, outside storage/, that import menu_planner.storage."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[:2] == ("menu_planner", "storage"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(
                n == "menu_planner.storage" or n.startswith("menu_planner.storage.") for n in names
            ):
                out.append(str(rel))
                break
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/figures.sqlite3", secret_key="x" * 40, demo=False
        )
        services = create_services(settings)
        try:
            objects = service_objects(services)
        finally:
            services.close()
    counts = sorted(
        ((len(public_methods(c)), name, c.__name__) for name, c in objects.items()), reverse=True
    )
    print("Public methods per service object, largest first:")
    for n, name, cls in counts:
        print(f"  {n:4d}  {name} ({cls})")
    importers = storage_importers()
    print(f"\nModules outside storage/ that import storage: {len(importers)}")
    for m in importers:
        print(f"  {m}")


if __name__ == "__main__":
    main()
