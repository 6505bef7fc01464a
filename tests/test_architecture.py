"""Rules of the code's shape that reviews keep finding broken: no private names imported across
modules (ours or a library's), no import cycle between our modules, every directly imported
third-party package declared in pyproject.toml and every declared one used."""

from __future__ import annotations

import ast
import functools
import sys
import tomllib
from pathlib import Path

from conftest import PROJECT

PACKAGE = PROJECT / "casebook"
# import name → distribution name where they differ
DISTRIBUTIONS = {
    "ahocorasick_rs": "ahocorasick-rs",
    "yaml": "PyYAML",
    "docx": "python-docx",
    "PIL": "Pillow",
    "markdown": "Markdown",
    "pymdownx": "pymdown-extensions",
}
# declared for the engine run as a subprocess (mkdocs build), or for the search plugin it loads
USED_BY_THE_ENGINE = {"mkdocs", "mkdocs-material", "jieba"}


@functools.lru_cache(maxsize=1)
def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PROJECT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@functools.cache
def _import_nodes(module: str) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of the module, nested ones included, in the order they are written.
    Only statements are walked (an import is one): a tenth of the nodes of ast.walk."""
    found, pending = [], list(reversed(_modules()[module].body))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for name in ("body", "handlers", "orelse", "finalbody", "cases"):
            pending.extend(reversed(getattr(node, name, None) or []))
    return found


def _imports(module: str, tree: ast.Module, is_package: bool, top_level_only: bool):
    nodes = tree.body if top_level_only else _import_nodes(module)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node, is_package)
            for alias in node.names:
                yield target, alias.name


def test_no_private_name_is_imported_across_modules():
    offenders = []
    for module, tree in _modules().items():
        is_package = (PACKAGE / Path(*module.split(".")[1:]) / "__init__.py").is_file()
        for target, name in _imports(module, tree, is_package, top_level_only=False):
            if name and name.startswith("_") and target != "__future__":
                offenders.append(f"{module}: from {target} import {name}")
    assert offenders == []


def test_no_import_cycle_between_our_modules():
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, tree in modules.items():
        is_package = (PACKAGE / Path(*module.split(".")[1:]) / "__init__.py").is_file()
        edges = set()
        for target, name in _imports(module, tree, is_package, top_level_only=True):
            for candidate in (f"{target}.{name}" if name else None, target):
                if candidate in modules and candidate != module:
                    edges.add(candidate)
                    break
        graph[module] = edges
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(path[path.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_imports_and_declared_dependencies_agree():
    declared = {
        line.split("==")[0].strip().lower()
        for line in tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    }
    imported = set()
    for module, tree in _modules().items():
        is_package = (PACKAGE / Path(*module.split(".")[1:]) / "__init__.py").is_file()
        for target, _name in _imports(module, tree, is_package, top_level_only=False):
            top = target.split(".")[0]
            if top and top != "casebook" and top not in sys.stdlib_module_names:
                imported.add(DISTRIBUTIONS.get(top, top).lower())
    assert imported - declared == set(), "imported but not declared in pyproject.toml"
    assert declared - imported - {d.lower() for d in USED_BY_THE_ENGINE} == set(), "declared but never imported"


# What may import what: the layout follows the pipeline (inputs → model → publish → outputs).
LAYERS = {
    "casebook.inputs": ("casebook.publish", "casebook.outputs", "casebook.pipeline", "casebook.cli"),
    "casebook.document": ("casebook.publish", "casebook.outputs", "casebook.pipeline", "casebook.cli"),
    "casebook.model": ("casebook.publish", "casebook.outputs", "casebook.pipeline"),
    "casebook.publish": ("casebook.outputs", "casebook.pipeline", "casebook.cli"),
    "casebook.util": ("casebook.inputs", "casebook.publish", "casebook.outputs", "casebook.pipeline"),
}


# The one photo pipeline decodes each photo once for check and for every output alike.
SHARED = {("casebook.inputs.photocheck", "casebook.publish"), ("casebook.inputs.photocheck", "casebook.publish.assets")}


def test_each_layer_imports_only_from_the_layers_before_it():
    offenders = []
    for module, tree in _modules().items():
        is_package = (PACKAGE / Path(*module.split(".")[1:]) / "__init__.py").is_file()
        for layer, forbidden in LAYERS.items():
            if module != layer and not module.startswith(layer + "."):
                continue
            for target, _name in _imports(module, tree, is_package, top_level_only=False):
                if (module, target) not in SHARED and any(target == f or target.startswith(f + ".") for f in forbidden):
                    offenders.append(f"{module} imports {target}")
    assert offenders == []
