"""The lazy key sequences behave exactly like the eager list of the same keys."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_impl.partitions as P
from tests.reference_impl.partitions.strategies_partitions import TimeDefArgs, time_def_args


@given(args=time_def_args(), data=st.data())
def test_lazy_sequence_equals_the_eager_list(args: TimeDefArgs, data: st.DataObject) -> None:
    """The lazy keys equal their list: len, indexing (negative too), slicing with steps,
    ``in``, ``index``, ``count`` and reversal agree with the materialized list."""
    lazy = args.build(P).get_partition_keys()
    eager = list(lazy)
    assert lazy == eager and eager == lazy
    assert len(lazy) == len(eager)
    assert list(reversed(lazy)) == eager[::-1]
    if not eager:
        return
    position = data.draw(st.integers(-len(eager), len(eager) - 1))
    assert lazy[position] == eager[position]
    start, stop = data.draw(st.integers(-3, len(eager) + 3)), data.draw(st.integers(-3, 400))
    step = data.draw(st.sampled_from([None, 1, 2, 3, -1]))
    assert list(lazy[start:stop:step]) == eager[start:stop:step]
    key = eager[position]
    assert key in lazy and lazy.index(key) == eager.index(key) and lazy.count(key) == 1
    assert "not-a-key" not in lazy and lazy.count("not-a-key") == 0


def test_index_errors_match_list_semantics() -> None:
    lazy = P.DailyPartitionsDefinition("2023-01-01", end_date="2023-01-04").get_partition_keys()
    with pytest.raises(IndexError):
        lazy[3]
    with pytest.raises(ValueError, match="not in"):
        lazy.index("2024-01-01")
    with pytest.raises(ValueError, match="not in"):
        lazy.index("2023-01-01", 1)
    assert lazy != ["2023-01-01"] and lazy != "2023-01-01"


def test_ten_years_of_hourly_keys_and_a_50k_range_are_cheap() -> None:
    """Performance contract: enumerating the sequence object and resolving a 50,000-key range
    do not build keys (generous bounds: this is a smoke test, benchmarks measure ratios)."""
    definition = P.HourlyPartitionsDefinition("2015-01-01-00:00", end_date="2025-01-01-00:00")
    began = time.perf_counter()
    keys = definition.get_partition_keys()
    key_range = definition.get_partition_keys_in_range(P.PartitionKeyRange(keys[10], keys[50_009]))
    elapsed = time.perf_counter() - began
    assert len(keys) == 87_672 and len(key_range) == 50_000
    assert key_range[-1] == keys[50_009]
    assert elapsed < 0.05


def test_product_sequence_matches_nested_loops() -> None:
    multi = P.MultiPartitionsDefinition(
        {"b": P.StaticPartitionsDefinition(["x", "y"]),
         "a": P.DailyPartitionsDefinition("2023-01-01", end_date="2023-01-04")}
    )
    keys = multi.get_partition_keys()
    expected = [f"{day}|{letter}" for day in ("2023-01-01", "2023-01-02", "2023-01-03")
                for letter in ("x", "y")]
    assert keys == expected
    assert list(keys[1:5:2]) == expected[1:5:2]
    assert keys.index("2023-01-02|y") == 3 and "2023-01-02|z" not in keys
