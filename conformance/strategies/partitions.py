"""Strategies for partitions: definitions (as :class:`PartitionsSpec`), keys, ranges, windows.

Keys are drawn by index into the definition's lazy key sequence, so a ten-year hourly definition
costs no more than a three-key static one.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from conformance.contexts import TIME_KINDS, PartitionsSpec

__all__ = [
    "TIMEZONES",
    "key_count",
    "key_window",
    "multi_partitions_specs",
    "partition_index_ranges",
    "partition_key_ranges",
    "partition_keys",
    "partitions_definitions",
    "partitions_specs",
    "static_partitions_specs",
    "time_partitions_specs",
    "time_windows",
]

STATIC_KEY_POOL: tuple[str, ...] = ("p1", "p2", "p3", "P1", "a_b", "a", "b", "a/b", ".", "..", "é")
TIMEZONES: tuple[str, ...] = (
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
)
_START_DATES: tuple[datetime.date, ...] = (
    datetime.date(2021, 3, 13),  # US DST starts on the 14th
    datetime.date(2021, 10, 30),  # EU DST ends on the 31st
    datetime.date(2020, 2, 28),  # leap day
    datetime.date(2023, 1, 1),
)
_SPAN_DAYS: dict[str, tuple[int, int]] = {
    "hourly": (1, 3),
    "daily": (2, 40),
    "weekly": (15, 120),
    "monthly": (62, 400),
}
_HUGE_SPAN_DAYS: dict[str, int] = {"hourly": 800, "daily": 3650, "weekly": 3650, "monthly": 3650}


def static_partitions_specs(*, exotic: bool = True) -> st.SearchStrategy[PartitionsSpec]:
    """Static definitions of 1-5 distinct keys from a small pool (path-like ones if ``exotic``)."""
    pool = STATIC_KEY_POOL if exotic else STATIC_KEY_POOL[:7]
    keys = st.lists(st.sampled_from(pool), min_size=1, max_size=5, unique=True)
    return keys.map(lambda ks: PartitionsSpec("static", keys=tuple(ks)))


@st.composite
def time_partitions_specs(
    draw: st.DrawFn, kinds: Sequence[str] = TIME_KINDS, *, huge: bool = True
) -> PartitionsSpec:
    """Hourly/daily/weekly/monthly definitions with a fixed end, across DST and timezones."""
    kind = draw(st.sampled_from(list(kinds)))
    start = draw(st.sampled_from(_START_DATES))
    low, high = _SPAN_DAYS[kind]
    span = draw(st.integers(low, high) | (st.just(_HUGE_SPAN_DAYS[kind]) if huge else st.nothing()))
    end = start + datetime.timedelta(days=span)
    fmt = "%Y-%m-%d-%H:%M" if kind == "hourly" else "%Y-%m-%d"
    return PartitionsSpec(
        kind,
        start=start.strftime(fmt),
        end=end.strftime(fmt),
        timezone=draw(st.sampled_from(TIMEZONES)),
    )


@st.composite
def multi_partitions_specs(draw: st.DrawFn) -> PartitionsSpec:
    """Two-dimension definitions: static x static, or static x one time dimension."""
    names = draw(
        st.lists(
            st.sampled_from(["abc", "color", "date", "z"]), min_size=2, max_size=2, unique=True
        )
    )
    first = draw(static_partitions_specs(exotic=False))
    second = draw(static_partitions_specs(exotic=False) | time_partitions_specs(huge=False))
    return PartitionsSpec(
        "multi", dimensions=tuple(sorted(zip(names, (first, second), strict=True)))
    )


def partitions_specs(
    *, static: bool = True, time: bool = True, multi: bool = True
) -> st.SearchStrategy[PartitionsSpec]:
    """Partitions definitions of the chosen families, as buildable descriptions."""
    options: list[st.SearchStrategy[PartitionsSpec]] = []
    if static:
        options.append(static_partitions_specs())
    if time:
        options.append(time_partitions_specs())
    if multi:
        options.append(multi_partitions_specs())
    return st.one_of(options).filter(_buildable)


def partitions_definitions(**families: bool) -> st.SearchStrategy[Any]:
    """Reference partitions definitions (see :func:`partitions_specs` for ``families``)."""
    return partitions_specs(**families).map(lambda spec: spec.build())


def _buildable(spec: PartitionsSpec) -> bool:
    try:
        return key_count(spec) > 0
    except (ValueError, TypeError, LookupError):
        return False


@lru_cache(maxsize=256)
def key_count(spec: PartitionsSpec) -> int:
    """How many keys ``spec``'s definition has (cached: a lazy ``len`` may still cost time)."""
    return len(spec.build().get_partition_keys())


def _keys(spec: PartitionsSpec) -> Sequence[str]:
    keys: Sequence[str] = spec.build().get_partition_keys()
    return keys


def partition_keys(spec: PartitionsSpec) -> st.SearchStrategy[str]:
    """A key of ``spec``'s definition, by index into its lazy key sequence."""
    keys = _keys(spec)
    return st.integers(0, key_count(spec) - 1).map(lambda i: keys[i])


def key_window(spec: PartitionsSpec, size: int = 4) -> st.SearchStrategy[tuple[str, ...]]:
    """Up to ``size`` consecutive keys of ``spec`` (a small working set, so keys repeat)."""
    keys = _keys(spec)

    count = key_count(spec)

    def window(start: int) -> tuple[str, ...]:
        return tuple(keys[i] for i in range(start, min(start + size, count)))

    return st.integers(0, count - 1).map(window)


@st.composite
def partition_index_ranges(
    draw: st.DrawFn, spec: PartitionsSpec, *, max_width: int = 4, reversed_ok: bool = False
) -> tuple[int, int]:
    """Indices ``(first, last)`` into ``spec``'s keys; reversed only when ``reversed_ok``."""
    count = key_count(spec)
    first = draw(st.integers(0, count - 1))
    last = draw(st.integers(first, min(first + max_width - 1, count - 1)))
    if reversed_ok and last > first and draw(st.booleans()):
        first, last = last, first
    return first, last


def partition_key_ranges(
    spec: PartitionsSpec, *, max_width: int = 4, reversed_ok: bool = False
) -> st.SearchStrategy[tuple[str, str]]:
    """An inclusive ``(start, end)`` range of existing keys; reversed only when ``reversed_ok``."""
    keys = _keys(spec)
    return partition_index_ranges(spec, max_width=max_width, reversed_ok=reversed_ok).map(
        lambda pair: (keys[pair[0]], keys[pair[1]])
    )


def time_windows() -> st.SearchStrategy[tuple[datetime.datetime, datetime.datetime]]:
    """Half-open ``(start, end)`` windows of aware datetimes, ``start <= end``."""
    moments = st.datetimes(
        min_value=datetime.datetime(2000, 1, 1),
        max_value=datetime.datetime(2040, 1, 1),
        timezones=st.just(datetime.UTC),
    )
    return st.tuples(moments, moments).map(lambda pair: (min(pair), max(pair)))
