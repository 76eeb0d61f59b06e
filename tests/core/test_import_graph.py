"""The core's modules import one another in one direction: no circle, so each can be read, tested
and moved starting from the ones it stands on."""

from __future__ import annotations

import ast
from pathlib import Path

import nnviz.core

CORE = Path(nnviz.core.__file__).parent
PACKAGE = "nnviz.core"


def imported_core_modules(path: Path) -> set[str]:
    """The nnviz.core modules that ``path`` imports anywhere: at the top, inside functions, under
    ``TYPE_CHECKING`` (a type-only import still makes a reader go round in a circle)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            elif node.level == 1:
                base = PACKAGE + (f".{node.module}" if node.module else "")
            else:
                continue  # above nnviz.core
            # ``from . import kernel`` names a module; ``from .kernel import Workspace`` names its contents.
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name.startswith(PACKAGE + ".") and name.count(".") == 2}
    return found


def core_import_graph() -> dict[str, set[str]]:
    modules = {f"{PACKAGE}.{path.stem}": path for path in CORE.glob("*.py") if path.stem != "__init__"}
    return {name: imported_core_modules(path) & modules.keys() - {name} for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports in ``graph`` as [a, b, ..., a], or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        path.append(module)
        for imported in sorted(graph[module]):
            cycle = visit(imported)
            if cycle:
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def test_no_two_core_modules_import_each_other_even_through_others():
    graph = core_import_graph()
    assert len(graph) >= 20 and f"{PACKAGE}.kernel" in graph[f"{PACKAGE}.network"]  # the parse found the imports
    cycle = find_cycle(graph)
    assert cycle is None, "a circle of imports: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_circle_through_a_third_module():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_every_kind_of_import_statement_counts(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import kernel\n"
        "import nnviz.core.files\n"
        "from .arrays import one_hot\n"
        "from ..app import theme\n"
        "if TYPE_CHECKING:\n"
        "    from .network import Network\n"
        "def later():\n"
        "    from nnviz.core.data import load_dataset\n"
    )
    assert imported_core_modules(module) == {f"{PACKAGE}.{name}" for name in ("kernel", "files", "arrays", "network", "data")}
