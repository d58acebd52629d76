"""The package's layers, as docs/architecture.md draws them, hold in the code.

Every import of a ``legacy_tf`` module -- at the top of a file or inside a function -- is read
with ``ast``; the test fails on an import that points up a layer, on a circle, on a module the
document does not place, and on a ``_private`` name taken from another module (tests included).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "legacy_tf"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def layers():
    """``{module: layer number}`` from the ```layers block of docs/architecture.md (1 = bottom)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = re.search(r"^```layers\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL).group(1)
    placed = {}
    for line in block.splitlines():
        number, _, rest = line.partition(" ")
        names = rest.partition(":")[2]
        for name in filter(None, (name.strip() for name in names.split(","))):
            assert name not in placed, f"{name} is placed twice"
            placed[name] = int(number)
    return placed


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules():
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


MODULES = package_modules()


def imports(path):
    """``(imported module, [names taken from it], line)`` for every legacy_tf import in ``path``,
    and the attribute names read from a module bound by ``import``/``from legacy_tf import x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, bound = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and \
                (node.module or "").split(".")[0] == "legacy_tf":
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if target in MODULES:  # from legacy_tf import runner: the module itself
                    found.append((target, [], node.lineno))
                    bound[alias.asname or alias.name] = target
                else:
                    found.append((node.module, [alias.name], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "legacy_tf":
                    found.append((alias.name, [], node.lineno))
                    if alias.asname:
                        bound[alias.asname] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in bound:
            found.append((bound[node.value.id], [node.attr], node.lineno))
    return found


def edges():
    """``{(importer, imported)}`` between package modules."""
    graph = set()
    for name, path in MODULES.items():
        for target, _, _ in imports(path):
            if target in MODULES and target != name:
                graph.add((name, target))
    return graph


def layer_of(name, placed):
    while name not in placed and "." in name:  # legacy_tf.contrib.rnn falls under contrib.*
        parent = name.rsplit(".", 1)[0]
        if f"{parent}.*" in placed:
            return placed[f"{parent}.*"]
        name = parent
    return placed[name]


def short(name):
    return name[len("legacy_tf."):] if name.startswith("legacy_tf.") else name


def test_every_module_is_placed_in_a_layer():
    placed = layers()
    unplaced = [name for name in MODULES
                if short(name) not in placed and not any(
                    short(name).startswith(key[:-1]) for key in placed if key.endswith(".*"))]
    assert unplaced == []
    stale = [key for key in placed if not key.endswith(".*") and f"legacy_tf.{key}" not in MODULES
             and key != "legacy_tf"]
    assert stale == []


def test_every_import_points_down_or_across():
    placed = {("legacy_tf" if key == "legacy_tf" else f"legacy_tf.{key}"): value
              for key, value in layers().items()}
    upward = [f"{short(a)} (layer {layer_of(a, placed)}) imports {short(b)} "
              f"(layer {layer_of(b, placed)})"
              for a, b in sorted(edges()) if layer_of(b, placed) > layer_of(a, placed)]
    assert upward == []


def test_no_circle():
    graph = {}
    for a, b in edges():
        graph.setdefault(a, set()).add(b)
    circles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                circles.append(" -> ".join(map(short, trail[trail.index(nxt):] + [nxt])))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert circles == []


@pytest.mark.parametrize("folder", ["legacy_tf", "lessons", "tests", "bench"])
def test_no_private_name_crosses_a_module(folder):
    crossing = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        own = module_name(path)
        for target, names, line in imports(path):
            for name in names:
                if name.startswith("_") and not name.startswith("__") and target != own:
                    crossing.append(f"{path.relative_to(ROOT)}:{line}: {short(target)}.{name}")
    assert crossing == []
