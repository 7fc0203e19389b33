"""billing_service's packages import one another without a cycle: each domain can be read,
tested and changed from the bottom up. Read off the source with ast, imports inside
functions and TYPE_CHECKING blocks included, so no import can hide a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import billing_service

ROOT = Path(billing_service.__file__).parent


def package_imports(root: Path) -> dict[str, set[str]]:
    """For each package of `root`, the other packages of `root` its modules import."""
    name = root.name
    packages = {path.name for path in root.iterdir() if (path / "__init__.py").exists()}
    graph: dict[str, set[str]] = {package: set() for package in packages}
    for package in packages:
        for module in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(module.read_text(), str(module))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                elif isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                else:
                    continue
                for target in targets:
                    parts = target.split(".")
                    if parts[0] == name and len(parts) > 1 and parts[1] in packages:
                        graph[package].add(parts[1])
    for package, imported in graph.items():
        imported.discard(package)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(package: str) -> None:
        index[package] = low[package] = len(index)
        stack.append(package)
        for imported in sorted(graph[package]):
            if imported not in index:
                visit(imported)
                low[package] = min(low[package], low[imported])
            elif imported in stack:
                low[package] = min(low[package], index[imported])
        if low[package] == index[package]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == package:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for package in sorted(graph):
        if package not in index:
            visit(package)
    return found


def test_no_two_packages_import_each_other_even_through_others() -> None:
    graph = package_imports(ROOT)
    # The walk sees the packages it must: a graph of nothing would pass any test.
    assert {"inbox", "submissions", "remittances", "claims", "x12"} <= graph.keys()
    assert "remittances" in graph["inbox"]
    assert cycles(graph) == []


def test_the_x12_writers_and_readers_know_nothing_of_the_claims_package() -> None:
    assert "claims" not in package_imports(ROOT)["x12"]


def test_the_walk_finds_a_cycle_through_a_third_package(tmp_path: Path) -> None:
    root = tmp_path / "app"
    for package, imports in {"a": "from app.b import x", "b": "import app.c.y",
                             "c": "from app import a", "d": "from app.a import z"}.items():
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
        (root / package / "m.py").write_text(f"def f():\n    {imports}\n")
    assert cycles(package_imports(root)) == [["a", "b", "c"]]
