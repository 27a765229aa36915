"""The pipeline's shape, checked on the code itself (readers -> schema -> document -> writers).

The rules are read from every `import` in the package, wherever it stands (a function-level import is
still a dependency); only imports under `if TYPE_CHECKING:` are left out, since they never run.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assembler"

# Libraries that read or write one file format: the schema and the brand must stay free of them.
FORMAT_PACKAGES = ("pdf", "docx", "html")  # writers/<format>/
FORMAT_LIBRARIES = {"docx", "docxtpl", "openpyxl", "reportlab", "yaml", "lxml", "PIL", "pypdfium2", "uharfbuzz",
                    "fontTools", "markdown", "markdown_it", "playwright"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=1)
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported_names(tree: ast.AST, module: str, is_package: bool):
    """Every name imported, absolute, as (name, imported-from-name) pairs; TYPE_CHECKING blocks skipped."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                yield base, alias.name
        stack.extend(ast.iter_child_nodes(node))


@lru_cache(maxsize=1)
def _graph() -> dict[str, set[str]]:
    """Module -> the modules and outside libraries it imports (a library by its top-level name)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for base, member in _imported_names(tree, name, path.name == "__init__.py"):
            if not base.startswith("assembler"):
                targets.add(base.split(".")[0])
                continue
            submodule = f"{base}.{member}" if member else None
            if submodule in modules:
                targets.add(submodule)
            elif base in modules:
                targets.add(base)
        targets.discard(name)
        graph[name] = targets
    return graph


def _imports_of(prefix: str) -> dict[str, set[str]]:
    return {name: targets for name, targets in _graph().items() if name == prefix or name.startswith(prefix + ".")}


def _under(target: str, prefix: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycles():
    cycles = _cycles(_graph())
    assert not cycles, "import cycles (each line imports back into itself):\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles)


@pytest.mark.parametrize("layer, forbidden", [
    ("assembler.writers", ("assembler.readers", "assembler.content", "assembler.intake", "assembler.config.loader")),
    ("assembler.readers", ("assembler.writers", "assembler.document", "assembler.checks")),
    ("assembler.schema", ("assembler.readers", "assembler.writers", "assembler.document", "assembler.content")),
    ("assembler.document", ("assembler.readers", "assembler.writers", "assembler.content")),
    ("assembler.brand", ("assembler.writers", "assembler.readers")),
    # Each format is one package: none reaches into another's (the DOCX one-pagers are handed the PDF's layout;
    # the page numbers both share are plain values in writers/one_page_geometry.py and report_geometry.py).
    *[(f"assembler.writers.{name}", tuple(f"assembler.writers.{other}" for other in FORMAT_PACKAGES if other != name))
      for name in FORMAT_PACKAGES],
])
def test_layers_import_only_downwards(layer, forbidden):
    crossings = sorted(f"{module} imports {target}" for module, targets in _imports_of(layer).items()
                       for target in targets if any(_under(target, prefix) for prefix in forbidden))
    assert not crossings, "\n".join(crossings)


@pytest.mark.parametrize("layer", ["assembler.schema", "assembler.brand", "assembler.document"])
def test_plain_layers_import_no_format_library(layer):
    crossings = sorted(f"{module} imports {target}" for module, targets in _imports_of(layer).items()
                       for target in targets if target in FORMAT_LIBRARIES)
    assert not crossings, "\n".join(crossings)


def test_the_rules_see_real_imports():
    """The walk itself must find what is plainly there, or every rule above passes vacuously."""
    graph = _graph()
    assert "assembler.schema" in graph and len(graph) > 50
    assert any(_under(target, "assembler.schema") for target in graph["assembler.build"])
    assert "reportlab" in set().union(*(targets for name, targets in graph.items() if name.startswith("assembler.writers.pdf")))
    # A circle planted in a copy of the graph is found.
    planted = {name: set(targets) for name, targets in graph.items()}
    planted["assembler.schema"].add("assembler.build")
    assert any("assembler.schema" in cycle for cycle in _cycles(planted))
