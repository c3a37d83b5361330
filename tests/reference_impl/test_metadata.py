"""Tests of reference_impl.metadata: wrappers, constructors and normalization (IOM-META-001/002)."""

from __future__ import annotations

import datetime
import json
import math
import os
import pathlib
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference_impl.asset_key import AssetKey
from reference_impl.errors import InvalidMetadataError
from reference_impl.metadata import (
    BoolMetadataValue,
    DagsterAssetMetadataValue,
    FloatMetadataValue,
    IntMetadataValue,
    JsonMetadataValue,
    MarkdownMetadataValue,
    MetadataValue,
    NullMetadataValue,
    PathMetadataValue,
    TextMetadataValue,
    UrlMetadataValue,
    normalize_metadata,
    normalize_metadata_value,
)
from spec.values import MetadataValueLike

# ---------------------------------------------------------------- strategies
scalars = st.one_of(
    st.text(max_size=8),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
json_data = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
json_containers = st.one_of(
    st.lists(json_data, max_size=3), st.dictionaries(st.text(max_size=4), json_data, max_size=3)
)
paths = st.builds(pathlib.PurePosixPath, st.text(max_size=10))
asset_keys = st.builds(AssetKey, st.lists(st.text(max_size=4), min_size=1, max_size=3))
accepted_raw = st.one_of(scalars, json_containers, paths, asset_keys)
rejected_raw = st.one_of(
    st.tuples(st.integers()),
    st.sets(st.integers(), max_size=3),
    st.frozensets(st.integers(), max_size=3),
    st.binary(max_size=4),
    st.datetimes(),
    st.dates(),
    st.decimals(allow_nan=False),
    st.complex_numbers(allow_nan=False),
    st.builds(object),
)


def expected_wrapper(raw: object) -> type[MetadataValue]:
    """The wrapper class the IOM-META-001 table assigns to an accepted raw value."""
    if isinstance(raw, bool):
        return BoolMetadataValue
    table: dict[type, type[MetadataValue]] = {
        str: TextMetadataValue,
        int: IntMetadataValue,
        float: FloatMetadataValue,
        list: JsonMetadataValue,
        dict: JsonMetadataValue,
        type(None): NullMetadataValue,
    }
    if type(raw) in table:
        return table[type(raw)]
    if isinstance(raw, os.PathLike):
        return PathMetadataValue
    assert isinstance(raw, AssetKey)
    return DagsterAssetMetadataValue


def expected_value(raw: object) -> object:
    """What ``.value`` of the wrapper must be: the raw value, its fspath, or its JSON copy."""
    if isinstance(raw, (list, dict)):
        return json.loads(json.dumps(raw))
    if isinstance(raw, os.PathLike):
        return os.fspath(raw)
    return raw


# ---------------------------------------------------------------- properties
@given(raw=accepted_raw)
def test_accepted_values_are_wrapped_by_type(raw: object) -> None:
    """IOM-META-001: every accepted raw value becomes the wrapper of its type, wrapping it."""
    wrapped = normalize_metadata_value(raw)
    assert type(wrapped) is expected_wrapper(raw)
    assert wrapped.value == expected_value(raw)
    assert isinstance(wrapped, MetadataValueLike)


@given(raw=accepted_raw)
def test_normalization_is_idempotent(raw: object) -> None:
    """Normalizing a metadata value returns that very value (MetadataValue is kept)."""
    wrapped = normalize_metadata_value(raw)
    assert normalize_metadata_value(wrapped) is wrapped


@given(key=st.text(min_size=1, max_size=6), raw=rejected_raw)
def test_rejected_values_name_key_and_type(key: str, raw: object) -> None:
    """IOM-META-002: an unresolvable value raises InvalidMetadataError naming key and type."""
    with pytest.raises(InvalidMetadataError) as caught:
        normalize_metadata({key: raw})
    assert repr(key) in str(caught.value)
    assert type(raw).__qualname__ in str(caught.value)
    assert "MetadataValue" in str(caught.value)


@given(
    good=st.dictionaries(st.text(max_size=4), accepted_raw, max_size=4),
    bad_key=st.text(max_size=4),
    bad=rejected_raw,
)
def test_normalize_metadata_is_all_or_nothing(
    good: dict[str, object], bad_key: str, bad: object
) -> None:
    """IOM-META-002: one bad value fails the whole mapping, and the argument is not modified."""
    mixed = {**good, bad_key: bad}
    before = dict(mixed)
    with pytest.raises(InvalidMetadataError):
        normalize_metadata(mixed)
    assert mixed == before
    normalized = normalize_metadata(good)
    assert list(normalized) == list(good)
    assert all(isinstance(value, MetadataValue) for value in normalized.values())


# ---------------------------------------------------------------- unit tests
def test_bool_is_resolved_before_int() -> None:
    assert type(normalize_metadata_value(True)) is BoolMetadataValue
    assert type(normalize_metadata_value(1)) is IntMetadataValue


def test_static_constructors_build_the_matching_wrapper() -> None:
    key = AssetKey(["a", "b"])
    cases: list[tuple[MetadataValue, type[MetadataValue], Any]] = [
        (MetadataValue.text("t"), TextMetadataValue, "t"),
        (MetadataValue.int(3), IntMetadataValue, 3),
        (MetadataValue.float(1.5), FloatMetadataValue, 1.5),
        (MetadataValue.bool(False), BoolMetadataValue, False),
        (MetadataValue.null(), NullMetadataValue, None),
        (MetadataValue.json({"a": [1]}), JsonMetadataValue, {"a": [1]}),
        (MetadataValue.path(pathlib.PurePosixPath("/x/y")), PathMetadataValue, "/x/y"),
        (MetadataValue.url("https://e.org"), UrlMetadataValue, "https://e.org"),
        (MetadataValue.md("# h"), MarkdownMetadataValue, "# h"),
        (MetadataValue.asset(key), DagsterAssetMetadataValue, key),
    ]
    for wrapped, cls, value in cases:
        assert type(wrapped) is cls
        assert wrapped.value == value


def test_dagster_attribute_names() -> None:
    assert MetadataValue.text("t").text == "t"
    assert MetadataValue.url("u").url == "u"
    assert MetadataValue.path("p").fspath == "p"
    assert MetadataValue.md("m").md_str == "m"
    assert MetadataValue.json([1]).data == [1]
    assert MetadataValue.asset(AssetKey("a")).asset_key == AssetKey("a")


def test_equal_values_of_different_kinds_differ() -> None:
    """Deliberate deviation 11: Dagster's NamedTuple wrappers compare text and url equal."""
    text: MetadataValue = MetadataValue.text("a")
    url: MetadataValue = MetadataValue.url("a")
    assert text != url
    assert MetadataValue.text("a") == MetadataValue.text("a")


@pytest.mark.parametrize(
    ("build", "bad"),
    [
        (MetadataValue.text, 1),
        (MetadataValue.int, "1"),
        (MetadataValue.float, 1),
        (MetadataValue.bool, 1),
        (MetadataValue.json, "text"),
        (MetadataValue.path, 3),
        (MetadataValue.url, None),
        (MetadataValue.md, b"x"),
        (MetadataValue.asset, ["a"]),
    ],
)
def test_constructors_reject_wrong_types(build: Any, bad: object) -> None:
    with pytest.raises(InvalidMetadataError, match=type(bad).__name__):
        build(bad)


def test_wrappers_are_frozen() -> None:
    wrapped = MetadataValue.int(1)
    with pytest.raises(AttributeError):
        wrapped.value = 2  # type: ignore[misc]


def test_json_is_copied_and_normalized_through_json() -> None:
    data: dict[Any, Any] = {"a": [1, 2], 3: (4, 5)}
    wrapped = MetadataValue.json(data)
    data["a"].append(99)
    assert wrapped.value == {"a": [1, 2], "3": [4, 5]}


@pytest.mark.parametrize("raw", [[{1, 2}], {"a": b"x"}, [datetime.date(2020, 1, 1)]])
def test_json_rejects_non_serializable_content(raw: object) -> None:
    with pytest.raises(InvalidMetadataError, match="JSON serializable"):
        normalize_metadata_value(raw)


def test_float_keeps_nan() -> None:
    assert math.isnan(normalize_metadata_value(float("nan")).value)


@pytest.mark.parametrize("raw", [(1,), {1}, b"x", datetime.datetime(2020, 1, 1), Decimal(1)])
def test_normalize_value_without_key_names_the_type(raw: object) -> None:
    with pytest.raises(InvalidMetadataError, match=type(raw).__qualname__):
        normalize_metadata_value(raw)


def test_normalize_metadata_rejects_non_mappings_and_non_str_keys() -> None:
    with pytest.raises(InvalidMetadataError, match="mapping"):
        normalize_metadata([("a", 1)])  # type: ignore[arg-type]
    with pytest.raises(InvalidMetadataError, match="keys must be str"):
        normalize_metadata({1: "x"})  # type: ignore[dict-item]


# ---------------------------------------------------------------- Dagster differential
def _dagster_normalize(raw: object) -> tuple[str, object] | None:
    """(wrapper class name, value) from Dagster 1.13, or None when Dagster rejects ``raw``."""
    dg = pytest.importorskip("dagster")
    from dagster._core.definitions.metadata import normalize_metadata_value as dg_normalize

    if isinstance(raw, AssetKey):
        raw = dg.AssetKey(list(raw.path))
    try:
        wrapped = dg_normalize(raw)  # type: ignore[arg-type]  # any value, on purpose
    except dg.DagsterError:
        return None
    value = wrapped.value
    if isinstance(value, dg.AssetKey):
        value = AssetKey(list(value.path))
    return type(wrapped).__name__, value


@pytest.mark.dagster
@settings(max_examples=60)
@given(raw=st.one_of(accepted_raw, rejected_raw, st.lists(rejected_raw, max_size=2)))
def test_normalization_agrees_with_dagster(raw: object) -> None:
    """Dagster 1.13 and the reference accept the same raw values and wrap them alike.

    Law: for every raw value, either both reject it, or both return a wrapper of the same class
    name whose ``value`` is equal.
    """
    theirs = _dagster_normalize(raw)
    try:
        wrapped = normalize_metadata_value(raw)
    except InvalidMetadataError:
        assert theirs is None, f"Dagster accepts {raw!r} as {theirs}"
        return
    assert theirs is not None, f"Dagster rejects {raw!r}, the reference accepts it"
    assert (type(wrapped).__name__, wrapped.value) == theirs
