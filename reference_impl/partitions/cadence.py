"""Tick arithmetic of fixed-cadence schedules (hourly, daily, weekly, monthly) in a timezone.

A cadence numbers its ticks with integers (hours since the epoch, day ordinals, week numbers,
ranks of valid months) so that the ``n``-th tick and the index of the first tick at or after an
instant are computed in O(1) (O(log n) for months with day 29-31), never by iterating.
Wall-clock cadences follow Dagster's DST rules: a wall time skipped by a DST gap resolves to the
end of the gap, an ambiguous one to its later occurrence; hourly ticks are every real hour.
"""

from __future__ import annotations

import calendar
from abc import ABC, abstractmethod
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Final

__all__ = [
    "Cadence",
    "DailyCadence",
    "HourlyCadence",
    "MonthlyCadence",
    "WallClockCadence",
    "WeeklyCadence",
    "resolve_wall_time",
]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_HOUR: Final = 3600


def _utc(instant: datetime) -> datetime:
    """``instant`` in UTC: aware datetimes sharing a tzinfo compare by wall time, ignoring
    ``fold``, so every comparison of instants goes through UTC."""
    return instant.astimezone(UTC)


def _gap_end(wall: datetime, zone: tzinfo) -> datetime:
    """The first instant after the DST gap that swallows the wall time ``wall``."""
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)  # before the transition
    high = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)  # after the transition
    before_offset = low.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before_offset:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0).astimezone(zone)


def resolve_wall_time(wall: datetime, zone: tzinfo) -> datetime:
    """The aware datetime of the naive wall time ``wall`` in ``zone``, Dagster-style.

    Normal times map directly; an ambiguous time (DST fall-back) maps to its later occurrence;
    a nonexistent time (DST gap) maps to the end of the gap.
    """
    early = wall.replace(tzinfo=zone, fold=0)
    late = wall.replace(tzinfo=zone, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    round_trip = early.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) == wall:
        return late
    return _gap_end(wall, zone)


class Cadence(ABC):
    """The ticks of one schedule in one timezone, numbered by consecutive integers."""

    zone: tzinfo

    @abstractmethod
    def tick(self, index: int) -> datetime:
        """The aware datetime of tick ``index``; ticks increase strictly with the index."""

    @abstractmethod
    def index_at_or_after(self, instant: datetime) -> int:
        """The smallest tick index whose tick is at or after the aware ``instant``."""

    def index_of_window_containing(self, instant: datetime) -> int:
        """The index ``n`` with ``tick(n) <= instant < tick(n + 1)``."""
        index = self.index_at_or_after(instant)
        return index if _utc(self.tick(index)) == _utc(instant) else index - 1

    @property
    @abstractmethod
    def cron_schedule(self) -> str:
        """The equivalent cron string."""


class HourlyCadence(Cadence):
    """A tick every real hour at ``minute_offset`` past the local hour (UTC arithmetic).

    The phase is taken from the zone's offset at ``reference``; zones whose DST shift is not a
    whole number of hours are not modelled exactly.
    """

    def __init__(self, zone: tzinfo, minute_offset: int, reference: datetime) -> None:
        self.zone = zone
        self.minute_offset = minute_offset
        offset = reference.astimezone(zone).utcoffset() or timedelta(0)
        self._phase = (minute_offset * 60 - int(offset.total_seconds())) % _HOUR

    @property
    def phase(self) -> int:
        """Seconds past each UTC hour at which the ticks fall (tick ``i`` is at UTC second
        ``i * 3600 + phase`` since the epoch)."""
        return self._phase

    def tick(self, index: int) -> datetime:
        return (_EPOCH + timedelta(seconds=index * _HOUR + self._phase)).astimezone(self.zone)

    def index_at_or_after(self, instant: datetime) -> int:
        seconds = (instant - _EPOCH) // timedelta(microseconds=1) - self._phase * 10**6
        return -(-seconds // (_HOUR * 10**6))

    @property
    def cron_schedule(self) -> str:
        return f"{self.minute_offset} * * * *"


class WallClockCadence(Cadence):
    """A cadence whose ticks are one wall time on selected dates."""

    def __init__(self, zone: tzinfo, hour_offset: int, minute_offset: int) -> None:
        self.zone = zone
        self.hour_offset = hour_offset
        self.minute_offset = minute_offset

    @abstractmethod
    def tick_date(self, index: int) -> date:
        """The local date of tick ``index``."""

    @abstractmethod
    def index_on_or_after_date(self, day: date) -> int:
        """The index of the first tick whose date is ``day`` or later."""

    def tick(self, index: int) -> datetime:
        day = self.tick_date(index)
        wall = datetime(day.year, day.month, day.day, self.hour_offset, self.minute_offset)
        if self.zone is UTC:
            return wall.replace(tzinfo=UTC)
        return resolve_wall_time(wall, self.zone)

    def index_at_or_after(self, instant: datetime) -> int:
        index = self.index_on_or_after_date(instant.astimezone(self.zone).date())
        target = _utc(instant)
        while _utc(self.tick(index - 1)) >= target:
            index -= 1
        while _utc(self.tick(index)) < target:
            index += 1
        return index


class DailyCadence(WallClockCadence):
    """A tick every day at ``hour_offset:minute_offset`` local time; index = date ordinal."""

    def tick_date(self, index: int) -> date:
        return date.fromordinal(index)

    def index_on_or_after_date(self, day: date) -> int:
        return day.toordinal()

    @property
    def cron_schedule(self) -> str:
        return f"{self.minute_offset} {self.hour_offset} * * *"


class WeeklyCadence(WallClockCadence):
    """A tick every week on ``day_offset`` (0 = Sunday) at ``hour_offset:minute_offset``."""

    def __init__(self, zone: tzinfo, day_offset: int, hour_offset: int, minute_offset: int) -> None:
        super().__init__(zone, hour_offset, minute_offset)
        self.day_offset = day_offset
        # date ordinal 1 is a Monday, so a Sunday-based weekday d has ordinals = d (mod 7).
        self._residue = day_offset % 7 or 7

    def tick_date(self, index: int) -> date:
        return date.fromordinal(index * 7 + self._residue)

    def index_on_or_after_date(self, day: date) -> int:
        return -(-(day.toordinal() - self._residue) // 7)

    @property
    def cron_schedule(self) -> str:
        return f"{self.minute_offset} {self.hour_offset} * * {self.day_offset}"


def _valid_months_before(month_index: int, day: int) -> int:
    """How many months ``m < month_index`` (``m = year * 12 + month - 1``) have a day ``day``."""
    if day <= 28:
        return month_index
    years, months_into_year = divmod(month_index, 12)
    per_year = [month for month in range(1, 13) if month != 2 and day <= _days_in(month)]
    count = years * len(per_year) + sum(1 for month in per_year if month <= months_into_year)
    if day == 29:
        leap_years = _leap_years_before(years)
        count += leap_years + (months_into_year >= 2 and calendar.isleap(years))
    return count


def _days_in(month: int) -> int:
    return 30 if month in (4, 6, 9, 11) else 31


def _leap_years_before(year: int) -> int:
    """Leap years in ``[0, year)`` (proleptic Gregorian, year 0 is leap)."""
    if year <= 0:
        return 0
    last = year - 1
    return last // 4 - last // 100 + last // 400 + 1


class MonthlyCadence(WallClockCadence):
    """A tick every month on ``day_offset`` at ``hour_offset:minute_offset``.

    Months without that day (e.g. the 31st) have no tick, as with cron. The index is the rank of
    the month among months that have the day.
    """

    def __init__(self, zone: tzinfo, day_offset: int, hour_offset: int, minute_offset: int) -> None:
        super().__init__(zone, hour_offset, minute_offset)
        self.day_offset = day_offset

    def _month_index_of_rank(self, rank: int) -> int:
        if self.day_offset <= 28:
            return rank
        low, high = rank, rank * 2 + 2  # at least 7 of 12 months are valid
        while low < high:
            middle = (low + high) // 2
            if _valid_months_before(middle + 1, self.day_offset) > rank:
                high = middle
            else:
                low = middle + 1
        return low

    def tick_date(self, index: int) -> date:
        year, month0 = divmod(self._month_index_of_rank(index), 12)
        return date(year, month0 + 1, self.day_offset)

    def index_on_or_after_date(self, day: date) -> int:
        month_index = day.year * 12 + day.month - 1
        if day.day > self.day_offset:
            month_index += 1
        return _valid_months_before(month_index, self.day_offset)

    @property
    def cron_schedule(self) -> str:
        return f"{self.minute_offset} {self.hour_offset} {self.day_offset} * *"
