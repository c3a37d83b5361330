"""Range outputs and concatenated range loads of table-like managers (IOM-PART-018/019).

A table manager (Dagster's ``DbIOManager``: DuckDB, Delta Lake, Snowflake, ...) keeps every
partition of an asset in one table. It stores an output covering several partitions (a
single-run backfill) by replacing exactly those partitions' rows, and loads a range as one
table of the rows of every partition in it. The kit hands such a range output to
``handle_output`` as a :class:`~conformance.shares.PartitionShares` (partition key -> share);
a subject whose asset body returns one value for the range wraps its manager to build it
(``conformance.field.binding``). A range load is compared with ``Subject.concat`` of the values
stored for the range's partitions, under ``Subject.equals``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, Harness, NotApplicable, RequirementViolation, check
from conformance.checks.partition_cases import (
    Case,
    cases,
    definitions_for,
    partition_in,
    range_in,
    store_all,
)
from conformance.contexts import OutputSpec, PartitionsSpec
from conformance.shares import PartitionShares

__all__ = ["RANGE_PROBE", "range_out"]

RANGE_PROBE = PartitionsSpec("static", keys=("a", "b", "c", "d"))
"""Four plain static keys: the explicit probes store a range strictly inside them."""


def range_out(key: tuple[str, ...], spec: PartitionsSpec, key_range: tuple[str, str]) -> OutputSpec:
    """The output of one asset covering the partitions of ``key_range``."""
    return OutputSpec(
        run_id="run-1",
        step_key="asset_op",
        name="result",
        asset_key=key,
        partition_key_range=key_range,
        partitions_def=spec,
    )


def _span(window: Sequence[str], bounds: tuple[int, int]) -> tuple[str, ...]:
    """A sub-window of at least two consecutive keys of ``window`` chosen by ``bounds``."""
    first = bounds[0] % (len(window) - 1)
    last = first + 1 + bounds[1] % (len(window) - 1 - first)
    return tuple(window[first : last + 1])


@check("IOM-PART-018")
def range_outputs_store_shares(env: CheckEnv) -> None:
    """Law: storing an output that covers several partitions (handed to ``handle_output`` as a
    ``PartitionShares``) stores each partition's share: afterwards every partition of the
    range loads (bare) as its share, stored before or not, and every partition outside the
    range loads the value it had. IOM-PART-018."""

    def body(
        h: Harness,
        case: Case,
        before: list[object],
        shares: list[object],
        bounds: tuple[int, int],
        prestored: list[bool],
    ) -> None:
        key, spec, window = case
        if len(window) < 2:
            return
        span = _span(window, bounds)
        earlier = {
            p: v
            for p, v, keep in zip(window, before, prestored, strict=False)
            if keep or p not in span
        }
        if not store_all(h, "IOM-PART-018", key, spec, earlier):
            return
        own = PartitionShares(dict(zip(span, shares, strict=False)))
        if not h.store(range_out(key, spec, (span[0], span[-1])), own, requirement="IOM-PART-018"):
            return
        for partition in window:
            inside = partition in own
            expected = own[partition] if inside else earlier[partition]
            ok, loaded = h.load_outcome(partition_in(key, spec, partition))
            if ok and h.subject.equals(loaded, expected):
                continue
            where = (
                f"in the stored range {list(span)}"
                if inside
                else f"outside the stored range {list(span)}"
            )
            got = f"raised {loaded!r}" if not ok else f"loaded {loaded!r}"
            raise RequirementViolation(
                "IOM-PART-018",
                f"partition {partition!r} ({where}) {got}, expected "
                + ("its share" if inside else "its earlier value")
                + f" {expected!r}",
                h.counterexample(loaded=loaded, expected=expected),
            )

    values = env.subject.values.filter(lambda v: v is not None)
    old_a, old_b, old_c, old_d, new_b, new_c = env.n_distinct_values(6)
    probes = [
        {  # the middle two of four stored partitions: shares in, neighbours untouched
            "case": (("x",), RANGE_PROBE, RANGE_PROBE.keys),
            "before": [old_a, old_b, old_c, old_d],
            "shares": [new_b, new_c],
            "bounds": (1, 0),
            "prestored": [True, True, True, True],
        },
        {  # a range over partitions never stored before
            "case": (("x",), RANGE_PROBE, RANGE_PROBE.keys),
            "before": [old_a, old_b, old_c, old_d],
            "shares": [new_b, new_c],
            "bounds": (1, 0),
            "prestored": [True, False, False, True],
        },
    ]
    env.run(
        body,
        explicit=probes,
        case=cases(definitions_for(env, ranges=True)),
        before=st.lists(values, min_size=4, max_size=4),
        shares=st.lists(values, min_size=4, max_size=4),
        bounds=st.tuples(st.integers(0, 3), st.integers(0, 3)),
        prestored=st.lists(st.booleans(), min_size=4, max_size=4),
    )


def _contributing(
    env: CheckEnv, concat: Callable[[Sequence[object]], object], n: int
) -> list[object]:
    """``n`` distinct values of which none is empty (joined with itself, an empty table stays
    the same), so leaving any one out of a range load changes the result; distinct values
    when the subject has fewer such values."""
    candidates = env.n_distinct_values(n + 1)

    def empty(value: object) -> bool:
        try:
            return env.subject.equals(concat([value, value]), value)
        except Exception:
            return False

    kept = [v for v in candidates if not empty(v)]
    return kept[:n] if len(kept) >= n else list(candidates[:n])


@check("IOM-PART-019")
def range_loads_concatenated(env: CheckEnv) -> None:
    """Law: loading an input that covers several partitions returns one value equal to
    ``Subject.concat`` of the values stored for the range's partitions (in range order; the
    subject's ``equals`` decides, e.g. rows as a multiset); with ``allow_missing_partitions``
    truthy a partition never stored contributes nothing (without it the load raises:
    IOM-PART-007). IOM-PART-019."""
    concat = env.subject.concat
    if concat is None:  # the Subject refuses concatenated_range_loads without concat
        raise NotApplicable("the subject gives no concat")

    def body(h: Harness, case: Case, vals: list[object], missing: list[bool], allow: bool) -> None:
        key, spec, window = case
        if len(window) < 2:
            return
        present = {p: v for p, v, gone in zip(window, vals, missing, strict=False) if not gone}
        if not present:
            return
        allow = allow or len(present) < len(window)
        if not store_all(h, "IOM-PART-019", key, spec, present):
            return
        spec_in = range_in(key, spec, (window[0], window[-1]), allow_missing=allow)
        loaded = h.load(spec_in, requirement="IOM-PART-019")
        expected = concat(list(present.values()))
        if not h.subject.equals(loaded, expected):
            skipped = [p for p in window if p not in present]
            raise RequirementViolation(
                "IOM-PART-019",
                f"range {list(window)}"
                + (f" (missing {skipped}, allowed)" if skipped else "")
                + f" loaded {loaded!r}, expected the stored values joined: {expected!r}",
                h.counterexample(loaded=loaded, expected=expected),
            )

    values = env.subject.values.filter(lambda v: v is not None)
    probe_vals = _contributing(env, concat, 4)
    env.run(
        body,
        explicit=[
            {
                "case": (("x",), RANGE_PROBE, RANGE_PROBE.keys),
                "vals": probe_vals,
                "missing": [False] * 4,
                "allow": False,
            },
            {
                "case": (("x",), RANGE_PROBE, RANGE_PROBE.keys),
                "vals": probe_vals,
                "missing": [False, True, False, False],
                "allow": True,
            },
        ],
        case=cases(definitions_for(env, ranges=True)),
        vals=st.lists(values, min_size=4, max_size=4),
        missing=st.lists(st.booleans(), min_size=4, max_size=4),
        allow=st.booleans(),
    )
