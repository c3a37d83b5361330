"""Unit tests of InputContext members and errors (IOM-CTX-*, IOM-ID-005)."""

from __future__ import annotations

import logging

import pytest

from reference_impl.asset_key import AssetKey
from reference_impl.context import build_input_context, build_output_context
from reference_impl.errors import (
    ContextValueUnavailableError,
    InvalidContextArgumentError,
    InvalidMetadataError,
    NotPartitionedError,
    PartitionCountError,
)
from reference_impl.metadata import MetadataValue
from reference_impl.partitions import PartitionKeyRange, StaticPartitionsDefinition
from spec.contexts import InputContextLike

STATIC = StaticPartitionsDefinition(["a", "b", "c"])


def test_bare_context_defaults() -> None:
    context = build_input_context()
    assert isinstance(context, InputContextLike)
    assert not context.has_input_name
    assert context.upstream_output is None
    assert context.config is None
    assert dict(context.definition_metadata) == {}
    assert context.resource_config == {}
    assert isinstance(context.log, logging.Logger)
    assert not context.has_asset_key and not context.has_asset_partitions


@pytest.mark.parametrize(
    "accessor", ["name", "op_def", "dagster_type", "step_context", "instance", "asset_key"]
)
def test_missing_values_raise(accessor: str) -> None:
    """IOM-CTX-001."""
    with pytest.raises(ContextValueUnavailableError, match=accessor) as caught:
        getattr(build_input_context(), accessor)
    assert "build_input_context" in str(caught.value)


def test_has_input_name() -> None:
    assert build_input_context(name="x").has_input_name
    assert build_input_context(name="x").name == "x"


def test_identifier_delegates_to_upstream_output() -> None:
    """IOM-ID-005."""
    upstream = build_output_context(step_key="s", name="result", run_id="r9", mapping_key="mk")
    context = build_input_context(upstream_output=upstream)
    assert context.upstream_output is upstream
    assert context.get_identifier() == ["r9", "s", "result", "mk"]
    with pytest.raises(ContextValueUnavailableError, match="upstream_output"):
        build_input_context().get_identifier()
    with pytest.raises(ContextValueUnavailableError, match="step_key"):
        build_input_context(upstream_output=build_output_context(name="n")).get_identifier()


def test_upstream_output_must_be_an_output_context() -> None:
    with pytest.raises(InvalidContextArgumentError, match="upstream_output"):
        build_input_context(upstream_output="nope")  # type: ignore[arg-type]


def test_asset_partitions_def_without_asset_key_reports_the_asset_key() -> None:
    with pytest.raises(ContextValueUnavailableError, match="asset_key"):
        _ = build_input_context().asset_partitions_def
    with pytest.raises(NotPartitionedError, match="not partitioned"):
        _ = build_input_context(asset_key="a").asset_partitions_def


def test_upstream_partitions_def_and_range() -> None:
    context = build_input_context(
        asset_key="up",
        asset_partition_key_range=PartitionKeyRange("a", "c"),
        asset_partitions_def=STATIC,
    )
    assert context.asset_partitions_def is STATIC
    assert list(context.asset_partition_keys) == ["a", "b", "c"]
    with pytest.raises(PartitionCountError, match="input partitions"):
        _ = context.asset_partition_key


def test_range_without_asset_key_still_partitions() -> None:
    context = build_input_context(asset_partition_key_range=PartitionKeyRange("k", "k"))
    assert context.has_asset_partitions
    assert context.asset_partition_key == "k"
    with pytest.raises(ContextValueUnavailableError, match="asset_key"):
        context.get_asset_identifier()


def test_add_input_metadata_records_observation_and_allows_repeats() -> None:
    context = build_input_context(asset_key=["a"], partition_key="b", asset_partitions_def=STATIC)
    context.add_input_metadata({"rows": 1}, description="loaded")
    context.add_input_metadata({"rows": 2})
    assert context.get_logged_metadata()["rows"] == MetadataValue.int(2)
    observations = context.get_observations()
    assert [o.asset_key for o in observations] == [AssetKey("a"), AssetKey("a")]
    assert [o.partition for o in observations] == ["b", "b"]
    assert observations[0].description == "loaded"
    assert dict(context.consume_logged_metadata()) == {"rows": MetadataValue.int(2)}
    assert dict(context.get_logged_metadata()) == {}


def test_add_input_metadata_rejects_bad_values() -> None:
    context = build_input_context()
    with pytest.raises(InvalidMetadataError):
        context.add_input_metadata({"bad": {1, 2}})
    assert dict(context.get_logged_metadata()) == {}


def test_deprecated_metadata_property_warns() -> None:
    context = build_input_context(definition_metadata={"allow_missing_partitions": True})
    with pytest.warns(DeprecationWarning):
        assert context.metadata == {"allow_missing_partitions": True}
