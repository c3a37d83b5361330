"""The top-level API mirrors the seed's public names, and nothing in it imports dagster."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

import reference_impl

SEED_NAMES = [
    "ConfigurableIOManager",
    "ConfigurableIOManagerFactory",
    "IOManager",
    "IOManagerDefinition",
    "io_manager",
    "InputContext",
    "OutputContext",
    "build_input_context",
    "build_output_context",
    "FilesystemIOManager",
    "InMemoryIOManager",
    "UPathIOManager",
    "input_manager",
    "InputManager",
    "InputManagerDefinition",
    "fs_io_manager",
    "mem_io_manager",
    "Definitions",
    "asset",
    "op",
    "job",
    "Out",
    "In",
    "EnvVar",
    "AssetMaterialization",
]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_seed_name_is_exported(name: str) -> None:
    assert name in reference_impl.__all__
    assert getattr(reference_impl, name) is not None


def test_all_is_accurate() -> None:
    for name in reference_impl.__all__:
        assert hasattr(reference_impl, name), name


def test_spec_and_reference_impl_never_import_dagster() -> None:
    code = (
        "import sys, spec, spec.requirements, reference_impl; "
        "bad = sorted(m for m in sys.modules if m == 'dagster' or m.startswith('dagster.')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.dagster
@pytest.mark.skipif(importlib.util.find_spec("dagster") is None, reason="needs the dagster extra")
def test_public_names_exist_in_dagster() -> None:
    """Swapping ``from dagster import X`` for ``from reference_impl import X`` must be possible."""
    import dagster

    missing = [n for n in reference_impl.__all__ if not hasattr(dagster, n)]
    assert missing == []
