"""The pure core imports no web, database or spreadsheet code (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "menu_planner"
CORE = ["domain", "optimizer", "procurement", "diet", "nutrition.py", "tabular.py",
        "reference_data.py", "centers.py", "data_summary.py", "quality",
        "menu_names.py"]
BANNED = {"fastapi", "starlette", "sqlmodel", "sqlalchemy", "openpyxl", "alembic", "uvicorn"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def core_files() -> list[Path]:
    files: list[Path] = []
    for entry in CORE:
        p = ROOT / entry
        files += sorted(p.rglob("*.py")) if p.is_dir() else ([p] if p.exists() else [])
    return files


def test_the_core_imports_no_web_database_or_spreadsheet_code() -> None:
    files = core_files()
    assert len(files) >= 8
    leaks = {str(f.relative_to(ROOT)): imported_modules(f) & BANNED for f in files}
    assert {f: b for f, b in leaks.items() if b} == {}
