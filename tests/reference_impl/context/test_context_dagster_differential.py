"""Differential properties: the reference contexts against Dagster 1.13's.

Each law: for the same arguments, both contexts return equal values or both raise. Deliberate
differences are listed in docs/deviations/contexts.md and excluded here by construction.
Dagster's builders cost ~35 ms, so builder-based properties run at most 15 examples; identifier
properties use Dagster's raw constructor with prebuilt resources (dagster-semantics.md §10).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference_impl.context import build_input_context, build_output_context
from reference_impl.partitions import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MultiPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
)

dg = pytest.importorskip("dagster")
from dagster._core.definitions.scoped_resources_builder import (  # noqa: E402
    ScopedResourcesBuilder,
)
from dagster._core.execution.context.output import (  # noqa: E402
    OutputContext as DagsterOutputContext,
)

pytestmark = pytest.mark.dagster
FEW = settings(max_examples=15)
DAGSTER_RESOURCES = ScopedResourcesBuilder().build(None)

texts = st.text(alphabet="ab_-/.", max_size=3)
partition_keys = st.text(alphabet="abcxyz-_ :/", min_size=1, max_size=4)


def _ends(interval: Any) -> tuple[Any, Any]:
    """(start, end) of a partition key range or a time window."""
    return interval.start, interval.end


def outcome(compute: Callable[[], Any]) -> tuple[str, Any]:
    """("ok", value) or ("raised", None) — any exception counts as raising."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "ok", compute()
    except Exception:
        return "raised", None


@given(
    step_key=st.none() | texts,
    name=st.none() | texts,
    run_id=st.none() | texts,
    mapping_key=st.none() | texts.filter(bool),
    version=st.none() | texts,
)
def test_identifiers_agree(
    step_key: str | None,
    name: str | None,
    run_id: str | None,
    mapping_key: str | None,
    version: str | None,
) -> None:
    """IOM-ID-001..004: get_identifier agrees with Dagster for any run id, step key, name,
    non-empty mapping key and version ("" included), including when either raises.
    (An empty mapping key with a version is a documented deviation.)"""
    arguments: dict[str, Any] = {
        "step_key": step_key,
        "name": name,
        "run_id": run_id,
        "mapping_key": mapping_key,
        "version": version,
    }
    # Dagster's builder defaults run_id to this constant; its raw constructor does not.
    dagster_arguments = {**arguments, "run_id": "__EPHEMERAL_RUN_ID" if run_id is None else run_id}
    theirs = outcome(
        lambda: DagsterOutputContext(
            resources=DAGSTER_RESOURCES, **dagster_arguments
        ).get_identifier()
    )
    ours = outcome(lambda: build_output_context(**arguments).get_identifier())
    assert ours[0] == theirs[0]
    if ours[0] == "ok":
        assert list(ours[1]) == list(theirs[1])


@FEW
@given(path=st.lists(texts, min_size=1, max_size=3), partition_key=st.none() | partition_keys)
def test_asset_identifiers_agree(path: list[str], partition_key: str | None) -> None:
    """IOM-ID-006/007, IOM-CTX-003: asset identifier, has_asset_partitions and the single key
    agree with Dagster's builders, for outputs and inputs."""
    for ours_build, theirs_build in (
        (build_output_context, dg.build_output_context),
        (build_input_context, dg.build_input_context),
    ):
        ours = ours_build(asset_key=path, partition_key=partition_key)
        theirs = theirs_build(asset_key=path, partition_key=partition_key)
        assert ours.has_asset_partitions == theirs.has_asset_partitions
        assert list(ours.get_asset_identifier()) == list(theirs.get_asset_identifier())


@FEW
@given(
    colors=st.lists(st.sampled_from(["red", "blue", "green"]), min_size=1, unique=True),
    day=st.integers(1, 9),
    color_index=st.integers(0, 2),
)
def test_multi_partition_identifiers_agree(colors: list[str], day: int, color_index: int) -> None:
    """IOM-ID-008: a multi-partition key renders like Dagster's in the asset identifier."""
    color = colors[color_index % len(colors)]
    key = f"{color}|2023-01-0{day}"
    ours_def = MultiPartitionsDefinition(
        {
            "date": DailyPartitionsDefinition(start_date="2023-01-01", end_date="2023-01-10"),
            "color": StaticPartitionsDefinition(colors),
        }
    )
    theirs_def = dg.MultiPartitionsDefinition(
        {
            "date": dg.DailyPartitionsDefinition(start_date="2023-01-01", end_date="2023-01-10"),
            "color": dg.StaticPartitionsDefinition(colors),
        }
    )
    ours = build_output_context(asset_key="m", partition_key=key, asset_partitions_def=ours_def)
    theirs = dg.build_output_context(
        asset_key="m", partition_key=key, asset_partitions_def=theirs_def
    )
    assert list(ours.get_asset_identifier()) == list(theirs.get_asset_identifier())
    assert dict(ours.asset_partition_key.keys_by_dimension) == dict(  # type: ignore[attr-defined]
        theirs.asset_partition_key.keys_by_dimension
    )


@FEW
@given(
    keys=st.lists(partition_keys, min_size=1, max_size=6, unique=True),
    start=st.integers(0, 7),
    end=st.integers(0, 7),
)
def test_static_range_keys_agree(keys: list[str], start: int, end: int) -> None:
    """IOM-PART-001/003: the keys of a static range (as a set: Dagster's order is hash order,
    a documented deviation) and whether building raises agree with Dagster."""
    key_range = (
        keys[start] if start < len(keys) else "missing",
        keys[end] if end < len(keys) else "missing",
    )
    ours = outcome(
        lambda: (
            build_input_context(
                asset_key="a",
                asset_partition_key_range=PartitionKeyRange(*key_range),
                asset_partitions_def=StaticPartitionsDefinition(keys),
            ).asset_partition_keys
        )
    )
    theirs = outcome(
        lambda: (
            dg.build_input_context(
                asset_key="a",
                asset_partition_key_range=dg.PartitionKeyRange(*key_range),
                asset_partitions_def=dg.StaticPartitionsDefinition(keys),
            ).asset_partition_keys
        )
    )
    assert ours[0] == theirs[0]
    if ours[0] == "ok":
        assert sorted(ours[1]) == sorted(theirs[1])


@FEW
@given(hourly=st.booleans(), start=st.integers(0, 60), length=st.integers(-2, 60))
def test_time_ranges_and_windows_agree(hourly: bool, start: int, length: int) -> None:
    """IOM-PART-001/011/014: time-range keys (in order), the range and the time window agree
    with Dagster's, and both raise for a reversed range's window."""
    if hourly:
        ours_def: Any = HourlyPartitionsDefinition(start_date="2023-01-01-00:00")
        theirs_def: Any = dg.HourlyPartitionsDefinition(start_date="2023-01-01-00:00")
    else:
        ours_def = DailyPartitionsDefinition(start_date="2023-01-01", end_date="2023-06-01")
        theirs_def = dg.DailyPartitionsDefinition(start_date="2023-01-01", end_date="2023-06-01")
    all_keys = ours_def.get_partition_keys()
    key_range = (all_keys[start], all_keys[max(start + length, 0)])
    ours = build_output_context(
        asset_key="t",
        asset_partition_key_range=PartitionKeyRange(*key_range),
        asset_partitions_def=ours_def,
    )
    theirs = dg.build_output_context(
        asset_key="t",
        asset_partition_key_range=dg.PartitionKeyRange(*key_range),
        asset_partitions_def=theirs_def,
    )
    assert list(ours.asset_partition_keys) == list(theirs.asset_partition_keys)
    ours_window = outcome(lambda: _ends(ours.asset_partitions_time_window))
    theirs_window = outcome(lambda: _ends(theirs.asset_partitions_time_window))
    assert ours_window == theirs_window
    ours_range = outcome(lambda: _ends(ours.asset_partition_key_range))
    theirs_range = outcome(lambda: _ends(theirs.asset_partition_key_range))
    assert ours_range == theirs_range


@FEW
@given(
    first=st.sampled_from(["red", "green", "blue"]),
    last=st.sampled_from(["red", "green", "blue"]),
    start_day=st.integers(1, 4),
    end_day=st.integers(1, 4),
)
def test_multi_ranges_agree(first: str, last: str, start_day: int, end_day: int) -> None:
    """IOM-PART-013/011: multi-partition ranges are rectangles (same key set as Dagster), and
    the single range / time window exist (or raise) exactly when Dagster's do."""
    dims_ours = {
        "date": DailyPartitionsDefinition(start_date="2023-01-01", end_date="2023-01-06"),
        "color": StaticPartitionsDefinition(["red", "green", "blue"]),
    }
    dims_theirs = {
        "date": dg.DailyPartitionsDefinition(start_date="2023-01-01", end_date="2023-01-06"),
        "color": dg.StaticPartitionsDefinition(["red", "green", "blue"]),
    }
    key_range = (f"{first}|2023-01-0{start_day}", f"{last}|2023-01-0{end_day}")
    ours = build_output_context(
        asset_key="m",
        asset_partition_key_range=PartitionKeyRange(*key_range),
        asset_partitions_def=MultiPartitionsDefinition(dims_ours),
    )
    theirs = dg.build_output_context(
        asset_key="m",
        asset_partition_key_range=dg.PartitionKeyRange(*key_range),
        asset_partitions_def=dg.MultiPartitionsDefinition(dims_theirs),
    )
    assert sorted(ours.asset_partition_keys) == sorted(theirs.asset_partition_keys)
    for accessor in ("asset_partition_key_range", "asset_partitions_time_window"):
        ours_value = outcome(lambda a=accessor: _ends(getattr(ours, a)))  # type: ignore[misc]
        theirs_value = outcome(lambda a=accessor: _ends(getattr(theirs, a)))  # type: ignore[misc]
        assert ours_value == theirs_value, accessor


def test_unavailable_values_raise_in_both() -> None:
    """IOM-CTX-001: every accessor raises on bare contexts exactly when Dagster's raises."""
    accessors = [
        "step_key", "name", "run_id", "mapping_key", "config", "op_def", "dagster_type",
        "version", "asset_spec", "has_asset_key", "asset_key", "asset_partitions_def",
        "has_partition_key", "partition_key", "has_asset_partitions", "asset_partition_key",
        "asset_partition_key_range", "asset_partition_keys", "asset_partitions_time_window",
        "definition_metadata", "output_metadata",
    ]  # fmt: skip
    ours, theirs = build_output_context(), dg.build_output_context()
    for accessor in accessors:
        ours_outcome = outcome(lambda a=accessor: getattr(ours, a))  # type: ignore[misc]
        theirs_outcome = outcome(lambda a=accessor: getattr(theirs, a))  # type: ignore[misc]
        assert ours_outcome[0] == theirs_outcome[0], accessor
    ours_in, theirs_in = build_input_context(), dg.build_input_context()
    input_accessors = [
        "has_input_name", "name", "upstream_output", "config", "op_def", "dagster_type",
        "has_asset_key", "asset_key", "asset_partitions_def", "has_partition_key",
        "partition_key", "has_asset_partitions", "asset_partition_key",
        "asset_partition_key_range", "asset_partition_keys", "asset_partitions_time_window",
        "definition_metadata",
    ]  # fmt: skip
    for accessor in input_accessors:
        ours_outcome = outcome(lambda a=accessor: getattr(ours_in, a))  # type: ignore[misc]
        theirs_outcome = outcome(lambda a=accessor: getattr(theirs_in, a))  # type: ignore[misc]
        assert ours_outcome[0] == theirs_outcome[0], accessor
