"""The framework side of the protocol: what the contexts handed to managers contain."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from reference_impl.asset_key import AssetKey
from reference_impl.errors import InvalidDefinitionError, NoOutputValueError
from reference_impl.execution import AssetIn, In, Out, asset, job, materialize, op
from reference_impl.types import Nothing
from tests.reference_impl.execution.recording import RecordingIOManager


def test_asset_output_and_input_contexts_carry_dagster_identifiers() -> None:
    manager = RecordingIOManager()

    @asset(key_prefix=["pre"], metadata={"owner": "me"})
    def a1() -> int:
        return 1

    @asset(ins={"x": AssetIn(key=["pre", "a1"], metadata={"allow_missing_partitions": True})})
    def a2(x: int) -> int:
        return x + 1

    result = materialize([a1, a2], resources={"io_manager": manager})

    uuid.UUID(result.run_id)  # a real uuid
    out1, out2 = manager.outputs
    assert (out1.step_key, out1.name) == ("pre__a1", "result")
    assert out1.asset_key == AssetKey(["pre", "a1"])
    assert out1.definition_metadata == {"owner": "me"}
    assert out1.get_identifier() == [result.run_id, "pre__a1", "result"]
    assert out1.op_def is a1.op
    assert (out2.step_key, out2.asset_key, out2.run_id) == ("a2", AssetKey(["a2"]), result.run_id)
    (loaded,) = manager.inputs
    assert (loaded.name, loaded.asset_key) == ("x", AssetKey(["pre", "a1"]))
    assert loaded.definition_metadata == {"allow_missing_partitions": True}
    upstream = loaded.upstream_output
    assert (upstream.step_key, upstream.name, upstream.run_id) == ("pre__a1", "result",
                                                                  result.run_id)
    assert upstream.definition_metadata == {"owner": "me"}
    assert upstream is not out1  # a fresh context: logged metadata never leaks
    assert manager.store[("asset", "a2")] == 2
    assert result.asset_value(["pre", "a1"]) == 1 and result.output_for_node("pre__a1") == 1


def test_asset_from_outside_the_run_gets_dagsters_artificial_upstream_context() -> None:
    manager = RecordingIOManager()

    @asset(metadata={"m": 1})
    def a1() -> int:
        return 10

    @asset
    def a2(a1: int) -> int:
        return a1 + 1

    materialize([a1], resources={"io_manager": manager})
    result = materialize([a1, a2], resources={"io_manager": manager}, selection=[a2])

    assert result.steps_succeeded == ("a2",)
    upstream = manager.inputs[-1].upstream_output
    assert upstream.get_identifier() == ["__EPHEMERAL_RUN_ID", "none", "a1"]
    assert upstream.asset_key == AssetKey(["a1"])
    assert upstream.definition_metadata == {"m": 1, "dagster/io_manager_key": "io_manager"}
    assert result.asset_value("a2") == 11
    with pytest.raises(NoOutputValueError, match="a1"):
        result.asset_value("a1")


def test_op_outputs_use_out_metadata_and_run_scoped_identifiers() -> None:
    manager = RecordingIOManager()

    @op(out=Out(metadata={"kind": "table"}))
    def op_a(_: Any) -> list[int]:
        return [1, 2, 3]

    @op(ins={"df": In(metadata={"note": "x"})})
    def op_b(context: Any, df: list[int]) -> list[int]:
        assert context.run_id == manager.outputs[0].run_id
        return df[:2]

    @job(resource_defs={"io_manager": manager})
    def my_job() -> None:
        op_b(op_a())

    result = my_job.execute_in_process()

    out_a, _ = manager.outputs
    assert out_a.definition_metadata == {"kind": "table"}
    assert not out_a.has_asset_key
    assert manager.store[("run", result.run_id, "op_a", "result")] == [1, 2, 3]
    assert manager.store[("run", result.run_id, "op_b", "result")] == [1, 2]
    (loaded,) = manager.inputs
    assert loaded.definition_metadata == {"note": "x"}
    assert loaded.get_identifier() == [result.run_id, "op_a", "result"]
    assert loaded.dagster_type.typing_type == list[int]


def test_each_run_gets_a_fresh_run_id() -> None:
    @op
    def one() -> int:
        return 1

    @job
    def my_job() -> None:
        one()

    assert my_job.execute_in_process().run_id != my_job.execute_in_process().run_id


def test_none_annotated_outputs_skip_the_io_manager_but_unannotated_none_does_not() -> None:
    manager = RecordingIOManager()

    @asset
    def skipped() -> None:
        return None

    @asset
    def stored():  # type: ignore[no-untyped-def]  # deliberately unannotated
        return None

    result = materialize([skipped, stored], resources={"io_manager": manager})

    assert [c.step_key for c in manager.outputs] == ["stored"]
    assert manager.store == {("asset", "stored"): None}
    assert result.success and [h.step_key for h in result.handled_outputs] == ["stored"]


def test_nothing_inputs_order_execution_without_loading() -> None:
    manager = RecordingIOManager()
    order: list[str] = []

    @op
    def first() -> None:
        order.append("first")

    @op(ins={"after": In(Nothing)})
    def second() -> int:
        order.append("second")
        return 2

    @job(resource_defs={"io_manager": manager})
    def my_job() -> None:
        second(first())

    result = my_job.execute_in_process()

    assert order == ["first", "second"] and manager.inputs == []
    assert result.output_for_node("second") == 2


def test_value_input_from_a_nothing_output_is_a_clear_error() -> None:
    @asset
    def upstream() -> None:
        return None

    @asset
    def downstream(upstream: Any) -> Any:
        return upstream

    with pytest.raises(InvalidDefinitionError, match="typed Nothing"):
        materialize([upstream, downstream])


def test_job_body_tracing_aliases_repeated_ops_and_wires_inputs() -> None:
    manager = RecordingIOManager()

    @op
    def source() -> int:
        return 3

    @op
    def double(x: int) -> int:
        return 2 * x

    @job(resource_defs={"io_manager": manager})
    def my_job() -> None:
        double(double(source()))

    result = my_job.execute_in_process()

    assert [s.key for s in my_job.plan.steps] == ["source", "double", "double_2"]
    assert result.output_for_node("double_2") == 12
    assert manager.inputs[1].upstream_output.step_key == "double"


def test_job_body_errors_name_the_problem() -> None:
    @op
    def needs(x: int) -> int:
        return x

    with pytest.raises(InvalidDefinitionError, match="no upstream output"):
        @job
        def unconnected() -> None:
            needs()

    with pytest.raises(InvalidDefinitionError, match="pass the result of another op"):
        @job
        def constant() -> None:
            needs(3)


def test_multiple_outputs_are_handled_separately() -> None:
    manager = RecordingIOManager()

    @op(out={"a": Out(), "b": Out(io_manager_key="other")})
    def split() -> tuple[int, int]:
        return 1, 2

    other = RecordingIOManager()

    @job(resource_defs={"io_manager": manager, "other": other})
    def my_job() -> None:
        split()

    result = my_job.execute_in_process()

    assert [c.name for c in manager.outputs] == ["a"] and [c.name for c in other.outputs] == ["b"]
    assert result.output_for_node("split", "b") == 2
