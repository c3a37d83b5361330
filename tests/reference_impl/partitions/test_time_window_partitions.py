"""Tests of time-window partitions definitions: defaults, offsets, DST, ends, errors."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_impl.partitions as P
from reference_impl.errors import InvalidPartitionKeyError, InvalidPartitionsDefinitionError
from tests.reference_impl.partitions.strategies_partitions import TimeDefArgs, time_def_args

NEW_YORK = ZoneInfo("America/New_York")


def test_default_formats_and_first_tick_at_or_after_start() -> None:
    assert P.HourlyPartitionsDefinition("2023-01-01-05:30").get_partition_keys()[0] == (
        "2023-01-01-06:00"
    )
    assert P.WeeklyPartitionsDefinition("2023-02-01").get_partition_keys()[0] == "2023-02-05"
    assert P.MonthlyPartitionsDefinition("2022-12-15").get_partition_keys()[0] == "2023-01-01"


def test_end_is_exclusive() -> None:
    definition = P.DailyPartitionsDefinition("2023-01-01", end_date="2023-01-04")
    assert list(definition.get_partition_keys()) == ["2023-01-01", "2023-01-02", "2023-01-03"]


def test_first_window_kept_even_when_it_overruns_end() -> None:
    definition = P.HourlyPartitionsDefinition(
        "2023-03-10-00:00", end_date="2023-03-10-01:00", minute_offset=15
    )
    assert list(definition.get_partition_keys()) == ["2023-03-10-00:15"]


def test_without_end_the_last_window_ends_before_now_and_end_offset_moves_it() -> None:
    now = datetime(2023, 1, 5, 12, tzinfo=UTC)
    keys = {
        offset: list(
            P.DailyPartitionsDefinition("2023-01-01", end_offset=offset).get_partition_keys(now)
        )
        for offset in (-1, 0, 1)
    }
    assert keys[0][-1] == "2023-01-04"
    assert keys[1][-1] == "2023-01-05"
    assert keys[-1][-1] == "2023-01-03"


def test_hourly_dst_fall_back_appends_the_offset_to_the_repeated_hour() -> None:
    definition = P.HourlyPartitionsDefinition(
        "2023-11-05-00:00", end_date="2023-11-05-03:00", timezone="America/New_York"
    )
    keys = list(definition.get_partition_keys())
    assert keys == ["2023-11-05-00:00", "2023-11-05-01:00", "2023-11-05-01:00-0500",
                    "2023-11-05-02:00"]
    first, second = (definition.time_window_for_partition_key(key) for key in keys[1:3])
    assert first.end == second.start and first.end.fold == 1
    assert second.end - second.start == timedelta(hours=1)


def test_hourly_dst_spring_forward_skips_the_missing_hour() -> None:
    definition = P.HourlyPartitionsDefinition(
        "2023-03-12-00:00", end_date="2023-03-12-04:00", timezone="America/New_York"
    )
    assert list(definition.get_partition_keys()) == [
        "2023-03-12-00:00", "2023-03-12-01:00", "2023-03-12-03:00",
    ]


def test_daily_dst_days_are_23_and_25_hours() -> None:
    definition = P.DailyPartitionsDefinition(
        "2023-03-12", end_date="2023-11-06", timezone="America/New_York"
    )
    spring = definition.time_window_for_partition_key("2023-03-12")
    autumn = definition.time_window_for_partition_key("2023-11-05")
    assert spring.end.astimezone(UTC) - spring.start.astimezone(UTC) == timedelta(hours=23)
    assert autumn.end.astimezone(UTC) - autumn.start.astimezone(UTC) == timedelta(hours=25)


def test_daily_wall_time_in_a_dst_gap_moves_to_the_end_of_the_gap() -> None:
    definition = P.DailyPartitionsDefinition(
        "2023-03-11", end_date="2023-03-14", timezone="America/New_York", hour_offset=2,
        minute_offset=30,
    )
    start = definition.time_window_for_partition_key("2023-03-12").start
    assert start.astimezone(UTC) == datetime(2023, 3, 12, 7, tzinfo=UTC)  # 03:00 EDT


def test_monthly_day_31_skips_short_months() -> None:
    definition = P.MonthlyPartitionsDefinition("2023-01-01", end_date="2023-09-01", day_offset=31)
    assert list(definition.get_partition_keys()) == [
        "2023-01-31", "2023-03-31", "2023-05-31", "2023-07-31",
    ]


def test_time_window_for_a_malformed_key_raises() -> None:
    definition = P.DailyPartitionsDefinition("2023-01-01")
    with pytest.raises(InvalidPartitionKeyError, match="does not match format"):
        definition.time_window_for_partition_key("2023/01/01")
    assert not definition.has_partition_key("2023/01/01")
    assert not definition.has_partition_key("2023-1-2")  # parses, but is not the key's spelling


def test_time_window_of_a_well_formed_key_outside_the_range() -> None:
    definition = P.DailyPartitionsDefinition("2023-01-01", end_date="2023-01-03")
    window = definition.time_window_for_partition_key("2023-02-01")
    assert window.start == datetime(2023, 2, 1, tzinfo=UTC)
    assert not definition.has_partition_key("2023-02-01")


def test_range_errors_name_the_missing_keys() -> None:
    definition = P.DailyPartitionsDefinition("2023-01-01", end_date="2023-01-10")
    with pytest.raises(InvalidPartitionKeyError, match="'2023-01-15'"):
        definition.get_partition_keys_in_range(P.PartitionKeyRange("2023-01-02", "2023-01-15"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2023-01-01", "fmt": "%Y-%m-%d"}, "schedule_type and cron_schedule"),
        ({"start": "2023/01/01", "fmt": "%Y-%m-%d", "cron_schedule": "0 0 * * *"}, "start"),
        ({"start": "2023-01-01", "fmt": "%Y-%m-%d", "cron_schedule": "*/5 * * * *"},
         "Unsupported cron"),
        ({"start": "2023-01-01", "fmt": "%Y-%m-%d", "cron_schedule": "0 0 * 1 *"},
         "Unsupported cron"),
        ({"start": "2023-01", "fmt": "%Y-%m", "cron_schedule": "0 0 * * *"}, "finer format"),
        ({"start": "2023-01-01", "fmt": "%Y-%m-%d", "cron_schedule": "0 0 * * *",
          "timezone": "Mars/Base"}, "Unknown timezone"),
        ({"start": "2023-01-01", "fmt": "%Y-%m-%d", "schedule_type": P.ScheduleType.DAILY,
          "hour_offset": 24}, "hour_offset"),
    ],
)
def test_bad_definitions_raise(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidPartitionsDefinitionError, match=message):
        P.TimeWindowPartitionsDefinition(**kwargs)  # type: ignore[arg-type]


def test_cron_and_schedule_type_forms_agree() -> None:
    by_cron = P.TimeWindowPartitionsDefinition(
        "2023-01-01", "%Y-%m-%d", end="2023-03-01", cron_schedule="30 4 * * 3"
    )
    weekly = P.WeeklyPartitionsDefinition(
        "2023-01-01", end_date="2023-03-01", minute_offset=30, hour_offset=4, day_offset=3
    )
    assert by_cron == weekly
    assert list(by_cron.get_partition_keys()) == list(weekly.get_partition_keys())


def test_aware_and_naive_datetime_starts() -> None:
    naive = P.DailyPartitionsDefinition(datetime(2023, 1, 1, 5), end_date=datetime(2023, 1, 5))
    assert list(naive.get_partition_keys()) == ["2023-01-02", "2023-01-03", "2023-01-04"]
    aware = P.DailyPartitionsDefinition(datetime(2023, 1, 1, tzinfo=NEW_YORK),
                                        end_date="2023-01-03", timezone="America/New_York")
    assert list(aware.get_partition_keys()) == ["2023-01-01", "2023-01-02"]


@given(args=time_def_args())
def test_keys_are_formatted_window_starts_in_time_order(args: TimeDefArgs) -> None:
    """IOM-PART-014: each key is its window's start formatted with fmt in the definition's
    timezone (plus the UTC offset for a repeated DST hour); windows adjoin and increase."""
    definition = args.build(P)
    keys = list(definition.get_partition_keys())
    windows = [definition.time_window_for_partition_key(key) for key in keys]
    for key, window in zip(keys, windows, strict=True):
        assert key.startswith(window.start.strftime(definition.fmt))
        # compare in UTC: same-zone datetime comparison ignores ``fold``
        assert window.start.tzinfo is not None
        assert window.start.astimezone(UTC) < window.end.astimezone(UTC)
        assert definition.has_partition_key(key)
    for earlier, later in itertools.pairwise(windows):
        assert earlier.end.astimezone(UTC) == later.start.astimezone(UTC)


@given(args=time_def_args(), data=st.data())
def test_range_windows_adjoin(args: TimeDefArgs, data: st.DataObject) -> None:
    """IOM-PART-011: the window of a range runs from its first key's start to its last key's
    end, and equals the union of the adjoining windows of its keys."""
    definition = args.build(P)
    keys = definition.get_partition_keys()
    if not keys:
        return
    i = data.draw(st.integers(0, len(keys) - 1))
    j = data.draw(st.integers(i, len(keys) - 1))
    window = P.time_window_for_partition_key_range(
        definition, P.PartitionKeyRange(keys[i], keys[j])
    )
    first, last = (definition.time_window_for_partition_key(key) for key in (keys[i], keys[j]))
    assert window.start.astimezone(UTC) == first.start.astimezone(UTC)
    assert window.end.astimezone(UTC) == last.end.astimezone(UTC)
    total = sum(
        (definition.time_window_for_partition_key(key).end.astimezone(UTC)
         - definition.time_window_for_partition_key(key).start.astimezone(UTC)
         for key in keys[i : j + 1]),
        timedelta(0),
    )
    assert window.end.astimezone(UTC) - window.start.astimezone(UTC) == total
