"""Bulk generation of time-window partition keys, without a ``strftime`` per key.

``KeyFormat`` compiles the common strftime formats (``%Y %m %d %y %j`` before ``%H %M %S %f``,
plus literals and ``%%``) into a date prefix rendered once per local day and a time suffix
rendered once per wall-clock time. ``iter_keys`` yields the keys of a run of tick indices in
batches and produces exactly the keys of the per-index path (``key_at``):

* hourly ticks in a fixed-offset zone (``datetime.timezone``, e.g. UTC) are pure integer
  arithmetic: tick ``i`` is at local hour ``i + c`` for a constant ``c``;
* hourly ticks in any other zone are converted to local time one by one (no ``strftime``);
  a tick of a repeated wall time (``fold``) goes through ``key_at``;
* daily, weekly and monthly ticks render their wall time directly unless, in a zone with DST,
  that wall time is skipped or repeated, in which case ``key_at`` decides.

Formats with other directives (``%b``, ``%z``, ``%A``...) or with a date field after a time
field use ``key_at`` for every key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from operator import itemgetter
from typing import Final

from reference_impl.partitions.cadence import Cadence, HourlyCadence, WallClockCadence

__all__ = ["BATCH", "KeyFormat", "iter_keys"]

BATCH: Final = 512
"""Keys per batch of the generic and zone-aware paths."""

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_DAY: Final = 86_400
_HOUR: Final = 3_600

# Field positions in the value tuples ``(Y, m, d, y, j)`` and ``(H, M, S)``.
_DATE_FIELDS: Final = {"Y": (0, "%04d"), "m": (1, "%02d"), "d": (2, "%02d"), "y": (3, "%02d"),
                       "j": (4, "%03d")}
_TIME_FIELDS: Final = {"H": (0, "%02d"), "M": (1, "%02d"), "S": (2, "%02d")}


def _tokens(fmt: str) -> list[str] | None:
    """``fmt`` split into literal characters and two-character directives; ``None`` when it
    ends with a lone ``%``."""
    tokens: list[str] = []
    position = 0
    while position < len(fmt):
        if fmt[position] == "%":
            if position + 1 == len(fmt):
                return None
            tokens.append(fmt[position : position + 2])
            position += 2
        else:
            tokens.append(fmt[position])
            position += 1
    return tokens


def _template(tokens: list[str], fields: dict[str, tuple[int, str]]) -> tuple[str, list[int]]:
    """A ``%``-template of ``tokens`` and the value positions it takes, in order."""
    parts: list[str] = []
    positions: list[int] = []
    for token in tokens:
        if token == "%%":
            parts.append("%%")
        elif token == "%f":
            parts.append("000000")  # ticks are whole seconds
        elif token.startswith("%"):
            position, spec = fields[token[1]]
            parts.append(spec)
            positions.append(position)
        else:
            parts.append(token)
    return "".join(parts), positions


class KeyFormat:
    """A strftime format split into a date prefix and a time suffix rendered without
    ``strftime`` (years 1000-9999; other years render the prefix with ``strftime``)."""

    __slots__ = ("_date_fmt", "_date_getter", "_date_template", "_needs_yday", "_time_getter",
                 "_time_template")

    def __init__(self, date_tokens: list[str], time_tokens: list[str]) -> None:
        self._date_fmt = "".join(date_tokens)
        self._date_template, date_positions = _template(date_tokens, _DATE_FIELDS)
        self._time_template, time_positions = _template(time_tokens, _TIME_FIELDS)
        self._needs_yday = 4 in date_positions
        self._date_getter = _getter(date_positions)
        self._time_getter = _getter(time_positions)

    @classmethod
    def compile(cls, fmt: str) -> KeyFormat | None:
        """The compiled ``fmt``, or ``None`` when it needs the generic path."""
        tokens = _tokens(fmt)
        if tokens is None:
            return None
        split = len(tokens)
        for index, token in enumerate(tokens):
            if token.startswith("%") and token != "%%" and token[1] not in _DATE_FIELDS:
                split = index
                break
        date_tokens, time_tokens = tokens[:split], tokens[split:]
        for token in time_tokens:
            if token.startswith("%") and token != "%%" and token != "%f" and (
                token[1] not in _TIME_FIELDS
            ):
                return None
        return cls(date_tokens, time_tokens)

    def date_part(self, year: int, month: int, day: int) -> str:
        """The prefix of the keys of local date ``year-month-day``."""
        if not 1000 <= year <= 9999:
            return datetime(year, month, day).strftime(self._date_fmt)
        yday = date(year, month, day).timetuple().tm_yday if self._needs_yday else 0
        return self._date_template % self._date_getter((year, month, day, year % 100, yday))

    def time_part(self, hour: int, minute: int, second: int) -> str:
        """The suffix of the keys of wall time ``hour:minute:second``."""
        return self._time_template % self._time_getter((hour, minute, second))


def _getter(positions: list[int]) -> Callable[[tuple[int, ...]], tuple[int, ...]]:
    if not positions:
        return lambda values: ()
    if len(positions) == 1:
        only = positions[0]
        return lambda values: (values[only],)
    getter: Callable[[tuple[int, ...]], tuple[int, ...]] = itemgetter(*positions)
    return getter


def _fixed_offset_seconds(zone: object) -> int | None:
    """The constant UTC offset of a ``datetime.timezone`` in whole seconds, else ``None``."""
    if not isinstance(zone, timezone):
        return None
    offset = zone.utcoffset(None)
    if offset.microseconds:
        return None
    return offset.days * _DAY + offset.seconds


def iter_keys(
    cadence: Cadence,
    key_format: KeyFormat | None,
    fmt: str,
    key_at: Callable[[int], str],
    first: int,
    stop: int,
) -> Iterator[list[str]]:
    """Batches of the keys of tick indices ``first, first + 1, ..., stop - 1``, equal to
    ``[key_at(i) for i in range(first, stop)]`` once concatenated."""
    if first >= stop:
        return
    if key_format is not None and isinstance(cadence, HourlyCadence):
        offset = _fixed_offset_seconds(cadence.zone)
        if offset is not None:
            yield from _hourly_fixed(cadence, key_format, offset, first, stop)
        else:
            yield from _hourly_zoned(cadence, key_format, fmt, key_at, first, stop)
    elif key_format is not None and isinstance(cadence, WallClockCadence):
        yield from _wall_clock(cadence, key_format, key_at, first, stop)
    else:
        for low in range(first, stop, BATCH):
            yield [key_at(index) for index in range(low, min(low + BATCH, stop))]


def _hourly_fixed(
    cadence: HourlyCadence, key_format: KeyFormat, offset: int, first: int, stop: int
) -> Iterator[list[str]]:
    # Tick i is at local second i * 3600 + shift, i.e. at local hour i + hours, past which it
    # is ``within`` seconds; local day = hour // 24.
    hours, within = divmod(cadence.phase + offset, _HOUR)
    minute, second = divmod(within, 60)
    suffixes = [key_format.time_part(hour, minute, second) for hour in range(24)]
    for local_day in range((first + hours) // 24, (stop - 1 + hours) // 24 + 1):
        day_start = local_day * 24 - hours  # the tick index at local hour 0 of that day
        low, high = max(first, day_start), min(stop, day_start + 24)
        day = date.fromordinal(local_day + _EPOCH_ORDINAL)
        prefix = key_format.date_part(day.year, day.month, day.day)
        yield [prefix + suffix for suffix in suffixes[low - day_start : high - day_start]]


def _hourly_zoned(
    cadence: HourlyCadence,
    key_format: KeyFormat,
    fmt: str,
    key_at: Callable[[int], str],
    first: int,
    stop: int,
) -> Iterator[list[str]]:
    zone = cadence.zone
    from_utc = zone.fromutc
    step = timedelta(seconds=_HOUR)
    # The UTC wall time of tick ``first`` carrying ``zone``: ``zone.fromutc`` of it is exactly
    # ``tick(first)`` (what ``astimezone`` computes), without the conversion overhead.
    instant = datetime(1970, 1, 1, tzinfo=zone) + timedelta(
        seconds=first * _HOUR + cadence.phase
    )
    check_fold = "%z" not in fmt
    date_part, time_part = key_format.date_part, key_format.time_part
    suffixes: dict[int, str] = {}
    last_day = 0  # day of the month of the current prefix; consecutive ticks are < 3 days
    prefix = ""  # apart, so the date changed exactly when the day of the month did
    batch: list[str] = []
    append = batch.append
    for index in range(first, stop):
        local = from_utc(instant)
        instant += step
        if local.fold and check_fold:
            append(key_at(index))
            continue
        if local.day != last_day:
            last_day = local.day
            prefix = date_part(local.year, local.month, last_day)
        clock = local.hour * _HOUR + local.minute * 60 + local.second
        suffix = suffixes.get(clock)
        if suffix is None:
            suffix = suffixes[clock] = time_part(local.hour, local.minute, local.second)
        append(prefix + suffix)
        if len(batch) >= BATCH:
            yield batch
            batch = []
            append = batch.append
    if batch:
        yield batch


def _wall_clock(
    cadence: WallClockCadence,
    key_format: KeyFormat,
    key_at: Callable[[int], str],
    first: int,
    stop: int,
) -> Iterator[list[str]]:
    zone = cadence.zone
    fixed = isinstance(zone, timezone)
    hour, minute = cadence.hour_offset, cadence.minute_offset
    suffix = key_format.time_part(hour, minute, 0)
    # A wall time is neither skipped nor repeated iff both folds give it the same offset.
    early, late = time(hour, minute), time(hour, minute, fold=1)
    offset_of, combine = zone.utcoffset, datetime.combine
    tick_date = cadence.tick_date
    date_part = key_format.date_part
    for low in range(first, stop, BATCH):
        batch: list[str] = []
        for index in range(low, min(low + BATCH, stop)):
            day = tick_date(index)
            if not fixed and offset_of(combine(day, early)) != offset_of(combine(day, late)):
                batch.append(key_at(index))  # skipped or repeated wall time: as tick() does
                continue
            batch.append(date_part(day.year, day.month, day.day) + suffix)
        yield batch
