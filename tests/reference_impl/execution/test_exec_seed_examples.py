"""Every code example of the seed (io-managers-api.txt), run with reference_impl imports.

Placeholders are replaced by the stand-ins in :mod:`standins`; each test checks what was stored
where.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any, List  # noqa: UP035 - the seed's ConfigurableIOManager example uses List

import pytest

from reference_impl.context import InputContext, OutputContext
from reference_impl.definitions import (
    ConfigurableIOManager,
    ConfigurableIOManagerFactory,
    EnvVar,
    IOManager,
    IOManagerDefinition,
    input_manager,
    io_manager,
)
from reference_impl.errors import ConfigError
from reference_impl.events import AssetMaterialization
from reference_impl.execution import Definitions, In, Out, asset, job, op
from reference_impl.storage import FilesystemIOManager, fs_io_manager, mem_io_manager
from tests.reference_impl.execution import standins
from tests.reference_impl.execution.standins import DF, FakeDatabase, do_stuff, read_csv, write_csv


def _asset_defs(io_manager_resource: object) -> Definitions:
    @asset
    def asset1() -> Any:
        # create df ...
        return DF

    @asset
    def asset2(asset1: Any) -> Any:
        return asset1[:5]

    return Definitions(assets=[asset1, asset2], resources={"io_manager": io_manager_resource})


def test_configurable_io_manager_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    class MyIOManager(ConfigurableIOManager):
        path_prefix: List[str]  # noqa: UP006

        def _get_path(self, context: Any) -> str:
            return "/".join(context.asset_key.path)

        def handle_output(self, context: Any, obj: Any) -> None:
            write_csv(self._get_path(context), obj)

        def load_input(self, context: Any) -> Any:
            return read_csv(self._get_path(context))

    defs = _asset_defs(MyIOManager(path_prefix=["my", "prefix"]))
    result = defs.get_implicit_global_asset_job_def().execute_in_process()

    assert result.success
    assert read_csv(str(tmp_path / "asset1")) == DF
    assert read_csv(str(tmp_path / "asset2")) == DF[:5]
    assert result.asset_value("asset2") == DF[:5]


def test_configurable_io_manager_factory_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_PASSWORD", "s3cret")
    database = FakeDatabase()

    class ExternalIOManager(IOManager):
        def __init__(self, connection: Any) -> None:
            self._connection = connection

        def handle_output(self, context: Any, obj: Any) -> None:
            self._connection.tables["/".join(context.asset_key.path)] = obj

        def load_input(self, context: Any) -> Any:
            return self._connection.tables["/".join(context.asset_key.path)]

    class ConfigurableExternalIOManager(ConfigurableIOManagerFactory):
        username: str
        password: str

        def create_io_manager(self, context: Any) -> IOManager:
            # The seed writes database.connect(username, password) and MyExternalIOManager;
            # the fields and the class defined above are what it means.
            with database.connect(self.username, self.password) as connection:
                return ExternalIOManager(connection)

    defs = _asset_defs(
        ConfigurableExternalIOManager(username="dagster", password=EnvVar("DB_PASSWORD"))
    )
    result = defs.get_implicit_global_asset_job_def().execute_in_process()

    assert result.success
    assert database.tables == {"asset1": DF, "asset2": DF[:5]}
    assert [(c.username, c.password) for c in database.connections] == [("dagster", "s3cret")]


def test_io_manager_decorator_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    handled: list[tuple[str, str, Any]] = []

    class MyIOManager(IOManager):
        def handle_output(self, context: Any, obj: Any) -> None:
            handled.append((context.step_key, context.name, obj))
            write_csv("some/path")

        def load_input(self, context: Any) -> Any:
            return read_csv("some/path")

    @io_manager
    def my_io_manager(init_context: Any) -> MyIOManager:
        return MyIOManager()

    @op(out=Out(io_manager_key="my_io_manager_key"))
    def my_op(_: Any) -> Any:
        return do_stuff()

    @job(resource_defs={"my_io_manager_key": my_io_manager})
    def my_job() -> None:
        my_op()

    result = my_job.execute_in_process()

    assert result.success
    assert handled == [("my_op", "result", ("stuff", None))]
    assert (tmp_path / "some" / "path").is_file()
    assert [h.io_manager_key for h in result.handled_outputs] == ["my_io_manager_key"]


def test_context_class_examples_type_the_managers_contexts() -> None:
    seen: list[object] = []

    class MyIOManager(IOManager):
        # The seed annotates with the concrete context classes, narrower than the spec protocols.
        def handle_output(self, context: OutputContext, obj: Any) -> None:  # type: ignore[override]
            seen.append(context)
            self.value = obj

        def load_input(self, context: InputContext) -> Any:  # type: ignore[override]
            seen.append(context)
            return self.value

    @op
    def produce() -> int:
        return 7

    @op
    def consume(x: int) -> int:
        return x + 1

    @job(resource_defs={"io_manager": IOManagerDefinition.hardcoded_io_manager(MyIOManager())})
    def my_job() -> None:
        consume(produce())

    result = my_job.execute_in_process()

    assert result.output_for_node("consume") == 8
    assert [type(c) for c in seen] == [OutputContext, InputContext, OutputContext]


def test_add_output_metadata_and_log_event_examples() -> None:
    class MyIOManager(IOManager):
        def handle_output(self, context: Any, obj: Any) -> None:
            context.add_output_metadata({"foo": "bar"})
            context.log_event(AssetMaterialization("foo"))

        def load_input(self, context: Any) -> Any:
            raise AssertionError("not loaded")

    @asset
    def foo() -> int:  # the reference contexts accept events about the output's own asset only
        return 1

    result = Definitions(assets=[foo], resources={"io_manager": MyIOManager()}) \
        .get_implicit_global_asset_job_def().execute_in_process()

    (handled,) = result.handled_outputs
    assert handled.metadata["foo"].value == "bar"
    assert [event.asset_key.path for event in handled.events] == [["foo"]]


def test_build_context_examples() -> None:
    from collections.abc import Iterator

    from reference_impl.context import build_input_context, build_output_context

    events: list[str] = []

    def context_manager_resource() -> Iterator[str]:
        events.append("setup")
        yield "foo-value"
        events.append("teardown")

    assert build_input_context() is not None
    assert build_output_context() is not None
    with build_input_context(resources={"foo": context_manager_resource}) as context:
        assert context.resources.foo == "foo-value"
    with build_output_context(resources={"foo": context_manager_resource}) as out_context:
        assert out_context.resources.foo == "foo-value"
    assert events == ["setup", "teardown", "setup", "teardown"]


@pytest.mark.parametrize("legacy", [False, True], ids=["FilesystemIOManager", "fs_io_manager"])
def test_filesystem_example_assets(tmp_path: Path, legacy: bool) -> None:
    base = str(tmp_path / "my" / "base" / "path")
    resource = (fs_io_manager.configured({"base_dir": base}) if legacy
                else FilesystemIOManager(base_dir=base))

    result = _asset_defs(resource).get_implicit_global_asset_job_def().execute_in_process()

    assert result.success
    assert pickle.loads(Path(base, "asset1").read_bytes()) == DF
    assert pickle.loads(Path(base, "asset2").read_bytes()) == DF[:5]


def _op_a_op_b(out: Out | None = None) -> tuple[Any, Any]:
    @op(out=out)
    def op_a() -> Any:
        # create df ...
        return DF

    @op
    def op_b(df: Any) -> Any:
        return df[:5]

    return op_a, op_b


@pytest.mark.parametrize("legacy", [False, True], ids=["FilesystemIOManager", "fs_io_manager"])
def test_filesystem_example_job_io_manager(tmp_path: Path, legacy: bool) -> None:
    op_a, op_b = _op_a_op_b()
    base = str(tmp_path / "base")
    resource = (fs_io_manager.configured({"base_dir": base}) if legacy
                else FilesystemIOManager(base_dir=base))

    @job(resource_defs={"io_manager": resource})
    def job_() -> None:
        op_b(op_a())

    result = job_.execute_in_process()

    run_dir = Path(base, result.run_id)
    assert pickle.loads((run_dir / "op_a" / "result").read_bytes()) == DF
    assert pickle.loads((run_dir / "op_b" / "result").read_bytes()) == DF[:5]


@pytest.mark.parametrize("legacy", [False, True], ids=["FilesystemIOManager", "fs_io_manager"])
def test_filesystem_example_out_io_manager_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, legacy: bool
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    op_a, op_b = _op_a_op_b(Out(io_manager_key="my_io_manager"))

    @job(resource_defs={"my_io_manager": fs_io_manager if legacy else FilesystemIOManager()})
    def job_() -> None:
        op_b(op_a())

    result = job_.execute_in_process()

    run_dir = tmp_path / "storage" / result.run_id
    assert pickle.loads((run_dir / "op_a" / "result").read_bytes()) == DF
    assert os.listdir(run_dir) == ["op_a"]  # op_b went to the default in-memory io_manager
    assert [(h.step_key, h.io_manager_key) for h in result.handled_outputs] == [
        ("op_a", "my_io_manager"), ("op_b", "io_manager")]
    assert result.output_for_node("op_b") == DF[:5]


def test_input_manager_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_csv("some/path", [["a", "1"]])
    write_csv("elsewhere/some/path", [["b", "2"]])
    write_csv("third.csv", [["c", "3"]])
    standins.CALLS.clear()

    @input_manager
    def csv_loader(_: Any) -> Any:
        return read_csv("some/path")

    @op(ins={"input1": In(input_manager_key="csv_loader_key")})
    def my_op(_: Any, input1: Any) -> None:
        do_stuff(input1)

    @job(resource_defs={"csv_loader_key": csv_loader})
    def my_job() -> None:
        my_op()

    assert my_job.execute_in_process().success

    @input_manager(config_schema={"base_dir": str})
    def csv_loader_with_base(context: Any) -> Any:
        return read_csv(context.resource_config["base_dir"] + "/some/path")

    my_job.execute_in_process(
        resources={"csv_loader_key": csv_loader_with_base},
        run_config={"resources": {"csv_loader_key": {"config": {"base_dir": "elsewhere"}}}},
    )

    @input_manager(input_config_schema={"path": str})
    def csv_loader_per_input(context: Any) -> Any:
        return read_csv(context.config["path"])

    my_job.execute_in_process(
        resources={"csv_loader_key": csv_loader_per_input},
        run_config={"ops": {"my_op": {"inputs": {"input1": {"path": "third.csv"}}}}},
    )
    assert standins.CALLS == [[["a", "1"]], [["b", "2"]], [["c", "3"]]]
    with pytest.raises(ConfigError, match=r"ops\.my_op\.inputs\.input1\.path"):
        my_job.execute_in_process(resources={"csv_loader_key": csv_loader_per_input})


def test_in_memory_io_manager_example_values_do_not_outlive_the_run() -> None:
    seen_managers: list[object] = []

    @asset
    def a1() -> int:
        return 5

    @asset
    def a2(a1: int) -> int:
        return a1 * 2

    defs = Definitions(assets=[a1, a2], resources={"io_manager": mem_io_manager})
    result = defs.get_implicit_global_asset_job_def().execute_in_process()
    seen_managers.append(result.asset_value("a2"))

    assert seen_managers == [10]
    with pytest.raises(KeyError):  # a fresh InMemoryIOManager per run: a1 is not there
        from reference_impl.execution import materialize

        materialize([a1, a2], resources={"io_manager": mem_io_manager}, selection=[a2])
