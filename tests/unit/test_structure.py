"""The bounds of the source, checked on every run rather than kept by intention: no import
circle in src/, no module over 330 lines, no function over 5 parameters.

- An import is any ``import``/``from … import`` statement of a module, at its top level or
  inside a function (one that runs only when the function is called still closes a circle
  the day it runs), except inside ``if TYPE_CHECKING:``, which never runs.
  ``from package import name`` is an import of ``package.name`` when that is a module, else
  of ``package``. A circle is a strongly connected set of modules in that graph.
- A module's size is its number of lines, docstrings and comments included: what a reader
  has to read.
- A function's parameters are its positional and keyword parameters, ``self`` or ``cls``
  (the first parameter of a method) not counted; ``*args`` and ``**kwargs`` count as one
  each: they are parameters too, and five hidden behind a ``**kwargs`` are still five.
  Lambdas are not functions here (none in src/ takes more than one).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "nanoctl"
MAX_LINES = 330
MAX_PARAMETERS = 5


def _modules() -> dict[str, Path]:
    """Every module of src/ by its installed name (src/ is the package ``nanoctl``)."""
    found: dict[str, Path] = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((PACKAGE, *parts))] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under ``node``, those of ``if TYPE_CHECKING:`` aside (its
    ``else:`` branch runs, and counts)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield from _import_nodes(other)
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _import_nodes(child)


def _imported(module: str, path: Path) -> set[str]:
    """The modules of src/ that ``module`` imports."""
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:  # relative: resolved against the importing package
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[: len(anchor) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            targets.add(submodule if submodule in MODULES else base)
    return {target for target in targets if target in MODULES and target != module}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
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


def _import_graph() -> dict[str, set[str]]:
    return {module: _imported(module, path) for module, path in MODULES.items()}


def test_no_import_circle_in_src() -> None:
    assert _circles(_import_graph()) == []


def test_the_circle_check_sees_a_circle_made_by_an_import_inside_a_function() -> None:
    """Guards the guard: a → b at the top, b → a inside a function, c on its own."""
    graph = {"a": {"b"}, "b": {"a", "c"}, "c": set()}
    assert _circles(graph) == [["a", "b"]]


def test_the_import_graph_sees_function_level_imports_and_skips_type_checking(
    tmp_path: Path,
) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from nanoctl.domain import model\n"
        "if TYPE_CHECKING:\n"
        "    from nanoctl.domain.ports import Clock\n"
        "def f():\n"
        "    from nanoctl.domain.errors import NanoctlError\n"
    )
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert _imported("nanoctl.domain.probe", path) == {
        "nanoctl.domain.model",
        "nanoctl.domain.errors",
    }


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_no_module_is_over_330_lines(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by job"


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> int:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    is_static = any(
        isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list
    )
    if in_class and not is_static and positional and positional[0].arg in ("self", "cls"):
        positional = positional[1:]
    starred = [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return len(positional) + len(arguments.kwonlyargs) + len(starred)


def _functions(tree: ast.AST, in_class: bool = False) -> Iterator[tuple[str, int, int]]:
    """(name, line, parameters) of every function and method under ``tree``."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield child.name, child.lineno, _parameters(child, in_class)
            yield from _functions(child)
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, in_class=True)
        else:
            yield from _functions(child, in_class)


def _too_many(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{name} (line {line}): {count}"
        for name, line, count in _functions(tree)
        if count > MAX_PARAMETERS
    ]


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_no_function_takes_over_5_parameters(module: str) -> None:
    assert _too_many(MODULES[module]) == [], "five things that travel together are a value"


def test_the_parameter_count_skips_self_and_counts_stars(tmp_path: Path) -> None:
    source = (
        "class A:\n"
        "    def ok(self, a, b, c, d, e): ...\n"
        "    @classmethod\n"
        "    def also(cls, a, b, c, d, *, e): ...\n"
        "    def over(self, a, b, c, d, *args, **kwargs): ...\n"
        "def top(a, b, c, d, e, f=1): ...\n"
        "def stars(*args, **kwargs): ...\n"
    )
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert _too_many(path) == ["over (line 5): 6", "top (line 6): 6"]
