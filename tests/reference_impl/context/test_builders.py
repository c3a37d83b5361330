"""Tests of the builders: argument checks, copying (IOM-CTX-008) and resources (IOM-CTX-007)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from reference_impl.context import build_input_context, build_output_context
from reference_impl.errors import (
    InvalidAssetKeyError,
    InvalidContextArgumentError,
    InvalidPartitionKeyError,
    ResourceScopeError,
    UnknownResourceError,
)
from reference_impl.partitions import (
    HourlyPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
)

OUTPUT_PARAMETERS = [
    "step_key", "name", "definition_metadata", "run_id", "mapping_key", "config", "dagster_type",
    "version", "resource_config", "resources", "op_def", "asset_key", "partition_key",
    "asset_partitions_def", "asset_partition_key_range", "instance", "asset_spec", "metadata",
    "output_metadata",
]  # fmt: skip
INPUT_PARAMETERS = [
    "name", "config", "definition_metadata", "upstream_output", "dagster_type", "resource_config",
    "resources", "op_def", "step_context", "asset_key", "partition_key",
    "asset_partition_key_range", "asset_partitions_def", "instance", "metadata",
]  # fmt: skip


def test_parameter_order_is_dagsters() -> None:
    assert list(inspect.signature(build_output_context).parameters) == OUTPUT_PARAMETERS
    assert list(inspect.signature(build_input_context).parameters) == INPUT_PARAMETERS


@pytest.mark.parametrize(
    "argument", ["step_key", "name", "run_id", "mapping_key", "version", "partition_key"]
)
def test_string_arguments_are_type_checked(argument: str) -> None:
    with pytest.raises(InvalidContextArgumentError, match=argument):
        arguments: dict[str, Any] = {argument: 1}
        build_output_context(**arguments)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("dagster_type", int),
        ("asset_partitions_def", ["a", "b"]),
        ("asset_partition_key_range", ("a", "b")),
        ("definition_metadata", [("a", 1)]),
        ("definition_metadata", {1: "x"}),
        ("resource_config", "config"),
        ("output_metadata", {2: 1}),
        ("resources", ["db"]),
    ],
)
def test_structured_arguments_are_type_checked(argument: str, value: object) -> None:
    with pytest.raises(InvalidContextArgumentError, match=argument.split("_")[0]):
        arguments: dict[str, Any] = {argument: value}
        build_output_context(**arguments)


def test_bad_asset_key_raises_typed_error() -> None:
    with pytest.raises(InvalidAssetKeyError):
        build_output_context(asset_key=[1, 2])  # type: ignore[list-item]


def test_metadata_and_definition_metadata_conflict() -> None:
    with pytest.raises(InvalidContextArgumentError, match="definition_metadata"):
        build_output_context(metadata={"a": 1}, definition_metadata={"b": 2})
    with pytest.raises(InvalidContextArgumentError, match="definition_metadata"):
        build_input_context(metadata={"a": 1}, definition_metadata={"b": 2})
    with pytest.warns(DeprecationWarning, match="definition_metadata"):
        context = build_output_context(metadata={"a": 1})
    assert context.definition_metadata == {"a": 1}
    with pytest.warns(DeprecationWarning):
        assert build_input_context(metadata={"a": 1}).definition_metadata == {"a": 1}


def test_invalid_range_names_missing_keys() -> None:
    """IOM-PART-003: both builders validate a range against the definition."""
    static = StaticPartitionsDefinition(["a", "b"])
    for build in (build_output_context, build_input_context):
        with pytest.raises(InvalidPartitionKeyError, match="zz"):
            build(
                asset_key="x",
                asset_partition_key_range=PartitionKeyRange("a", "zz"),
                asset_partitions_def=static,
            )
    with pytest.raises(InvalidPartitionKeyError, match="nope"):
        build_output_context(asset_key="x", partition_key="nope", asset_partitions_def=static)


def test_huge_time_range_keys_stay_lazy() -> None:
    hourly = HourlyPartitionsDefinition(start_date="2015-01-01-00:00", end_date="2021-01-01-00:00")
    all_keys = hourly.get_partition_keys()
    context = build_output_context(
        asset_key="h",
        asset_partition_key_range=PartitionKeyRange(all_keys[0], all_keys[50_000]),
        asset_partitions_def=hourly,
    )
    keys = context.asset_partition_keys
    assert not isinstance(keys, (list, tuple))
    assert len(keys) == 50_001
    assert keys[-1] == all_keys[50_000]


def test_mappings_are_copied_and_read_only() -> None:
    """IOM-CTX-008: later changes to the caller's dicts do not change the context."""
    definition_metadata: dict[str, Any] = {"nested": {"a": [1]}}
    resource_config: dict[str, Any] = {"base_dir": "/x"}
    output_metadata: dict[str, Any] = {"rows": 1}
    config: dict[str, Any] = {"c": [1]}
    context = build_output_context(
        definition_metadata=definition_metadata,
        resource_config=resource_config,
        output_metadata=output_metadata,
        config=config,
    )
    definition_metadata["nested"]["a"].append(2)
    definition_metadata["new"] = 1
    resource_config["base_dir"] = "/elsewhere"
    output_metadata.clear()
    config["c"].append(2)
    assert context.definition_metadata == {"nested": {"a": [1]}}
    assert context.resource_config == {"base_dir": "/x"}
    assert context.output_metadata == {"rows": 1}
    assert context.config == {"c": [1]}
    with pytest.raises(TypeError):
        context.definition_metadata["x"] = 1  # type: ignore[index]


# ---------------------------------------------------------------- resources
class Tracked:
    """A context-manager resource that records its lifecycle."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def __enter__(self) -> str:
        self.events.append("enter")
        return "entered value"

    def __exit__(self, *exc: object) -> None:
        self.events.append("exit")


def test_plain_resources_are_attributes() -> None:
    context = build_output_context(resources={"db": {"a": 1}})
    assert context.resources.db == {"a": 1}
    assert "db" in context.resources
    with pytest.raises(UnknownResourceError, match="'zz'"):
        _ = context.resources.zz
    assert not hasattr(context.resources, "zz")


def test_context_manager_resources_are_scoped() -> None:
    """IOM-CTX-007: entered when the block starts, exited when it ends."""
    resource = Tracked()
    for build in (build_output_context, build_input_context):
        resource.events.clear()
        context = build(resources={"r": resource, "plain": 1})
        assert resource.events == []
        with pytest.raises(ResourceScopeError, match=f"with {build.__name__}"):
            _ = context.resources
        with context as entered:
            assert entered is context
            assert context.resources.r == "entered value"
            assert context.resources.plain == 1
            assert resource.events == ["enter"]
        assert resource.events == ["enter", "exit"]
        with pytest.raises(ResourceScopeError):
            _ = context.resources


def test_generator_function_resources_are_torn_down_on_error() -> None:
    events: list[str] = []

    def connection() -> Iterator[str]:
        events.append("setup")
        try:
            yield "conn"
        finally:
            events.append("teardown")

    with (
        pytest.raises(RuntimeError, match="boom"),
        build_input_context(resources={"conn": connection}) as context,
    ):
        assert context.resources.conn == "conn"
        raise RuntimeError("boom")
    assert events == ["setup", "teardown"]


def test_generator_resource_with_arguments_is_rejected() -> None:
    def needs_arg(init: object) -> Iterator[object]:
        yield init

    context = build_output_context(resources={"r": needs_arg})
    with pytest.raises(InvalidContextArgumentError, match="'r'"):
        context.__enter__()


def test_context_without_scoped_resources_is_a_context_manager_too() -> None:
    with build_output_context(step_key="s", name="n") as context:
        assert context.get_identifier()[1:] == ["s", "n"]
