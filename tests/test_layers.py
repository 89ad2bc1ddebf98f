"""The layers of docs/architecture.md hold: the adapters (web pages, API, command line)
reach the database only through the services, which hand them plain data; and the
packages named below import one another in one direction only (no import circles).
test_core_purity holds the core's line the same way."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "menu_planner"
ADAPTERS = ("web", "api", "cli")
STORAGE = "menu_planner.storage"
NO_CIRCLES = ("services", "web", "api", "exchanges", "variants", "storage")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """Every menu_planner module `path` imports, at the top or inside a function
    (`from pkg import mod` names the module `pkg.mod` when it is one)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, *([node.module] if node.module else [])])
            for a in node.names:
                out.add(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base)
    return {m for m in out if m.startswith("menu_planner") and m != name}


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of nodes that import each other, directly or through others."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        order[v] = low[v] = len(order)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in order:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], order[w])
        if low[v] == order[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for v in sorted(graph):
        if v not in order:
            visit(v)
    return circles


def test_no_adapter_imports_storage() -> None:
    adapters = [p for p in MODULES.values() if p.relative_to(ROOT).parts[0] in ADAPTERS]
    assert len(adapters) > 30
    leaks = {
        str(p.relative_to(ROOT)): sorted(m for m in imports_of(p) if m.startswith(STORAGE))
        for p in adapters
    }
    assert {f: m for f, m in leaks.items() if m} == {}


def test_the_modules_of_the_upper_layers_import_each_other_without_circles() -> None:
    def ours(m: str) -> bool:
        return m.split(".")[1] in NO_CIRCLES if "." in m else False

    graph = {m: {i for i in imports_of(p) if ours(i)} for m, p in MODULES.items() if ours(m)}
    assert len(graph) > 60
    assert import_circles(graph) == []


def test_exchanges_and_variants_depend_one_way() -> None:
    def package_imports(package: str) -> set[str]:
        return {
            i.split(".")[1]
            for m, p in MODULES.items()
            if m.startswith(f"menu_planner.{package}")
            for i in imports_of(p)
        }

    assert "variants" in package_imports("exchanges")
    assert "exchanges" not in package_imports("variants")


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_circles(graph) == [["a", "b", "c"]]
