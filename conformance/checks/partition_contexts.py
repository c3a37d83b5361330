"""Partition semantics of contexts (IOM-PART-001/002/003/011/012/013/014): checked against the
context factory, so the same laws validate reference and Dagster contexts."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, RequirementViolation, check
from conformance.contexts import OutputSpec, PartitionsSpec
from conformance.strategies.partitions import (
    multi_partitions_specs,
    partition_index_ranges,
    partitions_specs,
    time_partitions_specs,
)

RangeCase = tuple[PartitionsSpec, tuple[str, str], tuple[int, int]]

ORDER_PROBE = PartitionsSpec("static", keys=("c", "a", "d", "b", "f", "e"))
"""Keys in an order that is neither sorted nor (likely) a hash order."""

MULTI_ORDER_PROBE = PartitionsSpec(
    "multi",
    dimensions=(
        ("abc", PartitionsSpec("static", keys=("c", "a", "d"))),
        ("z", ORDER_PROBE),
    ),
)
"""A multi-partition definition built from unsorted static dimensions."""


def _probe_cases(spec: PartitionsSpec) -> list[dict[str, RangeCase]]:
    """Whole-definition ranges of ``spec`` (forward and reversed) and an inner sub-range."""
    keys = spec.build().get_partition_keys()
    last = len(keys) - 1
    return [
        {"case": (spec, (keys[0], keys[last]), (0, last))},
        {"case": (spec, (keys[1], keys[last - 1]), (1, last - 1))},
        {"case": (spec, (keys[last], keys[0]), (last, 0))},
    ]


def _range_case(specs: st.SearchStrategy[PartitionsSpec], **kw: Any) -> st.SearchStrategy[Any]:
    """(definition, (start key, end key), (start index, end index))."""

    @st.composite
    def cases(draw: st.DrawFn) -> RangeCase:
        spec = draw(specs)
        i, j = draw(partition_index_ranges(spec, **kw))
        keys = spec.build().get_partition_keys()
        return spec, (keys[i], keys[j]), (i, j)

    return cases()


def _index(keys: Any, key: str) -> int:
    return int(keys.index(key))


def _out(spec: PartitionsSpec, key_range: tuple[str, str]) -> OutputSpec:
    return OutputSpec(asset_key=("asset",), partition_key_range=key_range, partitions_def=spec)


@check("IOM-PART-001", "IOM-PART-002", target="context")
def range_keys(env: CheckEnv) -> None:
    """Law: a range covers the definition's keys from start to end inclusive, in definition
    order (none when reversed; always probed with an unsorted static definition); a one-key
    context has keys [k] and range (k, k). IOM-PART-001/002."""

    def body(case: RangeCase) -> None:
        spec, (start, end), (i, j) = case
        keys = spec.build().get_partition_keys()
        expected = [keys[n] for n in range(i, j + 1)]
        got = list(env.contexts.output_context(_out(spec, (start, end))).asset_partition_keys)
        if got != expected:
            raise RequirementViolation(
                "IOM-PART-001",
                f"range {start!r}..{end!r} covers {got}, expected {expected}",
                {"partitions_def": spec.to_json()},
            )
        one = env.contexts.output_context(
            OutputSpec(asset_key=("a",), partition_key=start, partitions_def=spec)
        )
        rng = one.asset_partition_key_range
        if list(one.asset_partition_keys) != [start] or (rng.start, rng.end) != (start, start):
            raise RequirementViolation(
                "IOM-PART-002",
                f"one-key context for {start!r} covers {list(one.asset_partition_keys)}",
            )

    env.run_contexts(
        body,
        explicit=_probe_cases(ORDER_PROBE),
        case=_range_case(partitions_specs(multi=False), reversed_ok=True),
    )


@check("IOM-PART-003", target="context")
def range_endpoints_exist(env: CheckEnv) -> None:
    """Law: a range with an endpoint that is not a key is rejected naming it. IOM-PART-003."""

    def body(spec: PartitionsSpec, missing: str) -> None:
        first = spec.build().get_partition_keys()[0]
        try:
            context = env.contexts.output_context(_out(spec, (first, missing)))
            keys = list(context.asset_partition_keys)
        except Exception as error:
            if missing not in str(error):
                raise RequirementViolation(
                    "IOM-PART-003", f"error does not name {missing!r}: {error}"
                ) from error
            return
        raise RequirementViolation(
            "IOM-PART-003",
            f"range to {missing!r} accepted: {keys}",
            {"partitions_def": spec.to_json()},
        )

    env.run_contexts(
        body,
        spec=partitions_specs(),
        missing=st.sampled_from(["zz-missing", "1999-01-01", "nope|nope"]),
    )


@check("IOM-PART-011", "IOM-PART-014", target="context")
def time_windows(env: CheckEnv) -> None:
    """Law: a range's window runs from the first key's window start to the last's end,
    consecutive windows adjoin, and each key is its window start formatted in the definition's
    timezone, in time order. IOM-PART-011/014."""

    def window(spec: PartitionsSpec, key: str) -> Any:
        return env.contexts.output_context(
            OutputSpec(asset_key=("t",), partition_key=key, partitions_def=spec)
        ).asset_partitions_time_window

    def body(case: RangeCase) -> None:
        spec, (start, end), (i, j) = case
        defn = spec.build()
        keys = defn.get_partition_keys()
        covered = [keys[n] for n in range(i, j + 1)]
        windows = [window(spec, k) for k in covered]
        for key, win in zip(covered, windows, strict=True):
            formatted = win.start.strftime(defn.fmt)
            if formatted != key or str(win.start.tzinfo) not in (spec.timezone, "UTC"):
                raise RequirementViolation(
                    "IOM-PART-014",
                    f"key {key!r} has window start {win.start!r} (formatted {formatted!r})",
                    {"partitions_def": spec.to_json()},
                )
        for before, after in itertools.pairwise(windows):
            if before.end != after.start or not before.start < after.start:
                raise RequirementViolation(
                    "IOM-PART-011",
                    f"windows {before} and {after} do not adjoin in order",
                    {"partitions_def": spec.to_json()},
                )
        whole = env.contexts.output_context(_out(spec, (start, end))).asset_partitions_time_window
        if (whole.start, whole.end) != (windows[0].start, windows[-1].end):
            raise RequirementViolation(
                "IOM-PART-011",
                f"range window {whole} != {windows[0].start}..{windows[-1].end}",
                {"partitions_def": spec.to_json(), "range": [start, end]},
            )

    env.run_contexts(body, case=_range_case(time_partitions_specs(), max_width=3))


@check("IOM-PART-012", target="context")
def time_window_needs_time_partitions(env: CheckEnv) -> None:
    """Law: asset_partitions_time_window raises for unpartitioned and static assets.
    IOM-PART-012."""

    def body(spec: PartitionsSpec) -> None:
        key = spec.build().get_partition_keys()[0]
        for out in (
            OutputSpec(asset_key=("u",)),
            OutputSpec(asset_key=("s",), partition_key=key, partitions_def=spec),
        ):
            try:
                window = env.contexts.output_context(out).asset_partitions_time_window
            except Exception:
                continue
            raise RequirementViolation(
                "IOM-PART-012",
                f"got window {window} for a context that is not time-partitioned",
                {"output": out.to_json()},
            )

    env.run_contexts(body, spec=partitions_specs(time=False, multi=False))


@check("IOM-PART-013", target="context")
def multi_ranges_are_rectangles(env: CheckEnv) -> None:
    """Law: a multi-partition range covers the product of each dimension's sub-range, in that
    order, the first dimension (by name) varying slowest (always probed with unsorted static
    dimensions). IOM-PART-013."""

    def body(case: RangeCase) -> None:
        spec, (start_key, end_key), _ = case
        start, end = start_key, end_key
        sub_ranges: list[list[str]] = []
        for name, dim in spec.dimensions:
            dim_keys = dim.build().get_partition_keys()
            lo = _index(dim_keys, start_key.keys_by_dimension[name])  # type: ignore[attr-defined]
            hi = _index(dim_keys, end_key.keys_by_dimension[name])  # type: ignore[attr-defined]
            sub_ranges.append([dim_keys[n] for n in range(lo, hi + 1)])
        expected = ["|".join(combo) for combo in itertools.product(*sub_ranges)]
        got = [
            str(k)
            for k in env.contexts.output_context(_out(spec, (start, end))).asset_partition_keys
        ]
        if got != expected:
            raise RequirementViolation(
                "IOM-PART-013",
                f"range {start}..{end} covers {got}, expected {expected}",
                {"partitions_def": spec.to_json()},
            )

    env.run_contexts(
        body,
        explicit=_probe_cases(MULTI_ORDER_PROBE)[:2],
        case=_range_case(multi_partitions_specs(), max_width=6),
    )
