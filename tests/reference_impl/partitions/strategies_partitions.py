"""Hypothesis strategies shared by the partitions tests (time-window definition arguments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

TIMEZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"]
HOURLY_FMT = "%Y-%m-%d-%H:%M"
DATE_FMT = "%Y-%m-%d"


@dataclass(frozen=True)
class TimeDefArgs:
    """Arguments of an Hourly/Daily/Weekly/Monthly definition, usable with both libraries."""

    kind: str
    kwargs: dict[str, Any]

    def build(self, module: Any) -> Any:
        """The definition built from ``module`` (``reference_impl.partitions`` or dagster)."""
        return getattr(module, f"{self.kind}PartitionsDefinition")(**self.kwargs)


_SPAN_DAYS = {"Hourly": 6, "Daily": 60, "Weekly": 200, "Monthly": 900}


@st.composite
def time_def_args(draw: st.DrawFn, with_end: bool = True) -> TimeDefArgs:
    """Arguments of a small time-window definition (at most a few hundred keys).

    Start dates cluster around DST transitions of 2023 so that zones with DST are exercised.
    """
    kind = draw(st.sampled_from(["Hourly", "Daily", "Weekly", "Monthly"]))
    timezone = draw(st.sampled_from(TIMEZONES))
    anchor = draw(
        st.sampled_from([datetime(2023, 3, 10), datetime(2023, 10, 27), datetime(2023, 1, 1)])
    )
    start = anchor + timedelta(minutes=draw(st.integers(-72 * 60, 72 * 60)))
    span = timedelta(hours=draw(st.integers(1, _SPAN_DAYS[kind] * 24)))
    fmt = HOURLY_FMT if kind == "Hourly" else DATE_FMT
    kwargs: dict[str, Any] = {
        "start_date": start.strftime(fmt),
        "timezone": timezone,
        "minute_offset": draw(st.sampled_from([0, 15, 30, 59])),
    }
    if with_end:
        kwargs["end_date"] = (start + span).strftime(fmt)
    if kind != "Hourly":
        kwargs["hour_offset"] = draw(st.integers(0, 23))
    if kind == "Weekly":
        kwargs["day_offset"] = draw(st.integers(0, 6))
    if kind == "Monthly":
        kwargs["day_offset"] = draw(st.integers(1, 31))
    return TimeDefArgs(kind, kwargs)
