"""The layering rules (docs/ARCHITECTURE.md, "House rules") hold for the repository, and each rule
fails on a synthetic graph that breaks it."""

from __future__ import annotations

import pytest

from tests.house.importgraph import (
    ROOT,
    Import,
    When,
    find_cycles,
    iter_modules,
    module_graph,
    module_name,
    parse_imports,
    read_imports,
)
from tests.house.layering import (
    MAX_LINES,
    PACKAGES,
    dagster_imports,
    oversized,
    upward_imports,
)

SCANNED = (*PACKAGES, "tests", "benchmarks", "scripts")


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    """Every import of every module in the scanned trees."""
    paths = [path for folder in SCANNED for path in iter_modules(folder)]
    return [imp for path in paths for imp in read_imports(path)]


def _package_modules() -> set[str]:
    return {module_name(path) for package in PACKAGES for path in iter_modules(package)}


def _report(found: list[Import]) -> str:
    return "\n".join(imp.describe() for imp in found)


def test_no_package_imports_a_later_one(imports: list[Import]) -> None:
    """spec imports neither reference_impl nor conformance; reference_impl not conformance."""
    found = upward_imports(imports)
    assert not found, "imports against the layering spec <- reference_impl <- conformance:\n" + (
        _report(found)
    )


def test_only_the_bridge_and_the_field_subjects_import_dagster(imports: list[Import]) -> None:
    """dagster stays behind conformance.bridges and conformance.field (the optional extras)."""
    found = dagster_imports(imports)
    assert not found, (
        "dagster (or a module built on it) imported outside conformance/bridges, "
        "conformance/field, tests, benchmarks, scripts; import it lazily or move the code:\n"
        + _report(found)
    )


def test_no_import_cycle_among_the_packages_modules(imports: list[Import]) -> None:
    """The static import graph of spec, reference_impl and conformance is a DAG."""
    cycles = find_cycles(module_graph(imports, _package_modules()))
    assert not cycles, "import cycles (module level or TYPE_CHECKING imports):\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles
    )


def test_no_module_exceeds_the_hard_ceiling() -> None:
    """No module of the packages is over MAX_LINES (420) lines (the target is about 400)."""
    found = oversized(path for package in PACKAGES for path in iter_modules(package))
    assert not found, f"modules over {MAX_LINES} lines; split them by job:\n" + "\n".join(found)


def _imp(importer: str, target: str, when: When = When.MODULE) -> Import:
    return Import(importer, target, 1, f"import {target}", when)


def test_the_rules_catch_synthetic_violations() -> None:
    """Each rule reports a graph that breaks it and stays quiet on one that does not."""
    upward = [
        _imp("spec.values", "reference_impl.asset_key", When.LAZY),
        _imp("reference_impl.errors", "conformance.report", When.TYPE_CHECKING),
    ]
    assert upward_imports([*upward, _imp("conformance.cli", "spec.values")]) == upward
    dagster = [
        _imp("reference_impl.metadata", "dagster", When.LAZY),
        _imp("conformance.cli", "dagster_aws.s3"),
        _imp("conformance.runner", "conformance.bridges.dagster"),
    ]
    allowed = [
        _imp("conformance.bridges.dagster.factory", "dagster"),
        _imp("conformance.field.contexts", "dagster"),
        _imp("tests.conformance.bridge.test_x", "dagster"),
        _imp("conformance.cli", "conformance.bridges.dagster", When.LAZY),
    ]
    assert dagster_imports([*dagster, *allowed]) == dagster


def test_cycles_are_found_through_type_checking_imports_but_not_lazy_ones() -> None:
    """A TYPE_CHECKING edge closes a cycle; a lazy import does not; a DAG has none."""
    modules = {"p.a", "p.b", "p.c", "p.d"}
    edges = [
        _imp("p.a", "p.b"),
        _imp("p.b", "p.c"),
        _imp("p.c", "p.a", When.TYPE_CHECKING),
        _imp("p.d", "p.a"),
        _imp("p.a", "p.d", When.LAZY),
    ]
    assert find_cycles(module_graph(edges, modules)) == [["p.a", "p.b", "p.c"]]
    assert find_cycles(module_graph(edges[:2] + edges[3:], modules)) == []


SYNTHETIC_MODULE = """
import importlib
from typing import TYPE_CHECKING

from . import composition
from .specs import NO_VALUE
from reference_impl import errors

if TYPE_CHECKING:
    from ..context import output


def later() -> None:
    import dagster
    importlib.import_module("reference_impl.partitions")
"""


def test_the_reader_resolves_relative_and_literal_imports() -> None:
    """Relative imports resolve to modules, ``import_module("...")`` counts, and where each
    import runs is recorded."""
    found = parse_imports(SYNTHETIC_MODULE, "reference_impl.execution.op_definition")
    assert [(imp.target, imp.when) for imp in found] == [
        ("importlib", When.MODULE),
        ("typing", When.MODULE),
        ("reference_impl.execution.composition", When.MODULE),
        ("reference_impl.execution.specs", When.MODULE),
        ("reference_impl.errors", When.MODULE),
        ("reference_impl.context.output", When.TYPE_CHECKING),
        ("dagster", When.LAZY),
        ("reference_impl.partitions", When.LAZY),
    ]


def test_the_size_guard_names_the_offender() -> None:
    """A file over the limit is listed with its line count; one at the limit is not."""
    big, small = ROOT / "tests/house/test_layering.py", ROOT / "tests/house/__init__.py"
    lines = len(big.read_text().splitlines())
    expected = [f"tests/house/test_layering.py: {lines} lines"]
    assert oversized([big, small], limit=lines - 1) == expected
    assert oversized([big, small], limit=lines) == []
