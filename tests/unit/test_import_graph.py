"""The package's import graph: no cycles among its modules (imports inside functions included), and
the layers read in one direction (parameters -> model -> simulation -> procedures -> report -> CLI).

The graph is built from the source with `ast`, as import-linter's grimp does: an edge for every
`import twinmotor.x` / `from twinmotor.x import y` anywhere in a module (a `from` import of a
submodule is an edge to that submodule).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

import twinmotor

ROOT = Path(twinmotor.__file__).parent


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ROOT.rglob("*.py")}


@functools.lru_cache(maxsize=1)
def import_graph() -> dict[str, set[str]]:
    """module -> the twinmotor modules it imports (anywhere in its source)."""
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            for t in targets:
                while t and t not in mods:  # `import twinmotor.a.b.c` of an attribute: its module
                    t = t.rpartition(".")[0]
                if t and t != name and t.startswith("twinmotor"):
                    graph[name].add(t)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


#: lower layers never import higher ones (the package's data flow: parameters -> model ->
#: simulation -> procedures -> API -> report -> CLI). Same-layer imports are allowed.
LAYERS = [
    ["twinmotor.constants", "twinmotor.errors", "twinmotor.layout", "twinmotor._cache", "twinmotor.citations"],
    ["twinmotor.vehicle", "twinmotor.tire", "twinmotor.powertrain", "twinmotor.road", "twinmotor.cycles",
     "twinmotor.chassis", "twinmotor.sensors"],
    ["twinmotor.models", "twinmotor.driver", "twinmotor.control", "twinmotor.simulation", "twinmotor.plotting"],
    ["twinmotor.procedures"],
    ["twinmotor.api"],
    ["twinmotor.report", "twinmotor.engine"],
    ["twinmotor.study"],
    ["twinmotor.cli"],
]


def _layer(module: str) -> int | None:
    for i, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


def test_every_module_has_a_layer():
    missing = [m for m in _modules() if m != "twinmotor" and _layer(m) is None]
    assert not missing, f"modules outside every layer (add them to LAYERS): {missing}"


@pytest.mark.parametrize("module", sorted(m for m in _modules() if m != "twinmotor"))
def test_layers_read_one_way(module):
    graph = import_graph()
    own = _layer(module)
    upward = [t for t in graph[module] if t != "twinmotor" and _layer(t) is not None and _layer(t) > own]
    # the one sanctioned exception: the lane change's plan view draws the ISO track, whose geometry
    # is the procedure's own module (track.py imports nothing above the parameters layer)
    upward = [t for t in upward if not (module == "twinmotor.plotting.lane_change"
                                        and t == "twinmotor.procedures.lane_change.track")]
    assert not upward, f"{module} (layer {own}) imports higher layers: {upward}"


def test_simulation_never_imports_a_procedure():
    graph = import_graph()
    for m, targets in graph.items():
        if m.startswith("twinmotor.simulation"):
            assert not [t for t in targets if t.startswith("twinmotor.procedures")], m
