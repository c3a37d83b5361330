"""Hypothesis properties of the reference contexts for the CTX, ID, PART and META requirements."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference_impl.asset_key import AssetKey
from reference_impl.context import build_input_context, build_output_context
from reference_impl.context.output import OutputContext
from reference_impl.errors import (
    DuplicateMetadataKeyError,
    InvalidEventError,
    InvalidMetadataError,
    IOManagerSpecError,
)
from reference_impl.events import AssetMaterialization, AssetObservation
from reference_impl.partitions import (
    MultiPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
)

names = st.text(min_size=1, max_size=6)
optional_texts = st.none() | st.text(max_size=4)
paths = st.lists(st.text(max_size=4), min_size=1, max_size=3)
partition_keys = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\a\b\f\n\r\t\v\0.|,[]"),
    min_size=1,
    max_size=5,
)
static_keys = st.lists(partition_keys, min_size=1, max_size=6, unique=True)


@given(run_id=st.text(max_size=4), step_key=names, name=names, mapping_key=optional_texts)
def test_unversioned_identifier(
    run_id: str, step_key: str, name: str, mapping_key: str | None
) -> None:
    """IOM-ID-001/002: [run_id, step_key, name] plus the mapping key when it is non-empty."""
    context = build_output_context(
        step_key=step_key, name=name, run_id=run_id, mapping_key=mapping_key
    )
    expected = [run_id, step_key, name] + ([mapping_key] if mapping_key else [])
    assert list(context.get_identifier()) == expected


@given(version=st.text(max_size=4), step_key=names, name=names, mapping_key=optional_texts)
def test_versioned_identifier(
    version: str, step_key: str, name: str, mapping_key: str | None
) -> None:
    """IOM-ID-003/004: a version (even "") gives ["versioned_outputs", version, step, name];
    with a non-empty mapping key it raises instead."""
    context = build_output_context(
        step_key=step_key, name=name, run_id="r", version=version, mapping_key=mapping_key
    )
    if mapping_key:
        with pytest.raises(IOManagerSpecError):
            context.get_identifier()
    else:
        assert list(context.get_identifier()) == ["versioned_outputs", version, step_key, name]


@given(run_id=st.text(max_size=4), step_key=names, name=names, mapping_key=optional_texts)
def test_input_identifier_delegates(
    run_id: str, step_key: str, name: str, mapping_key: str | None
) -> None:
    """IOM-ID-005: an input's identifier is its upstream output's identifier."""
    upstream = build_output_context(
        step_key=step_key, name=name, run_id=run_id, mapping_key=mapping_key
    )
    assert build_input_context(upstream_output=upstream).get_identifier() == (
        upstream.get_identifier()
    )


@given(path=paths, partition_key=st.none() | partition_keys)
def test_asset_identifier(path: list[str], partition_key: str | None) -> None:
    """IOM-ID-006/007, IOM-CTX-003: the key's path, plus the partition key when one is given."""
    for build in (build_output_context, build_input_context):
        context = build(asset_key=path, partition_key=partition_key)
        suffix = [partition_key] if partition_key else []
        assert list(context.get_asset_identifier()) == path + suffix
        assert context.has_asset_partitions == bool(partition_key)


@given(
    colors=static_keys,
    sizes=static_keys,
    data=st.data(),
)
def test_multi_partition_identifier(colors: list[str], sizes: list[str], data: Any) -> None:
    """IOM-ID-008: a multi-partition key is its per-dimension keys joined by "|" in
    dimension-name order, in the asset identifier too."""
    definition = MultiPartitionsDefinition(
        {"size": StaticPartitionsDefinition(sizes), "color": StaticPartitionsDefinition(colors)}
    )
    color, size = data.draw(st.sampled_from(colors)), data.draw(st.sampled_from(sizes))
    key = f"{color}|{size}"
    context = build_output_context(
        asset_key="m", partition_key=key, asset_partitions_def=definition
    )
    assert context.get_asset_identifier() == ["m", key]
    assert context.asset_partition_key.keys_by_dimension == {"color": color, "size": size}  # type: ignore[attr-defined]


@given(keys=static_keys, data=st.data())
def test_static_range_keys_are_the_inclusive_slice(keys: list[str], data: Any) -> None:
    """IOM-PART-001/002/CTX-004: a range's keys are the definition's keys from start to end
    inclusive (empty when reversed); one key is a one-key range; asset_partition_key needs one."""
    definition = StaticPartitionsDefinition(keys)
    start = data.draw(st.integers(0, len(keys) - 1))
    end = data.draw(st.integers(0, len(keys) - 1))
    context = build_input_context(
        asset_key="a",
        asset_partition_key_range=PartitionKeyRange(keys[start], keys[end]),
        asset_partitions_def=definition,
    )
    expected = keys[start : end + 1]
    assert list(context.asset_partition_keys) == expected
    if len(expected) == 1:
        assert context.asset_partition_key == expected[0]
        key_range = context.asset_partition_key_range
        assert (key_range.start, key_range.end) == (expected[0], expected[0])
    else:
        with pytest.raises(IOManagerSpecError):
            _ = context.asset_partition_key


def _raises(context: OutputContext, accessor: str) -> bool:
    try:
        getattr(context, accessor)
    except IOManagerSpecError:
        return True
    return False


@given(
    asset_key=st.none() | st.just("") | paths,
    partition_key=st.none() | st.just("") | partition_keys,
    key_range=st.none() | st.tuples(partition_keys, partition_keys),
)
def test_has_accessors_agree(
    asset_key: list[str] | str | None,
    partition_key: str | None,
    key_range: tuple[str, str] | None,
) -> None:
    """IOM-CTX-002: has_asset_key / has_partition_key / has_asset_partitions are true exactly
    when asset_key / partition_key / asset_partition_key_range do not raise."""
    context = build_output_context(
        asset_key=asset_key,
        partition_key=partition_key,
        asset_partition_key_range=PartitionKeyRange(*key_range) if key_range else None,
    )
    assert context.has_asset_key == (not _raises(context, "asset_key"))
    assert context.has_partition_key == (not _raises(context, "partition_key"))
    assert context.has_asset_partitions == (not _raises(context, "asset_partition_key_range"))


raw_values = st.one_of(
    st.integers(), st.text(max_size=3), st.booleans(), st.none(), st.tuples(st.integers())
)
batches = st.lists(
    st.dictionaries(st.sampled_from("abcde"), raw_values, max_size=3), min_size=1, max_size=5
)


@given(batches=batches)
def test_add_output_metadata_is_all_or_nothing(batches: list[dict[str, object]]) -> None:
    """IOM-META-001/002/003/009: a batch is recorded entirely, in order, or (duplicate key or a
    tuple value) rejected with nothing recorded; the record reads back as a model dict."""
    context = build_output_context()
    model: dict[str, object] = {}
    for batch in batches:
        duplicate = any(key in model for key in batch)
        invalid = any(isinstance(value, tuple) for value in batch.values())
        if duplicate or invalid:
            with pytest.raises((DuplicateMetadataKeyError, InvalidMetadataError)):
                context.add_output_metadata(batch)
        else:
            context.add_output_metadata(batch)
            model.update(batch)
        logged = context.get_logged_metadata()
        assert list(logged) == list(model)
        assert [value.value for value in logged.values()] == list(model.values())


@given(own=paths, events=st.lists(st.tuples(st.booleans(), paths), max_size=5))
def test_log_event_accepts_exactly_this_assets_events(
    own: list[str], events: list[tuple[bool, list[str]]]
) -> None:
    """IOM-META-004/005/009: events about the output's asset are recorded in order; events about
    another asset raise and are not recorded."""
    context = build_output_context(asset_key=own)
    accepted: list[AssetMaterialization | AssetObservation] = []
    for materialize, path in events:
        event = AssetMaterialization(path) if materialize else AssetObservation(path)
        if AssetKey(path) == AssetKey(own):
            context.log_event(event)
            accepted.append(event)
        else:
            with pytest.raises(InvalidEventError):
                context.log_event(event)
    assert list(context.get_logged_events()) == accepted


@given(
    metadata=st.dictionaries(st.text(max_size=3), st.lists(st.integers(), max_size=2), max_size=3)
)
def test_contexts_do_not_share_the_callers_mappings(metadata: dict[str, list[int]]) -> None:
    """IOM-CTX-008: mutating the dict (and its nested lists) after building changes nothing."""
    snapshot = {key: list(value) for key, value in metadata.items()}
    context = build_input_context(definition_metadata=metadata, resource_config=metadata)
    for value in metadata.values():
        value.append(-1)
    metadata["added"] = []
    assert dict(context.definition_metadata) == snapshot
    assert context.resource_config == snapshot
