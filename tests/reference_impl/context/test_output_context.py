"""Unit tests of OutputContext members and errors (IOM-CTX-*, IOM-ID-*, IOM-META-*)."""

from __future__ import annotations

import logging
import pathlib
from typing import Any

import pytest

from reference_impl.asset_key import AssetKey
from reference_impl.context import OutputContext, build_output_context
from reference_impl.errors import (
    ContextValueUnavailableError,
    DuplicateMetadataKeyError,
    InvalidContextArgumentError,
    InvalidEventError,
    InvalidMetadataError,
    MissingPartitionsDefinitionError,
    NotPartitionedError,
    NotTimePartitionedError,
    PartitionCountError,
)
from reference_impl.events import AssetMaterialization, AssetObservation
from reference_impl.metadata import IntMetadataValue, MetadataValue, TextMetadataValue
from reference_impl.partitions import (
    DailyPartitionsDefinition,
    MultiPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
)
from reference_impl.types import DagsterType
from spec.contexts import OutputContextLike

STATIC = StaticPartitionsDefinition(["a", "b", "c", "d"])


def test_bare_context_defaults() -> None:
    context = build_output_context()
    assert isinstance(context, OutputContextLike)
    assert context.run_id == "__EPHEMERAL_RUN_ID"
    assert context.mapping_key is None
    assert context.version is None
    assert context.config is None
    assert dict(context.definition_metadata) == {}
    assert dict(context.output_metadata) == {}
    assert context.resource_config == {}
    assert list(context.resources) == []
    assert isinstance(context.log, logging.Logger)
    assert not context.has_asset_key
    assert not context.has_partition_key
    assert not context.has_asset_partitions


@pytest.mark.parametrize(
    "accessor", ["step_key", "name", "op_def", "dagster_type", "asset_spec", "step_context"]
)
def test_missing_values_raise_naming_the_accessor(accessor: str) -> None:
    """IOM-CTX-001: an accessor for a value not given raises, naming it and the builder."""
    with pytest.raises(ContextValueUnavailableError, match=accessor) as caught:
        getattr(build_output_context(), accessor)
    assert "build_output_context" in str(caught.value)


def test_raw_constructor_without_run_id_cannot_identify() -> None:
    context = OutputContext(step_key="s", name="n")
    with pytest.raises(ContextValueUnavailableError, match="run_id"):
        context.get_identifier()


def test_given_values_are_returned() -> None:
    op_def, spec = object(), object()
    context = build_output_context(
        step_key="s",
        name="n",
        run_id="r",
        mapping_key="m",
        config={"x": 1},
        dagster_type=DagsterType.from_python_type(int),
        op_def=op_def,
        asset_spec=spec,
        output_metadata={"rows": 3},
    )
    assert (context.step_key, context.name, context.run_id, context.mapping_key) == (
        "s",
        "n",
        "r",
        "m",
    )
    assert context.config == {"x": 1}
    assert context.dagster_type.display_name == "Int"
    assert context.op_def is op_def
    assert context.asset_spec is spec
    assert dict(context.output_metadata) == {"rows": 3}


def test_identifiers() -> None:
    """IOM-ID-001..004 on the documented examples (dagster-semantics §1)."""
    base: dict[str, Any] = {"step_key": "s", "name": "result"}
    assert build_output_context(**base).get_identifier() == ["__EPHEMERAL_RUN_ID", "s", "result"]
    assert build_output_context(run_id="r1", mapping_key="m1", **base).get_identifier() == [
        "r1",
        "s",
        "result",
        "m1",
    ]
    assert build_output_context(run_id="r1", mapping_key="", **base).get_identifier() == [
        "r1",
        "s",
        "result",
    ]
    assert build_output_context(version="", **base).get_identifier() == [
        "versioned_outputs",
        "",
        "s",
        "result",
    ]
    with pytest.raises(InvalidContextArgumentError, match="versioning"):
        build_output_context(version="v", mapping_key="m", **base).get_identifier()


def test_identifier_needs_step_key_and_name() -> None:
    with pytest.raises(ContextValueUnavailableError, match="step_key"):
        build_output_context(name="n").get_identifier()
    with pytest.raises(ContextValueUnavailableError, match="name"):
        build_output_context(step_key="s").get_identifier()


def test_asset_key_is_coerced_only_when_truthy() -> None:
    assert build_output_context(asset_key="a/b").asset_key == AssetKey(["a/b"])
    assert build_output_context(asset_key=("x", "y")).asset_key == AssetKey(["x", "y"])
    assert not build_output_context(asset_key="").has_asset_key
    assert not build_output_context(asset_key=[]).has_asset_key


def test_asset_identifier() -> None:
    """IOM-ID-006/007/009."""
    assert build_output_context(asset_key=["a", "b"]).get_asset_identifier() == ["a", "b"]
    context = build_output_context(asset_key=["a", "b"], partition_key="p1")
    assert context.get_asset_identifier() == ["a", "b", "p1"]
    with pytest.raises(ContextValueUnavailableError, match="asset_key"):
        build_output_context(partition_key="p1").get_asset_identifier()
    several = build_output_context(
        asset_key="x",
        asset_partition_key_range=PartitionKeyRange("a", "c"),
        asset_partitions_def=STATIC,
    )
    with pytest.raises(PartitionCountError, match="3"):
        several.get_asset_identifier()


def test_partition_key_is_run_level() -> None:
    """A partition key without an asset key is a run key only; "" still counts as given."""
    context = build_output_context(partition_key="p")
    assert context.has_partition_key and context.partition_key == "p"
    assert not context.has_asset_partitions
    empty = build_output_context(asset_key="a", partition_key="")
    assert empty.has_partition_key and empty.partition_key == ""
    assert not empty.has_asset_partitions


def test_partition_accessors_raise_when_not_partitioned() -> None:
    context = build_output_context(asset_key="a")
    with pytest.raises(NotPartitionedError, match="non-partitioned run"):
        _ = context.partition_key
    for accessor in (
        "asset_partition_key",
        "asset_partition_key_range",
        "asset_partition_keys",
        "asset_partitions_time_window",
    ):
        with pytest.raises(NotPartitionedError, match=accessor):
            getattr(context, accessor)
    with pytest.raises(NotPartitionedError, match="not partitioned"):
        _ = context.asset_partitions_def
    with pytest.raises(ContextValueUnavailableError, match="asset_key"):
        _ = build_output_context().asset_partitions_def


def test_explicit_range_wins_over_partition_key() -> None:
    """IOM-CTX-003."""
    context = build_output_context(
        asset_key="a", partition_key="x", asset_partition_key_range=PartitionKeyRange("p", "p")
    )
    assert context.asset_partition_key == "p"
    assert context.partition_key == "x"


def test_range_without_definition() -> None:
    context = build_output_context(
        asset_key="a", asset_partition_key_range=PartitionKeyRange("a", "c")
    )
    assert context.has_asset_partitions
    key_range = context.asset_partition_key_range
    assert (key_range.start, key_range.end) == ("a", "c")
    for accessor in ("asset_partition_key", "asset_partition_keys", "asset_partitions_time_window"):
        with pytest.raises(MissingPartitionsDefinitionError, match="asset_partitions_def"):
            getattr(context, accessor)
    with pytest.raises(NotImplementedError):  # Dagster raises NotImplementedError here
        context.get_asset_identifier()
    one = build_output_context(asset_key="a", asset_partition_key_range=PartitionKeyRange("k", "k"))
    assert list(one.asset_partition_keys) == ["k"]
    assert one.get_asset_identifier() == ["a", "k"]


def test_empty_range_has_no_single_range() -> None:
    context = build_output_context(
        asset_key="a",
        asset_partition_key_range=PartitionKeyRange("c", "a"),
        asset_partitions_def=STATIC,
    )
    assert list(context.asset_partition_keys) == []
    with pytest.raises(PartitionCountError, match="0"):
        _ = context.asset_partition_key
    with pytest.raises(PartitionCountError, match=r"\(0\) key ranges"):
        _ = context.asset_partition_key_range


def test_time_window_needs_time_partitions() -> None:
    """IOM-PART-011/012."""
    daily = DailyPartitionsDefinition(start_date="2023-01-01", end_date="2023-02-01")
    context = build_output_context(
        asset_key="d",
        asset_partition_key_range=PartitionKeyRange("2023-01-02", "2023-01-04"),
        asset_partitions_def=daily,
    )
    window = context.asset_partitions_time_window
    assert (window.start.day, window.end.day) == (2, 5)
    static = build_output_context(asset_key="s", partition_key="a", asset_partitions_def=STATIC)
    with pytest.raises(NotTimePartitionedError):
        _ = static.asset_partitions_time_window


def test_deprecated_metadata_property_warns() -> None:
    """IOM-CTX-005."""
    context = build_output_context(definition_metadata={"k": 1})
    with pytest.warns(DeprecationWarning, match="definition_metadata"):
        assert context.metadata == {"k": 1}


# ---------------------------------------------------------------- metadata and events
def test_add_output_metadata_records_normalized_values() -> None:
    context = build_output_context()
    context.add_output_metadata({"rows": 3, "path": pathlib.PurePosixPath("/x")})
    context.add_output_metadata({"Rows": "case-sensitive"})
    logged = context.get_logged_metadata()
    assert list(logged) == ["rows", "path", "Rows"]
    assert logged["rows"] == IntMetadataValue(3)
    assert logged["Rows"] == TextMetadataValue("case-sensitive")
    assert dict(context.output_metadata) == {}  # add_output_metadata leaves it alone


def test_add_output_metadata_rejects_duplicates_all_or_nothing() -> None:
    """IOM-META-003."""
    context = build_output_context()
    context.add_output_metadata({"a": 1})
    with pytest.raises(DuplicateMetadataKeyError, match="'a'"):
        context.add_output_metadata({"b": 2, "a": 3})
    assert dict(context.get_logged_metadata()) == {"a": MetadataValue.int(1)}


def test_add_output_metadata_rejects_bad_values_all_or_nothing() -> None:
    """IOM-META-002."""
    context = build_output_context()
    with pytest.raises(InvalidMetadataError, match="'bad'"):
        context.add_output_metadata({"ok": 1, "bad": (1, 2)})
    assert dict(context.get_logged_metadata()) == {}
    with pytest.raises(InvalidMetadataError, match="mapping"):
        context.add_output_metadata([("a", 1)])  # type: ignore[arg-type]


def test_consume_logged_metadata_allows_keys_again() -> None:
    context = build_output_context()
    context.add_output_metadata({"path": "/a"})
    assert dict(context.consume_logged_metadata()) == {"path": MetadataValue.text("/a")}
    assert dict(context.get_logged_metadata()) == {}
    context.add_output_metadata({"path": "/b"})
    assert context.get_logged_metadata()["path"].value == "/b"


def test_log_event_accepts_asset_events_of_this_asset() -> None:
    """IOM-META-004/005/009."""
    context = build_output_context(asset_key=["a", "b"])
    first = AssetMaterialization(["a", "b"], metadata={"x": 1})
    second = AssetObservation(AssetKey(["a", "b"]))
    context.log_event(first)
    context.log_event(second)
    assert list(context.get_logged_events()) == [first, second]
    assert list(context.consume_events()) == [first, second]
    assert list(context.consume_events()) == []
    assert list(context.get_logged_events()) == [first, second]


def test_log_event_rejects_other_objects_and_other_assets() -> None:
    context = build_output_context(asset_key="mine")
    with pytest.raises(InvalidEventError, match="AssetMaterialization or AssetObservation"):
        context.log_event({"not": "an event"})  # type: ignore[arg-type]
    with pytest.raises(InvalidEventError, match="'other'"):
        context.log_event(AssetMaterialization("other"))
    assert list(context.get_logged_events()) == []


def test_op_output_logs_events_of_any_asset() -> None:
    context = build_output_context(step_key="s", name="n")
    context.log_event(AssetMaterialization(["job", "s", "n"]))
    assert len(context.get_logged_events()) == 1


@pytest.mark.parametrize(
    ("start", "end", "single"),
    [("red|s", "green|s", True), ("red|s", "red|m", True), ("red|s", "green|l", False)],
)
def test_multi_rectangle_is_one_range_when_a_dimension_has_one_key(
    start: str, end: str, single: bool
) -> None:
    """Observed on Dagster 1.13: a rectangle is one key range iff some dimension is one key wide
    (even when its keys are not adjacent in get_partition_keys() order)."""
    definition = MultiPartitionsDefinition(
        {
            "size": StaticPartitionsDefinition(["s", "m", "l"]),
            "color": StaticPartitionsDefinition(["red", "green", "blue"]),
        }
    )
    context = build_output_context(
        asset_key="m",
        asset_partition_key_range=PartitionKeyRange(start, end),
        asset_partitions_def=definition,
    )
    if single:
        key_range = context.asset_partition_key_range
        assert (key_range.start, key_range.end) == (start, end)
    else:
        with pytest.raises(PartitionCountError, match="key ranges"):
            _ = context.asset_partition_key_range
