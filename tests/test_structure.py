"""The shape of the code: `app/` never needs `widgets/`, no import cycles, modules and
classes small enough to read (a larger one says why at its top)."""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("app", "widgets")
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 300


def modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


@functools.cache
def tree_of(path: Path) -> ast.Module:
    """Each module parsed once for all the tests here (each parsed them all again: 2 s)."""
    return ast.parse(path.read_text())


@functools.cache
def imported_names(path: Path) -> frozenset[str]:
    """Every name a module imports, at module level or inside functions, and for `from m
    import a` also `m.a`; found once for all the tests here (each walked every module's
    tree again: about 2 s of the suite)."""
    out = set()
    for node in ast.walk(tree_of(path)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return frozenset(out)


@pytest.fixture(scope="module", autouse=True)
def _forget_the_trees():
    """The parsed modules (about 200,000 objects) go once this module's tests are done:
    kept, every full pass of the collector walked them for the rest of the process."""
    yield
    tree_of.cache_clear()
    imported_names.cache_clear()


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules `name` imports, at module level or inside functions."""
    return {t for t in imported_names(path) if t in known and t != name}


def test_app_never_imports_widgets():
    found = modules()
    for name, path in found.items():
        if name.startswith("app"):
            assert not {i for i in imports_of(name, path, set(found)) if i.startswith("widgets")}, (
                name
            )


def test_widgets_change_the_document_only_through_edits():
    """No widget builds or pushes a command of its own: every change goes through an edit
    of app/editing/edits.py, so it means the same wherever it is made."""
    found = modules()
    for name, path in found.items():
        if name.startswith("widgets"):
            assert "app.editing.commands" not in imports_of(name, path, set(found)), name


def test_every_app_module_imports_with_widgets_unimportable():
    names = sorted(n for n in modules() if n.startswith("app") and n != "app.__main__")
    code = (
        "import sys, importlib\n"
        "sys.modules['widgets'] = None  # importing it now fails\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_no_import_cycles():
    found = modules()
    graph = {name: imports_of(name, path, set(found)) for name, path in found.items()}
    for package in [n for n in found if (ROOT / n.replace(".", "/") / "__init__.py").exists()]:
        graph[package] -= {n for n in found if n.startswith(package + ".")}  # re-exports
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != 1, "import cycle: " + " -> ".join(trail + [node, nxt])
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_modules_and_classes_are_small_or_say_why():
    for name, path in modules().items():
        text = path.read_text()
        lines = text.count("\n")
        tree = tree_of(path)
        doc = ast.get_docstring(tree) or ""
        assert lines <= MAX_MODULE_LINES or "long because" in doc, f"{name}: {lines} lines"
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                size = node.end_lineno - node.lineno
                why = ast.get_docstring(node) or ""
                assert size <= MAX_CLASS_LINES or "long because" in why, (
                    f"{name}.{node.name}: {size}"
                )


# The house: each package of app/ is a room on a floor; a room may import only from the floors
# below it, never from its own floor or above (so the layers cannot creep into each other).
FLOORS = {
    "app.records": 0,
    "app.fileformat": 1,
    "app.chart": 1,
    "app.editing": 2,
    "app.exporters": 2,
    "app.team": 2,
    "app.context": 2,
    "app.importers": 3,
    "app.cli": 4,
    "app": 5,  # app/__main__.py
    "widgets": 6,
}


def room_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if ".".join(parts[:2]) in FLOORS else parts[0]


def test_every_app_module_lives_in_a_room():
    loose = [n for n in modules() if n.startswith("app.") and room_of(n) == "app"]
    assert loose == ["app.__main__"], loose


def test_imports_only_go_down_a_floor():
    found = modules()
    for name, path in found.items():
        for target in imports_of(name, path, set(found)):
            if target == "app":
                continue  # `from app import exporters` names a room, checked by its own line
            here, there = room_of(name), room_of(target)
            if here != there:
                assert FLOORS[there] < FLOORS[here], f"{name} imports {target}: {here} -> {there}"


def reads_of_a_canvas(path: Path) -> list[str]:
    """Attributes read of a name `canvas` or of `self.canvas`: `canvas.doc`, `self.canvas.apply`."""
    out = []
    for node in ast.walk(tree_of(path)):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id == "canvas":
            out.append(f"canvas.{node.attr}")
        elif isinstance(owner, ast.Attribute) and owner.attr == "canvas" and node.attr != "canvas":
            out.append(f"{ast.unparse(owner)}.{node.attr}")
    return out


def test_the_canvas_helpers_take_its_surface_not_the_canvas():
    """Every widgets module the canvas is built from (what it imports, and what those
    import) works on the canvas's `Surface` (widgets/gestures.py: the view, the document,
    edits, and the menus' widget and requests) and the few widgets it is given (the plot,
    the view box, the scroll bar), never on the canvas's own attributes (issue 19, item 2)."""
    found = modules()
    helpers, todo = set(), ["widgets.canvas"]
    while todo:
        for name in imports_of(todo[-1], found[todo.pop()], set(found)):
            if name.startswith("widgets.") and name not in helpers | {"widgets.canvas"}:
                helpers.add(name)
                todo.append(name)
    assert {
        "widgets.canvasmenus",
        "widgets.chartlayer",
        "widgets.gestures",
        "widgets.laneheader",
        "widgets.pointer",
    } <= helpers
    for name in sorted(helpers):
        assert reads_of_a_canvas(found[name]) == [], name
