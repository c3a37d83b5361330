"""Per-input/per-output config validation, resource init/teardown, error propagation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from reference_impl.definitions import InitResourceContext, IOManager, io_manager
from reference_impl.errors import ConfigError, MissingResourceError
from reference_impl.execution import In, asset, job, materialize, op
from tests.reference_impl.execution.recording import RecordingIOManager


def _configurable_manager(events: list[Any]) -> Any:
    @io_manager(output_config_schema={"table": str}, input_config_schema={"columns": [str]})
    def configurable(_: Any) -> RecordingIOManager:
        manager = RecordingIOManager()
        events.append(manager)
        return manager

    return configurable


def _two_op_job(resource: Any) -> Any:
    @op
    def produce() -> int:
        return 1

    @op
    def consume(x: int) -> int:
        return x

    @job(resource_defs={"io_manager": resource})
    def my_job() -> None:
        consume(produce())

    return my_job


def test_per_output_and_per_input_config_reach_the_contexts() -> None:
    managers: list[RecordingIOManager] = []
    my_job = _two_op_job(_configurable_manager(managers))

    my_job.execute_in_process(run_config={"ops": {
        "produce": {"outputs": {"result": {"table": "t1"}}},
        "consume": {"inputs": {"x": {"columns": ["a"]}}, "outputs": {"result": {"table": "t2"}}},
    }})

    (manager,) = managers
    assert [c.config for c in manager.outputs] == [{"table": "t1"}, {"table": "t2"}]
    assert manager.inputs[0].config == {"columns": ["a"]}
    assert manager.inputs[0].upstream_output.config == {"table": "t1"}


@pytest.mark.parametrize(("run_config", "message"), [
    ({"ops": {"produce": {"outputs": {"result": {"table": 3}}}}},
     r"ops\.produce\.outputs\.result\.table: expected"),
    ({"ops": {"produce": {"outputs": {"result": {}}}}},
     r"ops\.produce\.outputs\.result\.table: missing required"),
    ({"ops": {"consume": {"inputs": {"x": {"columns": "a"}}}}},
     r"ops\.consume\.inputs\.x\.columns"),
    ({"ops": {"consume": {"inputs": {"y": {}}}}}, r"unknown inputs \['y'\]"),
    ({"ops": {"nope": {}}}, r"unknown ops \['nope'\]"),
])
def test_invalid_per_op_config_is_rejected_before_anything_runs(
    run_config: dict[str, Any], message: str
) -> None:
    managers: list[RecordingIOManager] = []
    my_job = _two_op_job(_configurable_manager(managers))
    full = {"ops": {"produce": {"outputs": {"result": {"table": "t"}}},
                    "consume": {"outputs": {"result": {"table": "t"}}}}}
    for name, entry in run_config["ops"].items():
        full["ops"][name] = {**full["ops"].get(name, {}), **entry}

    with pytest.raises(ConfigError, match=message):
        my_job.execute_in_process(run_config=full)
    assert managers == []  # nothing was initialised


def test_output_config_for_a_manager_without_output_schema_is_rejected() -> None:
    my_job = _two_op_job(RecordingIOManager())

    with pytest.raises(ConfigError, match="accepts no per-output config"):
        my_job.execute_in_process(run_config={"ops": {"produce": {"outputs": {"result": 1}}}})


def test_missing_resource_key_names_who_needs_it() -> None:
    @op(ins={"x": In(input_manager_key="loader")})
    def needs_loader(x: Any) -> Any:
        return x

    @job
    def my_job() -> None:
        needs_loader()

    with pytest.raises(MissingResourceError, match=r"input 'x' of op 'needs_loader'.*'loader'"):
        my_job.execute_in_process()


def test_resources_are_initialised_once_with_dependencies_and_torn_down() -> None:
    events: list[str] = []

    @io_manager(required_resource_keys={"conn"})
    def tracked(init_context: InitResourceContext) -> Iterator[RecordingIOManager]:
        events.append(f"init with {init_context.resources.conn}")
        yield RecordingIOManager()
        events.append("teardown")

    my_job = _two_op_job(tracked)
    result = my_job.execute_in_process(resources={"conn": "db://x"})

    assert result.success
    assert events == ["init with db://x", "teardown"]


def test_teardown_runs_and_original_error_propagates_when_a_step_fails() -> None:
    events: list[str] = []

    class Boom(RuntimeError):
        pass

    class FailingLoad(IOManager):
        def handle_output(self, context: Any, obj: Any) -> None:
            events.append(f"stored {context.step_key}")

        def load_input(self, context: Any) -> Any:
            raise Boom("cannot load")

    @io_manager
    def failing(_: Any) -> Iterator[FailingLoad]:
        yield FailingLoad()
        events.append("teardown")

    with pytest.raises(Boom, match="cannot load"):
        _two_op_job(failing).execute_in_process()
    assert events == ["stored produce", "teardown"]


def test_without_raise_on_error_the_result_records_which_steps_ran() -> None:
    @asset
    def ok() -> int:
        return 1

    @asset
    def broken(ok: int) -> int:
        raise ValueError("bad")

    @asset
    def after(broken: int) -> int:
        return broken

    @asset
    def independent() -> int:
        return 2

    result = materialize([ok, broken, after, independent],
                         resources={"io_manager": RecordingIOManager()}, raise_on_error=False)

    assert not result.success
    assert result.steps_succeeded == ("ok", "independent")
    assert result.steps_failed == ("broken",) and result.steps_skipped == ("after",)
    (failure,) = [o for o in result.step_outcomes if o.status == "failure"]
    assert isinstance(failure.error, ValueError)


def test_handle_output_returning_a_bad_value_is_a_typed_error() -> None:
    from reference_impl.errors import InvalidEventError

    class ReturnsInt(IOManager):
        def handle_output(self, context: Any, obj: Any) -> Any:
            return 5

        def load_input(self, context: Any) -> Any:
            return None

    with pytest.raises(InvalidEventError, match="returned 5"):
        _two_op_job(ReturnsInt()).execute_in_process()


def test_handle_output_returned_metadata_is_recorded() -> None:
    class ReturnsMetadata(RecordingIOManager):
        def handle_output(self, context: Any, obj: Any) -> Any:
            super().handle_output(context, obj)
            return {"rows": 1}

    result = _two_op_job(ReturnsMetadata()).execute_in_process()

    assert result.handled_output_metadata("produce") == {"rows": 1}


def test_op_config_is_validated_and_reaches_the_op() -> None:
    @op(config_schema={"n": int})
    def configured(context: Any) -> int:
        return int(context.op_config["n"]) * 2

    @job
    def my_job() -> None:
        configured()

    assert my_job.execute_in_process(
        run_config={"ops": {"configured": {"config": {"n": 4}}}}
    ).output_for_node("configured") == 8
    with pytest.raises(ConfigError, match=r"ops\.configured\.config\.n"):
        my_job.execute_in_process(run_config={"ops": {"configured": {"config": {"n": "x"}}}})
