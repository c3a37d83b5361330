"""Tests of ``StaticPartitionsDefinition``: order, validation, ranges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference_impl.errors import InvalidPartitionKeyError, InvalidPartitionsDefinitionError
from reference_impl.partitions import PartitionKeyRange, StaticPartitionsDefinition
from spec.values import PartitionsDefinitionLike

unique_keys = st.lists(st.text(alphabet="abc/ |.", max_size=4).filter(lambda k: "..." not in k),
                       min_size=1, max_size=8,
                       unique=True)


def test_keys_keep_the_given_order() -> None:
    definition = StaticPartitionsDefinition(["b", "a", "c"])
    assert list(definition.get_partition_keys()) == ["b", "a", "c"]
    assert isinstance(definition, PartitionsDefinitionLike)


def test_odd_but_allowed_keys() -> None:
    keys = ["", "|", "/", "..", "a b"]
    assert list(StaticPartitionsDefinition(keys).get_partition_keys()) == keys


@pytest.mark.parametrize("bad", ["a...b", "a\nb", "t\tb", "n\0"])
def test_forbidden_substrings_raise(bad: str) -> None:
    with pytest.raises(InvalidPartitionsDefinitionError, match="invalid substrings"):
        StaticPartitionsDefinition(["ok", bad])


def test_duplicates_raise() -> None:
    with pytest.raises(InvalidPartitionsDefinitionError, match=r"unique.*'a'"):
        StaticPartitionsDefinition(["a", "b", "a"])


def test_non_str_keys_raise() -> None:
    with pytest.raises(InvalidPartitionsDefinitionError, match="must be str"):
        StaticPartitionsDefinition(["a", 1])  # type: ignore[list-item]


def test_range_endpoints_must_exist() -> None:
    definition = StaticPartitionsDefinition(["a", "b"])
    with pytest.raises(InvalidPartitionKeyError, match="'zz'"):
        definition.get_partition_keys_in_range(PartitionKeyRange("a", "zz"))


def test_has_partition_key_never_raises() -> None:
    definition = StaticPartitionsDefinition(["a"])
    assert definition.has_partition_key("a")
    assert not definition.has_partition_key("b")
    assert not definition.has_partition_key(None)  # type: ignore[arg-type]


def test_equality_by_keys() -> None:
    assert StaticPartitionsDefinition(["a", "b"]) == StaticPartitionsDefinition(["a", "b"])
    assert StaticPartitionsDefinition(["a", "b"]) != StaticPartitionsDefinition(["b", "a"])


@given(keys=unique_keys, data=st.data())
def test_ranges_are_inclusive_in_definition_order(keys: list[str], data: st.DataObject) -> None:
    """IOM-PART-001: range(keys[i], keys[j]) == keys[i:j+1]; reversed (i > j) is empty."""
    i = data.draw(st.integers(0, len(keys) - 1))
    j = data.draw(st.integers(0, len(keys) - 1))
    definition = StaticPartitionsDefinition(keys)
    expected = keys[i : j + 1] if i <= j else []
    assert list(definition.get_partition_keys_in_range(PartitionKeyRange(keys[i], keys[j]))) == (
        expected
    )
