"""The rooms' import rules, read from the source: views never import the model or the components
(they show plain values and emit signals); nothing outside nnviz/app imports it."""

import ast
import pathlib

import nnviz

ROOT = pathlib.Path(nnviz.__file__).parent


def imports(path: pathlib.Path) -> list[str]:
    """The absolute names of the modules ``path`` imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return names


def test_views_never_import_the_model_or_the_components():
    found = {}
    for path in (ROOT / "app" / "views").rglob("*.py"):
        bad = [name for name in imports(path) if name.startswith(("nnviz.model", "nnviz.app.components"))]
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    assert found == {}


def test_only_the_app_and_what_renders_through_it_import_the_app():
    found = {}
    for path in ROOT.rglob("*.py"):
        inside = path.relative_to(ROOT).parts[0]
        if inside == "app":
            continue
        # Running the window, or rendering its views offscreen, is what these commands do.
        if inside == "cli" and path.stem in ("app", "animate", "landscape"):
            continue
        bad = [name for name in imports(path) if name.startswith("nnviz.app")]
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    assert found == {}
