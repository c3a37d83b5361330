"""Bulk key generation (iteration, reversal, slices) gives exactly the per-index keys."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import reference_impl.partitions as P
from reference_impl.partitions.cadence import DailyCadence, HourlyCadence
from reference_impl.partitions.keygen import KeyFormat, iter_keys

ZONES = ["UTC", "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe",
         "Etc/GMT+5", "Pacific/Apia"]
HOURLY_FORMATS = ["%Y-%m-%d-%H:%M", "%Y%m%d%H%M", "%Y-%m-%dT%H:%M:%S.%f", "%y/%j %H:%M%%",
                  "%d.%m.%Y %Hh%M", "%Y-%m-%d %I%p:%M", "%H:%M %Y-%m-%d", "%Y-%m-%d-%H:%M%z"]
DATE_FORMATS = ["%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%Y-%j", "%Y-%m-%d %H:%M", "%b %d %Y",
                "%Y-%m-%d%z"]
_ANCHORS = [datetime(2023, 3, 10), datetime(2023, 10, 27), datetime(2011, 12, 28),
            datetime(1999, 12, 30), datetime(2023, 1, 1), datetime(1884, 6, 1)]
_MAX_SPAN_HOURS = {"Hourly": 24 * 120, "Daily": 24 * 900, "Weekly": 24 * 2000,
                   "Monthly": 24 * 6000}


@st.composite
def definitions(draw: st.DrawFn) -> Any:
    """A time-window definition over up to a few thousand windows, often across DST."""
    kind = draw(st.sampled_from(["Hourly", "Daily", "Weekly", "Monthly"]))
    fmt = draw(st.sampled_from(HOURLY_FORMATS if kind == "Hourly" else DATE_FORMATS))
    start = draw(st.sampled_from(_ANCHORS)) + timedelta(minutes=draw(st.integers(-4000, 4000)))
    end = start + timedelta(hours=draw(st.integers(1, _MAX_SPAN_HOURS[kind])))
    kwargs: dict[str, Any] = {
        "start_date": start, "end_date": end, "fmt": fmt,
        "timezone": draw(st.sampled_from(ZONES)),
        "minute_offset": draw(st.sampled_from([0, 15, 30, 59])),
    }
    if kind != "Hourly":
        kwargs["hour_offset"] = draw(st.sampled_from([0, 1, 2, 3, 12, 23]))
    if kind == "Weekly":
        kwargs["day_offset"] = draw(st.integers(0, 6))
    if kind == "Monthly":
        kwargs["day_offset"] = draw(st.integers(1, 31))
    return getattr(P, f"{kind}PartitionsDefinition")(**kwargs)


@settings(max_examples=150, deadline=None)
@given(definition=definitions(), data=st.data())
def test_bulk_keys_equal_per_index_keys(definition: Any, data: st.DataObject) -> None:
    """Iteration, reversal and step-1/-1 slices (bulk paths) equal ``keys[i]`` one by one
    (the per-window strftime path), for every kind, zone, offset and format."""
    keys = definition.get_partition_keys()
    slow = [keys[position] for position in range(len(keys))]
    assert list(keys) == slow
    assert list(reversed(keys)) == slow[::-1]
    start = data.draw(st.integers(-len(slow) - 2, len(slow) + 2))
    stop = data.draw(st.integers(-len(slow) - 2, len(slow) + 2))
    assert list(keys[start:stop]) == slow[start:stop]
    assert list(keys[stop:start:-1]) == slow[stop:start:-1]
    if slow:
        first, last = sorted(data.draw(st.integers(0, len(slow) - 1)) for _ in range(2))
        in_range = definition.get_partition_keys_in_range(
            P.PartitionKeyRange(slow[first], slow[last])
        )
        assert list(in_range) == slow[first : last + 1]


def test_ten_years_of_new_york_hours_match_key_for_key() -> None:
    """Every DST transition of ten years: the bulk keys, including the offset-suffixed
    repeated hours, are the per-index keys."""
    definition = P.HourlyPartitionsDefinition(
        "2015-01-01-00:00", end_date="2025-01-01-00:00", timezone="America/New_York"
    )
    keys = definition.get_partition_keys()
    bulk = list(keys)
    assert bulk == [keys[position] for position in range(len(keys))]
    assert "2023-11-05-01:00-0500" in bulk and "2023-03-12-02:00" not in bulk


@given(
    hours=st.integers(-23, 23), minutes=st.sampled_from([0, 30, 45]),
    minute_offset=st.integers(0, 59), first=st.integers(-200_000, 200_000),
    count=st.integers(0, 100),
)
def test_fixed_offset_zones_use_exact_arithmetic(
    hours: int, minutes: int, minute_offset: int, first: int, count: int
) -> None:
    """``datetime.timezone`` offsets (not only UTC) give the keys of ``tick(i).strftime``."""
    zone = timezone(timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes))
    fmt = "%Y-%m-%d-%H:%M:%S"
    cadence = HourlyCadence(zone, minute_offset, datetime(2020, 1, 1, tzinfo=zone))
    expected = [cadence.tick(index).strftime(fmt) for index in range(first, first + count)]
    produced = [
        key
        for batch in iter_keys(cadence, KeyFormat.compile(fmt), fmt,
                               lambda index: cadence.tick(index).strftime(fmt),
                               first, first + count)
        for key in batch
    ]
    assert produced == expected
    daily = DailyCadence(zone, 5, minute_offset)
    start = 730_000 + first // 100
    expected = [daily.tick(index).strftime(fmt) for index in range(start, start + count)]
    produced = [
        key
        for batch in iter_keys(daily, KeyFormat.compile(fmt), fmt,
                               lambda index: daily.tick(index).strftime(fmt),
                               start, start + count)
        for key in batch
    ]
    assert produced == expected


def test_unusual_formats_fall_back() -> None:
    """Formats with locale, offset or interleaved fields are not compiled."""
    for fmt in ["%b %d %Y", "%Y-%m-%d%z", "%H:%M %Y-%m-%d", "%Y-%m-%d %I%p", "%Y-%m-%d %"]:
        assert KeyFormat.compile(fmt) is None, fmt
    for fmt in ["%Y-%m-%d-%H:%M", "%Y%m%d", "%y/%j %H:%M%%", "%Y-%m-%dT%H:%M:%S.%f"]:
        assert KeyFormat.compile(fmt) is not None, fmt


def _assert_bulk_matches(definition: Any) -> None:
    keys = definition.get_partition_keys()
    slow = [keys[position] for position in range(len(keys))]
    assert list(keys) == slow
    assert list(reversed(keys)) == slow[::-1]


def test_every_dst_transition_of_a_year_matches_per_index_keys() -> None:
    """Deterministic sweep over whole years of skipped and repeated wall times (1-hour,
    30-minute and whole-day shifts): hourly keys, and daily/weekly/monthly keys whose wall
    time falls in a gap or a repeated hour."""
    for zone in ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Apia"]:
        _assert_bulk_matches(P.HourlyPartitionsDefinition(
            "2011-01-01-00:00", end_date="2012-01-01-00:00", timezone=zone, minute_offset=30
        ))
        _assert_bulk_matches(P.HourlyPartitionsDefinition(
            "2023-01-01-00:00", end_date="2024-01-01-00:00", timezone=zone
        ))
        for hour in range(4):
            for minute in (0, 30):
                _assert_bulk_matches(P.DailyPartitionsDefinition(
                    datetime(2011, 1, 1), end_date=datetime(2024, 1, 1), timezone=zone,
                    hour_offset=hour,
                    minute_offset=minute, fmt="%Y-%m-%d %H:%M",
                ))
        _assert_bulk_matches(P.WeeklyPartitionsDefinition(
            "2000-01-01", end_date="2024-01-01", timezone=zone, hour_offset=1, day_offset=0
        ))
        _assert_bulk_matches(P.MonthlyPartitionsDefinition(
            "1990-01-01", end_date="2024-01-01", timezone=zone, hour_offset=2, day_offset=31
        ))
