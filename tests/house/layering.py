"""The house rules over the import graph, as pure functions of :class:`~.importgraph.Import` s.

* ``spec`` imports neither ``reference_impl`` nor ``conformance``; ``reference_impl`` does not
  import ``conformance`` (any import counts: module level, lazy, TYPE_CHECKING).
* Only :data:`DAGSTER_IMPORTERS` may import ``dagster`` (or ``dagster_*`` packages) in any way,
  and nothing else imports one of them at module level (that would import dagster transitively).
* The static import graph (module level and TYPE_CHECKING) of each package has no cycle.
* No module of the packages exceeds :data:`MAX_LINES` lines.
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterable, Sequence

from tests.house.importgraph import ROOT, Import, When

PACKAGES = ("spec", "reference_impl", "conformance")
"""The shipped packages, in dependency order: each may import only those before it."""

DAGSTER_IMPORTERS = ("conformance.bridges", "conformance.field", "tests", "benchmarks", "scripts")
"""What may import dagster: the bridge and the field subjects (both behind the optional extras)
and the developer trees that measure against Dagster (tests, benchmarks, scripts)."""

MAX_LINES = 420
"""The hard ceiling for one module: the target (docs/ARCHITECTURE.md) is about 400 lines, and
420 leaves a little room for a docstring before a split is due."""


def within(module: str, prefixes: Iterable[str]) -> bool:
    """Whether ``module`` is one of ``prefixes`` or inside one of them."""
    return any(module == prefix or module.startswith(f"{prefix}.") for prefix in prefixes)


def top(module: str) -> str:
    """The top-level package of a dotted name."""
    return module.split(".", 1)[0]


def upward_imports(imports: Sequence[Import]) -> list[Import]:
    """Imports of a shipped package by one that comes before it in :data:`PACKAGES`."""
    found = []
    for imp in imports:
        importer, target = top(imp.importer), top(imp.target)
        known = importer in PACKAGES and target in PACKAGES
        if known and PACKAGES.index(target) > PACKAGES.index(importer):
            found.append(imp)
    return found


def is_dagster(module: str) -> bool:
    """Whether ``module`` belongs to dagster or one of its ``dagster_*`` libraries."""
    return top(module) == "dagster" or top(module).startswith("dagster_")


def dagster_imports(imports: Sequence[Import]) -> list[Import]:
    """Imports of dagster outside :data:`DAGSTER_IMPORTERS`, and module-level imports of one of
    those modules from outside them."""
    found = []
    for imp in imports:
        if within(imp.importer, DAGSTER_IMPORTERS):
            continue
        at_import_time = imp.when is When.MODULE
        if is_dagster(imp.target) or (at_import_time and within(imp.target, DAGSTER_IMPORTERS)):
            found.append(imp)
    return found


def oversized(paths: Iterable[pathlib.Path], limit: int = MAX_LINES) -> list[str]:
    """``path: N lines`` for each file longer than ``limit`` lines."""
    found = []
    for path in paths:
        lines = len(path.read_text().splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(ROOT)}: {lines} lines")
    return found
