"""The package layout holds its plan: imports point down the data's path, and no modules import each other round.

Layers, bottom first. A module may import from its own layer or any layer below it, never above; lazy
imports inside functions count too (they are the usual way an upward dependency hides). Within the
whole package there is no import circle between modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "compliance"

LAYERS: list[tuple[str, ...]] = [
    ("compliance", "compliance.errors", "compliance.resources", "compliance.results", "compliance.pool"),
    ("compliance.text",),
    ("compliance.inputs",),
    ("compliance.document",),
    ("compliance.originals",),
    ("compliance.checks",),
    ("compliance.policy",),
    ("compliance.engine",),
    ("compliance.runner",),
    ("compliance.cluster",),
    ("compliance.ci",),
    ("compliance.reporters",),
    ("compliance.authoring",),
    ("compliance.store",),
    ("compliance.server",),
    ("compliance.cli", "compliance.__main__"),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, name: str) -> set[str]:
    """Every compliance module ``path`` imports, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)  # ``from pkg import module``
    known = modules()
    return {m for m in found if m in known and m != name}


def layer_of(name: str) -> int:
    best, best_len = -1, -1
    for index, roots in enumerate(LAYERS):
        for root in roots:
            if (name == root or name.startswith(root + ".")) and len(root) > best_len:
                best, best_len = index, len(root)
    return best


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in modules() if layer_of(m) < 0]
    assert not unplaced, f"give these modules a layer in {__file__}: {unplaced}"


def test_no_upward_imports() -> None:
    upward = []
    for name, path in modules().items():
        for target in sorted(imports_of(path, name)):
            if target == "compliance":
                continue  # the package itself only holds the version
            if layer_of(target) > layer_of(name):
                upward.append(f"{name} → {target}")
    assert not upward, "imports pointing up the layers:\n" + "\n".join(upward)


def test_no_import_circles() -> None:
    graph = {name: imports_of(path, name) - {"compliance"} for name, path in modules().items()}
    # a package's __init__ importing its own modules is how it is assembled, not a circle
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import circles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("package", sorted({m for m in modules() if (PACKAGE.parent / m.replace(".", "/") / "__init__.py").is_file()}))
def test_every_package_says_what_it_owns(package: str) -> None:
    init = PACKAGE.parent / package.replace(".", "/") / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    assert len(doc.split()) >= 12, f"{init} needs a docstring saying what the package owns and may import"


def test_small_modules_and_a_short_top_level() -> None:
    too_long = {name: n for name, path in modules().items()
                if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600}
    assert not too_long, f"modules over 600 lines: {too_long}"
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 12, f"{len(top)} modules directly in compliance/: {top}"
