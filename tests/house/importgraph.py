"""The import graph of the repository's packages, read with ``ast`` (no module is executed).

Every ``import`` statement of a module becomes an :class:`Import`: the imported module resolved to
its absolute, most specific dotted name (``from a.b import c`` names ``a.b.c`` when that is a
module, else ``a.b``), its line, its source text, and where it runs: at import time, lazily
inside a function, or only for type checkers (``if TYPE_CHECKING:``). A call
``importlib.import_module("a.b")`` with a literal name counts as an import of ``a.b`` too.
"""

from __future__ import annotations

import ast
import enum
import pathlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[2]


class When(enum.Enum):
    """When an import statement runs."""

    MODULE = "module level"
    LAZY = "inside a function"
    TYPE_CHECKING = "under TYPE_CHECKING"


@dataclass(frozen=True)
class Import:
    """One imported module of one importing module."""

    importer: str
    target: str
    line: int
    source: str
    when: When

    def describe(self) -> str:
        """``importer (path:line, when): source``, for failure messages."""
        path = module_path(self.importer).relative_to(ROOT)
        return f"{self.importer} ({path}:{self.line}, {self.when.value}): {self.source}"


def module_name(path: pathlib.Path) -> str:
    """The dotted module name of a ``.py`` file under :data:`ROOT`."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_path(name: str) -> pathlib.Path:
    """The file of module ``name`` (a package's ``__init__.py``)."""
    base = ROOT.joinpath(*name.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def iter_modules(folder: str) -> Iterator[pathlib.Path]:
    """The ``.py`` files under ``ROOT/folder``, sorted."""
    yield from sorted((ROOT / folder).rglob("*.py"))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from`` import names before its ``import`` list."""
    if not node.level:
        return node.module or ""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return (base / "__init__.py").is_file() or base.with_suffix(".py").is_file()


def _targets(importer: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = _resolve(importer, is_package, node)
    targets = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        targets.append(sub if alias.name != "*" and _is_module(sub) else base)
    return list(dict.fromkeys(targets))


def _import_module_literal(node: ast.AST) -> str | None:
    """``"a.b"`` for a call ``import_module("a.b")`` / ``importlib.import_module("a.b")``."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    named = (isinstance(func, ast.Name) and func.id == "import_module") or (
        isinstance(func, ast.Attribute) and func.attr == "import_module"
    )
    first = node.args[0]
    if named and isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def read_imports(path: pathlib.Path) -> list[Import]:
    """Every import statement of the module at ``path``, in source order."""
    return parse_imports(path.read_text(), module_name(path), path.name == "__init__.py")


def parse_imports(text: str, name: str, is_package: bool = False) -> list[Import]:
    """Every import statement of module ``name`` whose source is ``text``, in source order."""
    found: list[Import] = []

    def visit(node: ast.AST, when: When) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            source = ast.get_source_segment(text, node) or ""
            for target in _targets(name, is_package, node):
                found.append(Import(name, target, node.lineno, " ".join(source.split()), when))
            return
        literal = _import_module_literal(node)
        if literal is not None and isinstance(node, ast.Call):
            source = ast.get_source_segment(text, node) or ""
            found.append(Import(name, literal, node.lineno, " ".join(source.split()), when))
        if isinstance(node, ast.If) and _is_type_checking(node.test) and when is When.MODULE:
            for child in node.body:
                visit(child, When.TYPE_CHECKING)
            for child in node.orelse:
                visit(child, when)
            return
        inner = When.LAZY if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else when
        for nested in ast.iter_child_nodes(node):
            visit(nested, inner)

    visit(ast.parse(text, filename=name), When.MODULE)
    return found


STATIC = frozenset({When.MODULE, When.TYPE_CHECKING})
"""The imports that make a module's static dependencies: lazy ones run only when called."""


def module_graph(imports: Sequence[Import], modules: set[str]) -> dict[str, set[str]]:
    """Static import edges (module level and TYPE_CHECKING; lazy excluded) between ``modules``."""
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for imp in imports:
        inside = {imp.importer, imp.target} <= modules
        if imp.when in STATIC and inside and imp.target != imp.importer:
            graph[imp.importer].add(imp.target)
    return graph


def find_cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of ``graph`` with more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(components)
