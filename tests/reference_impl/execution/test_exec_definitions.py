"""Definitions (job lookup, resource binding, loading stored assets) and input managers."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from reference_impl.asset_key import AssetKey
from reference_impl.definitions import input_manager
from reference_impl.errors import InvalidDefinitionError
from reference_impl.execution import AssetIn, Definitions, In, asset, job, op
from reference_impl.storage import FilesystemIOManager
from tests.reference_impl.execution.recording import RecordingIOManager


def test_get_job_def_binds_definitions_resources(tmp_path: Path) -> None:
    @op
    def make() -> str:
        return "v"

    @job
    def my_job() -> None:
        make()

    defs = Definitions(jobs=[my_job],
                       resources={"io_manager": FilesystemIOManager(base_dir=str(tmp_path))})
    result = defs.get_job_def("my_job").execute_in_process()

    stored = tmp_path / result.run_id / "make" / "result"
    assert pickle.loads(stored.read_bytes()) == "v"
    with pytest.raises(InvalidDefinitionError, match=r"no job named 'other'.*my_job"):
        defs.get_job_def("other")


def test_load_asset_value_reads_through_the_io_manager(tmp_path: Path) -> None:
    @asset(key=["group", "table"])
    def table() -> list[int]:
        return [1, 2]

    defs = Definitions(assets=[table],
                       resources={"io_manager": FilesystemIOManager(base_dir=str(tmp_path))})
    defs.get_implicit_global_asset_job_def().execute_in_process()

    assert (tmp_path / "group" / "table").is_file()
    assert defs.load_asset_value(["group", "table"]) == [1, 2]


def test_definitions_reject_undefined_upstream_assets() -> None:
    @asset
    def child(missing: int) -> int:
        return missing

    with pytest.raises(InvalidDefinitionError, match=r"'missing'.*none of the given assets"):
        Definitions(assets=[child])


def test_input_manager_on_a_connected_input_sees_the_upstream_output() -> None:
    seen: list[Any] = []

    @input_manager
    def loader(context: Any) -> str:
        seen.append(context)
        return "loaded"

    @op
    def up() -> int:
        return 1

    @op(ins={"x": In(input_manager_key="loader", metadata={"k": 1})})
    def down(x: str) -> str:
        return x

    @job(resource_defs={"loader": loader, "io_manager": RecordingIOManager()})
    def my_job() -> None:
        down(up())

    result = my_job.execute_in_process()

    (context,) = seen
    assert result.output_for_node("down") == "loaded"
    assert context.upstream_output.step_key == "up"
    assert context.definition_metadata == {"k": 1}
    assert [(i.step_key, i.manager_key) for i in result.loaded_inputs] == [("down", "loader")]


def test_asset_in_input_manager_key_loads_with_the_asset_key() -> None:
    seen: list[Any] = []

    @input_manager
    def loader(context: Any) -> str:
        seen.append(context.asset_key)
        return "external"

    @asset(ins={"raw": AssetIn(key=["source", "raw"], input_manager_key="loader")})
    def cleaned(raw: str) -> str:
        return raw.upper()

    defs = Definitions(assets=[cleaned],
                       resources={"loader": loader, "io_manager": RecordingIOManager()})
    result = defs.get_implicit_global_asset_job_def().execute_in_process()

    assert seen == [AssetKey(["source", "raw"])]
    assert result.asset_value("cleaned") == "EXTERNAL"


def test_unconnected_input_with_a_default_value_uses_it() -> None:
    @op(ins={"n": In(default_value=5)})
    def add_one(n: int) -> int:
        return n + 1

    @job
    def my_job() -> None:
        add_one()

    assert my_job.execute_in_process().output_for_node("add_one") == 6
