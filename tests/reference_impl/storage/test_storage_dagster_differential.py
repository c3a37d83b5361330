"""Differential: our relative layout equals Dagster's PickledObjectFilesystemIOManager's for
keys Dagster handles safely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reference_impl.context import build_output_context
from reference_impl.storage import PickledObjectFilesystemIOManager
from reference_impl.storage.layout import MARKER_PREFIX

pytestmark = pytest.mark.dagster

CASES: list[dict[str, Any]] = [
    {"step_key": "my_op", "name": "result", "run_id": "RUN1"},
    {"step_key": "fan", "name": "result", "run_id": "RUN1", "mapping_key": "k1"},
    {"step_key": "each[k1]", "name": "result", "run_id": "RUN1"},
    {"step_key": "s", "name": "result", "version": "v1"},
    {"asset_key": ["one", "two", "three"]},
    {"asset_key": ["name.v2"]},
    {"asset_key": ["h"], "partition_key": "2023-01-01-05:00"},
    {"asset_key": ["p"], "partition_key": "0.0-to-1.0"},
]


def relative_files(root: Path) -> set[str]:
    """Data files only: our layout markers (``%@<kind>``) are extra files Dagster lacks."""
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(MARKER_PREFIX)}


@pytest.mark.parametrize("case", CASES, ids=lambda case: repr(sorted(case.items())))
def test_layout_matches_dagster(tmp_path: Path, case: dict[str, Any]) -> None:
    dg = pytest.importorskip("dagster")
    from dagster._core.storage.fs_io_manager import (
        PickledObjectFilesystemIOManager as DagsterPickleManager,
    )

    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    PickledObjectFilesystemIOManager(str(ours)).handle_output(build_output_context(**case), 1)
    theirs_manager = DagsterPickleManager(base_dir=str(theirs))  # type: ignore[no-untyped-call]
    theirs_manager.handle_output(dg.build_output_context(**case), 1)
    assert relative_files(ours) == relative_files(theirs)


def test_dagster_contexts_work_with_our_manager(tmp_path: Path) -> None:
    """Managers take the spec protocols, so Dagster's own contexts work, path metadata included."""
    dg = pytest.importorskip("dagster")
    manager = PickledObjectFilesystemIOManager(str(tmp_path))
    output = dg.build_output_context(step_key="s", name="result", run_id="r1")
    manager.handle_output(output, {"a": 1})
    assert output.get_logged_metadata()["path"] == dg.MetadataValue.path(
        str(tmp_path / "r1" / "s" / "result"))
    assert manager.load_input(dg.build_input_context(upstream_output=output)) == {"a": 1}
