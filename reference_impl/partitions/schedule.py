"""Schedule types and the parsing of fixed-cadence cron strings into cadences."""

from __future__ import annotations

from datetime import datetime, tzinfo
from enum import Enum

from reference_impl.errors import InvalidPartitionsDefinitionError
from reference_impl.partitions.cadence import (
    Cadence,
    DailyCadence,
    HourlyCadence,
    MonthlyCadence,
    WeeklyCadence,
)

__all__ = ["ScheduleType", "cadence_from_cron", "cadence_from_schedule_type"]


class ScheduleType(Enum):
    """The fixed cadences a time-window partitions definition supports."""

    HOURLY = "HOURLY"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


def _check_range(name: str, value: int, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidPartitionsDefinitionError(
            f"{name} must be an int from {low} to {high}, got {value!r}."
        )
    return value


def cadence_from_schedule_type(
    schedule_type: ScheduleType,
    zone: tzinfo,
    reference: datetime,
    minute_offset: int = 0,
    hour_offset: int = 0,
    day_offset: int | None = None,
) -> Cadence:
    """The cadence of ``schedule_type`` with the given offsets.

    ``day_offset`` is the weekday for weekly schedules (0 = Sunday, default 0) and the day of
    the month for monthly ones (default 1). Raises ``InvalidPartitionsDefinitionError`` for an
    offset out of range.
    """
    minute = _check_range("minute_offset", minute_offset, 0, 59)
    hour = _check_range("hour_offset", hour_offset, 0, 23)
    if schedule_type is ScheduleType.HOURLY:
        return HourlyCadence(zone, minute, reference)
    if schedule_type is ScheduleType.DAILY:
        return DailyCadence(zone, hour, minute)
    if schedule_type is ScheduleType.WEEKLY:
        weekday = _check_range("day_offset", 0 if day_offset is None else day_offset, 0, 6)
        return WeeklyCadence(zone, weekday, hour, minute)
    if schedule_type is ScheduleType.MONTHLY:
        day = _check_range("day_offset", 1 if day_offset is None else day_offset, 1, 31)
        return MonthlyCadence(zone, day, hour, minute)
    raise InvalidPartitionsDefinitionError(
        f"schedule_type must be a ScheduleType, got {schedule_type!r}."
    )


def _cron_field(cron_schedule: str, field: str) -> int:
    if not field.isdigit():
        raise InvalidPartitionsDefinitionError(
            f"Unsupported cron schedule {cron_schedule!r}: field {field!r} is not a plain number. "
            "Only fixed cadences are supported: 'M * * * *' (hourly), 'M H * * *' (daily), "
            "'M H * * D' (weekly) and 'M H D * *' (monthly)."
        )
    return int(field)


def cadence_from_cron(cron_schedule: str, zone: tzinfo, reference: datetime) -> Cadence:
    """The cadence of a fixed-cadence cron string.

    Raises ``InvalidPartitionsDefinitionError`` for any other cron string (lists, ranges, steps,
    month restrictions) or for a field out of range.
    """
    fields = cron_schedule.split() if isinstance(cron_schedule, str) else []
    if len(fields) != 5 or fields[3] != "*":
        raise InvalidPartitionsDefinitionError(
            f"Unsupported cron schedule {cron_schedule!r}. Use one of 'M * * * *', 'M H * * *', "
            "'M H * * D' or 'M H D * *' with plain numbers, or pass schedule_type."
        )
    minute_field, hour_field, day_field, _, weekday_field = fields
    minute = _cron_field(cron_schedule, minute_field)
    if hour_field == "*":
        if day_field != "*" or weekday_field != "*":
            raise InvalidPartitionsDefinitionError(
                f"Unsupported cron schedule {cron_schedule!r}: an hourly schedule must not "
                "restrict days."
            )
        return cadence_from_schedule_type(ScheduleType.HOURLY, zone, reference, minute)
    hour = _cron_field(cron_schedule, hour_field)
    if day_field == "*" and weekday_field == "*":
        return cadence_from_schedule_type(ScheduleType.DAILY, zone, reference, minute, hour)
    if day_field == "*":
        weekday = _cron_field(cron_schedule, weekday_field) % 7  # cron allows 7 for Sunday
        return cadence_from_schedule_type(
            ScheduleType.WEEKLY, zone, reference, minute, hour, weekday
        )
    if weekday_field == "*":
        day = _cron_field(cron_schedule, day_field)
        return cadence_from_schedule_type(ScheduleType.MONTHLY, zone, reference, minute, hour, day)
    raise InvalidPartitionsDefinitionError(
        f"Unsupported cron schedule {cron_schedule!r}: restricting both the day of the month "
        "and the weekday is not a fixed cadence."
    )
