"""``TimeWindowPartitionsDefinition``: one partition per window of a fixed-cadence schedule."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reference_impl.errors import InvalidPartitionKeyError, InvalidPartitionsDefinitionError
from reference_impl.partitions.base import PartitionKeyRange, PartitionsDefinition, TimeWindow
from reference_impl.partitions.cadence import Cadence
from reference_impl.partitions.keygen import KeyFormat, iter_keys
from reference_impl.partitions.lazy import LazyKeySequence
from reference_impl.partitions.schedule import (
    ScheduleType,
    cadence_from_cron,
    cadence_from_schedule_type,
)

__all__ = ["TimeWindowPartitionsDefinition", "load_timezone", "parse_time"]


def load_timezone(name: str | None) -> tzinfo:
    """The tzinfo of an IANA name (``None`` and ``"UTC"`` give ``datetime.UTC``).

    Raises ``InvalidPartitionsDefinitionError`` for an unknown name.
    """
    if name is None or name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise InvalidPartitionsDefinitionError(
            f"Unknown timezone {name!r}; use an IANA name such as 'America/New_York'."
        ) from error


def parse_time(text: str, fmt: str, zone: tzinfo) -> datetime:
    """``text`` parsed with ``fmt`` as a wall time in ``zone`` (or with a trailing ``%z``).

    Raises ``InvalidPartitionKeyError`` when ``text`` matches neither form.
    """
    try:
        return datetime.strptime(text, fmt).replace(tzinfo=zone)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, fmt + "%z").astimezone(zone)
    except ValueError as error:
        raise InvalidPartitionKeyError(
            f"time data {text!r} does not match format {fmt!r}; write it like "
            f"{datetime(2023, 1, 2, 3, 4).strftime(fmt)!r}."
        ) from error


def _as_aware(value: datetime | str, fmt: str, zone: tzinfo, name: str) -> datetime:
    if isinstance(value, str):
        try:
            return parse_time(value, fmt, zone)
        except InvalidPartitionKeyError as error:
            raise InvalidPartitionsDefinitionError(f"{name}: {error}") from error
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=zone)
        return value.astimezone(zone)
    raise InvalidPartitionsDefinitionError(
        f"{name} must be a datetime or a str in format {fmt!r}, got {value!r}."
    )


class TimeWindowPartitionsDefinition(PartitionsDefinition):
    """Partitions whose keys are the starts of a schedule's windows, formatted with ``fmt``.

    The first window starts at the first tick at or after ``start``; ``end`` is exclusive (only
    windows that end at or before it, but always at least the first window when
    ``start < end``, as in Dagster). Without ``end``, the last window is the last one that ends
    at or before now, moved by ``end_offset`` windows (ignored when ``end`` is given). Give either
    ``cron_schedule`` (a fixed cadence) or ``schedule_type`` with offsets. Raises
    ``InvalidPartitionsDefinitionError`` for bad arguments, including a ``fmt`` too coarse to
    tell windows apart.
    """

    def __init__(
        self,
        start: datetime | str,
        fmt: str,
        end: datetime | str | None = None,
        schedule_type: ScheduleType | None = None,
        timezone: str | None = None,
        end_offset: int = 0,
        minute_offset: int | None = None,
        hour_offset: int | None = None,
        day_offset: int | None = None,
        cron_schedule: str | None = None,
    ) -> None:
        if not isinstance(fmt, str) or not fmt:
            raise InvalidPartitionsDefinitionError(f"fmt must be a strftime format, got {fmt!r}.")
        if isinstance(end_offset, bool) or not isinstance(end_offset, int):
            raise InvalidPartitionsDefinitionError(
                f"end_offset must be an int, got {end_offset!r}."
            )
        self._timezone_name = timezone or "UTC"
        self._zone = load_timezone(timezone)
        self._fmt = fmt
        self._start = _as_aware(start, fmt, self._zone, "start")
        self._end = None if end is None else _as_aware(end, fmt, self._zone, "end")
        self._end_offset = end_offset
        self._cadence = self._make_cadence(
            schedule_type, cron_schedule, minute_offset, hour_offset, day_offset
        )
        self._first_index = self._cadence.index_at_or_after(self._start)
        self._key_format = KeyFormat.compile(fmt)
        self._check_format()

    def _make_cadence(
        self,
        schedule_type: ScheduleType | None,
        cron_schedule: str | None,
        minute_offset: int | None,
        hour_offset: int | None,
        day_offset: int | None,
    ) -> Cadence:
        if cron_schedule is not None:
            if any(value is not None for value in (minute_offset, hour_offset, day_offset)):
                raise InvalidPartitionsDefinitionError(
                    "Pass offsets either in cron_schedule or as minute/hour/day_offset with "
                    "schedule_type, not both."
                )
            return cadence_from_cron(cron_schedule, self._zone, self._start)
        if schedule_type is None:
            raise InvalidPartitionsDefinitionError(
                "One of schedule_type and cron_schedule must be provided."
            )
        return cadence_from_schedule_type(
            schedule_type, self._zone, self._start, minute_offset or 0, hour_offset or 0, day_offset
        )

    def _check_format(self) -> None:
        first, second = self._key_at(self._first_index), self._key_at(self._first_index + 1)
        if first == second or self._index_of(first) != self._first_index:
            raise InvalidPartitionsDefinitionError(
                f"Format {self._fmt!r} maps several time windows of schedule "
                f"{self.cron_schedule!r} to the same partition key ({first!r}); use a finer "
                "format."
            )

    # ------------------------------------------------------------------ attributes
    @property
    def start(self) -> datetime:
        """The aware start given at construction (not necessarily a window start)."""
        return self._start

    @property
    def end(self) -> datetime | None:
        """The aware exclusive end, or ``None``."""
        return self._end

    @property
    def timezone(self) -> str:
        """The IANA name of the timezone (``"UTC"`` by default)."""
        return self._timezone_name

    @property
    def fmt(self) -> str:
        """The strftime format of the keys."""
        return self._fmt

    @property
    def end_offset(self) -> int:
        """Windows added after (positive) or removed before (negative) the last ended one."""
        return self._end_offset

    @property
    def cron_schedule(self) -> str:
        """The cron string of the schedule."""
        return self._cadence.cron_schedule

    @property
    def cadence(self) -> Cadence:
        """The tick arithmetic behind the windows."""
        return self._cadence

    # ------------------------------------------------------------------ keys
    def _key_at(self, index: int) -> str:
        start = self._cadence.tick(index)
        key = start.strftime(self._fmt)
        if start.fold and "%z" not in self._fmt:
            previous = self._cadence.tick(index - 1)
            if previous.strftime(self._fmt) == key:
                key += start.strftime("%z")
        return key

    def _keys_between(self, first: int, stop: int) -> Iterator[list[str]]:
        """Batches of ``_key_at(i)`` for ``first <= i < stop``, computed in bulk."""
        return iter_keys(self._cadence, self._key_format, self._fmt, self._key_at, first, stop)

    def _index_of(self, key: str) -> int | None:
        try:
            instant = parse_time(key, self._fmt, self._zone)
            index = self._cadence.index_at_or_after(instant)
            return index if self._key_at(index) == key else None
        except (ValueError, OverflowError, TypeError):  # malformed, not a str, out of range
            return None

    def _stop_index(self, current_time: datetime | None) -> int:
        if self._end is not None:
            stop = self._cadence.index_of_window_containing(self._end)
            if self._start.astimezone(UTC) < self._end.astimezone(UTC):
                # Dagster keeps the first window even when it overruns ``end``.
                stop = max(stop, self._first_index + 1)
        else:
            now = datetime.now(UTC) if current_time is None else current_time
            if now.tzinfo is None:
                now = now.replace(tzinfo=self._zone)
            current = self._cadence.index_of_window_containing(now)
            if current < self._first_index:  # nothing started yet: Dagster shows one window
                stop = self._first_index + (1 if self._end_offset > 0 else 0)
            else:
                stop = current + self._end_offset
        return max(stop, self._first_index)

    def tick_indices(self, current_time: datetime | None = None) -> range:
        """The cadence indices of the windows, first to last."""
        return range(self._first_index, self._stop_index(current_time))

    def get_partition_keys(self, current_time: datetime | None = None) -> Sequence[str]:
        """Every key in time order, as a lazy sequence (O(1) ``len``, indexing, ``in``)."""
        return LazyKeySequence(
            self.tick_indices(current_time), self._key_at, self._index_of, self._keys_between
        )

    def has_partition_key(self, partition_key: str, current_time: datetime | None = None) -> bool:
        """Whether ``partition_key`` is the key of one of the windows; never raises."""
        index = self._index_of(partition_key)
        return index is not None and index in self.tick_indices(current_time)

    def get_partition_keys_in_range(
        self, partition_key_range: PartitionKeyRange, current_time: datetime | None = None
    ) -> Sequence[str]:
        """The keys from ``range.start`` to ``range.end`` in time order, lazily.

        Raises ``InvalidPartitionKeyError`` naming the endpoints that are not keys; a reversed
        range gives an empty sequence.
        """
        start, end = partition_key_range
        self.validate_partition_keys(list(dict.fromkeys((start, end))), current_time)
        first, last = self._index_of(start), self._index_of(end)
        assert first is not None and last is not None  # validated above
        return LazyKeySequence(
            range(first, last + 1), self._key_at, self._index_of, self._keys_between
        )

    def time_window_for_partition_key(self, partition_key: str) -> TimeWindow:
        """The window ``[start, end)`` of the first tick at or after the parsed key.

        Works for well-formed keys outside the definition's range too, as in Dagster. Raises
        ``InvalidPartitionKeyError`` when the key does not match ``fmt``.
        """
        instant = parse_time(partition_key, self._fmt, self._zone)
        index = self._cadence.index_at_or_after(instant)
        return TimeWindow(self._cadence.tick(index), self._cadence.tick(index + 1))

    def time_window_at(self, index: int) -> TimeWindow:
        """The window of cadence index ``index``."""
        return TimeWindow(self._cadence.tick(index), self._cadence.tick(index + 1))

    def get_partition_key_for_time(self, instant: datetime) -> str:
        """The key of the window (of the schedule) that contains ``instant``."""
        return self._key_at(self._cadence.index_of_window_containing(instant))

    # ------------------------------------------------------------------ identity
    def _identity(self) -> tuple[object, ...]:
        return (
            self._start,
            self._end,
            self._timezone_name,
            self._fmt,
            self._end_offset,
            self.cron_schedule,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TimeWindowPartitionsDefinition):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash((TimeWindowPartitionsDefinition, *self._identity()))

    def __repr__(self) -> str:
        end = "" if self._end is None else f", end={self._end.isoformat()!r}"
        return (
            f"{type(self).__name__}(start={self._start.isoformat()!r}{end}, "
            f"cron_schedule={self.cron_schedule!r}, timezone={self._timezone_name!r}, "
            f"fmt={self._fmt!r})"
        )
