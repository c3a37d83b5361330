"""Tests of reference_impl.events: AssetMaterialization and AssetObservation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference_impl.asset_key import AssetKey
from reference_impl.errors import InvalidAssetKeyError, InvalidEventError, InvalidMetadataError
from reference_impl.events import AssetMaterialization, AssetObservation
from reference_impl.metadata import MetadataValue
from spec.values import AssetMaterializationLike, AssetObservationLike

paths = st.lists(st.text(max_size=4), min_size=1, max_size=3)
metadata = st.dictionaries(
    st.text(max_size=3), st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=3
)


@pytest.mark.parametrize("event_type", [AssetMaterialization, AssetObservation])
@given(path=paths, raw=metadata, partition=st.none() | st.text(max_size=3))
def test_events_coerce_key_and_normalize_metadata(
    event_type: type[AssetMaterialization | AssetObservation],
    path: list[str],
    raw: dict[str, Any],
    partition: str | None,
) -> None:
    """An event's asset key equals AssetKey(path) however it was given, its metadata holds
    one metadata value per raw value wrapping it, and the caller's dict stays independent."""
    for given_key in (path, tuple(path), AssetKey(path)):
        event = event_type(given_key, metadata=raw, partition=partition)
        assert event.asset_key == AssetKey(path)
        assert event.partition == partition
        assert list(event.metadata) == list(raw)
        assert all(isinstance(value, MetadataValue) for value in event.metadata.values())
        assert [value.value for value in event.metadata.values()] == list(raw.values())
    raw["added later"] = 1
    assert "added later" not in event.metadata


def test_events_satisfy_the_spec_protocols() -> None:
    materialization = AssetMaterialization("a", description="d", tags={"t": "v"})
    observation = AssetObservation(["a", "b"])
    assert isinstance(materialization, AssetMaterializationLike)
    assert isinstance(observation, AssetObservationLike)
    assert materialization.description == "d"
    assert dict(materialization.tags) == {"t": "v"}
    assert observation.label == "a/b"
    assert dict(observation.metadata) == {} and observation.partition is None


def test_equality_is_by_kind_and_fields() -> None:
    assert AssetMaterialization("a", metadata={"x": 1}) == AssetMaterialization(
        ["a"], metadata={"x": MetadataValue.int(1)}
    )
    assert AssetMaterialization("a") != AssetObservation("a")
    assert AssetMaterialization("a") != AssetMaterialization("a", partition="p")
    assert hash(AssetMaterialization("a")) == hash(AssetMaterialization(AssetKey("a")))


def test_event_metadata_is_read_only() -> None:
    event = AssetMaterialization("a", metadata={"x": 1})
    with pytest.raises(TypeError):
        event.metadata["y"] = MetadataValue.int(2)  # type: ignore[index]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"asset_key": 3}, InvalidAssetKeyError),
        ({"asset_key": "a", "metadata": {"x": {1}}}, InvalidMetadataError),
        ({"asset_key": "a", "partition": 1}, InvalidEventError),
        ({"asset_key": "a", "description": 1}, InvalidEventError),
        ({"asset_key": "a", "tags": {"t": 1}}, InvalidEventError),
        ({"asset_key": "a", "tags": ["t"]}, InvalidEventError),
    ],
)
def test_bad_arguments_raise_typed_errors(
    arguments: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        AssetMaterialization(**arguments)
