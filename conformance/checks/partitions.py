"""Partitioned storage checks against the manager (IOM-ID-012, IOM-PART-004..010/015..017)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, Harness, RequirementViolation, check
from conformance.checks.partition_cases import (
    Case,
    cases,
    definitions_for,
    expect_mapping,
    part_out,
    partition_in,
    range_check,
    range_in,
    store_all,
)
from conformance.contexts import InputSpec, OutputSpec, PartitionsSpec
from conformance.strategies.partitions import multi_partitions_specs
from reference_impl.narrowing import is_mapping

__all__ = ["ISOLATION_PROBE", "MULTI_ORDER_PROBE", "ORDER_PROBE", "part_out", "range_in"]

ORDER_PROBE = PartitionsSpec("static", keys=("c", "a", "d", "b", "f", "e"))
"""A static definition whose key order is neither sorted nor (likely) a hash order."""

MULTI_ORDER_PROBE = PartitionsSpec(
    "multi",
    dimensions=(
        ("abc", PartitionsSpec("static", keys=("c", "a", "d"))),
        ("z", PartitionsSpec("static", keys=("f", "e", "b"))),
    ),
)
"""A multi-partition definition built from unsorted static dimensions."""

ISOLATION_PROBE = PartitionsSpec("static", keys=(".", "p", "..", "P"))
"""Partition keys that a path layout may confuse with the asset itself or each other."""
HOURLY_PROBE = PartitionsSpec("hourly", start="2023-01-01-00:00", end="2023-01-01-04:00")
"""Four hourly partitions of one day: a manager placing data by a coarser part of the time
window (its start date, as table managers reading ``asset_partitions_time_window`` on output
contexts may, dagster#15051) conflates them."""


def _blame_wrong_value(
    h: Harness, loaded: object, values: Mapping[str, object]
) -> str:
    """Whom a wrong single-partition load breaks: another partition's (or the unpartitioned
    asset's) value is an isolation failure (IOM-ID-012); a mapping keyed by this asset's
    partitions is a multi-partition load where one was asked for (IOM-PART-004)."""
    if any(h.subject.equals(loaded, other) for other in values.values()):
        return "IOM-ID-012"
    if is_mapping(loaded) and loaded and all(k in values for k in loaded):
        return "IOM-PART-004"
    return "IOM-ID-012"


def _check_partitions(
    h: Harness, key: tuple[str, ...], spec: PartitionsSpec, values: Mapping[str, object]
) -> None:
    """Each partition loads its own value; one the model marks "may be lost" (IOM-ID-012) loads
    its own value or raises. A partition that raises while others of its asset load was lost
    to them (IOM-ID-012); when none loads, single-partition loading is broken (IOM-PART-004)."""
    outcomes = {p: h.load_outcome(partition_in(key, spec, p)) for p in values}
    some_load = any(ok for ok, _ in outcomes.values())
    for partition, value in values.items():
        ok, loaded = outcomes[partition]
        if h.intact(part_out(key, spec, partition)):
            if not ok:
                raise RequirementViolation(
                    "IOM-ID-012" if some_load else "IOM-PART-004",
                    f"partition {partition!r} raised {loaded!r}"
                    + (" while other partitions of its asset load" if some_load else ""),
                    h.counterexample(),
                )
            if not h.subject.equals(loaded, value):
                raise RequirementViolation(
                    _blame_wrong_value(h, loaded, values),
                    f"partition {partition!r} loaded {loaded!r}, stored {value!r}",
                    h.counterexample(loaded=loaded),
                )
        elif ok and not h.subject.equals(loaded, value):
            raise RequirementViolation(
                _blame_wrong_value(h, loaded, values),
                f"partition {partition!r}, replaced by the unpartitioned asset, loaded "
                f"{loaded!r} (its own value was {value!r})",
                h.counterexample(loaded=loaded),
            )


@check("IOM-ID-012", "IOM-PART-004")
def partitions_isolated(env: CheckEnv) -> None:
    """Law: each partition loads (bare) its own value, never another partition's; after the
    unpartitioned asset of the same key is stored (before or after its partitions), the kind
    stored earlier may be lost -- its load returns its own value or raises, never the other
    kind's value -- while the kind stored last loads its own value. A refusal of the later kind
    must be a structural one (IOM-STORE-009, checked by the harness). The explicit cases probe
    path-like static keys and four hourly partitions of one day. IOM-ID-012, IOM-PART-004."""

    def body(h: Harness, case: Case, vals: list[object], plain: object, plain_first: bool) -> None:
        key, spec, window = case
        values = dict(zip(window, vals, strict=False))
        unpartitioned = OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=key)
        if plain_first and not h.store(unpartitioned, plain, requirement="IOM-ID-012"):
            return
        if not store_all(h, "IOM-ID-012", key, spec, values):
            return
        _check_partitions(h, key, spec, values)  # isolated from each other
        if not plain_first:
            h.store(unpartitioned, plain, requirement="IOM-ID-012")
            _check_partitions(h, key, spec, values)  # now possibly lost, never replaced
        ok, loaded = h.load_outcome(InputSpec(upstream=unpartitioned, asset_key=key))
        if h.intact(unpartitioned):
            if not ok or not h.subject.equals(loaded, plain):
                raise RequirementViolation(
                    "IOM-ID-012",
                    f"unpartitioned asset loaded {loaded!r}, stored {plain!r}",
                    h.counterexample(loaded=loaded),
                )
        elif ok and not (h.may_be_lost(unpartitioned) and h.subject.equals(loaded, plain)):
            raise RequirementViolation(
                "IOM-ID-012",
                f"unpartitioned asset loaded {loaded!r}, but "
                + (
                    f"its own value was {plain!r}"
                    if h.may_be_lost(unpartitioned)
                    else "it was never stored"
                ),
                h.counterexample(loaded=loaded),
            )

    *probe_vals, probe_plain = env.n_distinct_values(len(ISOLATION_PROBE.keys) + 1)
    hours = tuple(HOURLY_PROBE.build().get_partition_keys())
    env.run(
        body,
        explicit=[
            {
                "case": (("x",), probe, keys),
                "vals": probe_vals,
                "plain": probe_plain,
                "plain_first": first,
            }
            for probe, keys, first in ((ISOLATION_PROBE, ISOLATION_PROBE.keys, False),
                                       (ISOLATION_PROBE, ISOLATION_PROBE.keys, True),
                                       (HOURLY_PROBE, hours, False))
        ],
        case=cases(definitions_for(env)),
        vals=st.lists(env.subject.values, min_size=4, max_size=4),
        plain=env.subject.values,
        plain_first=st.booleans(),
    )


@check("IOM-PART-005", "IOM-PART-006")
def range_loads_aligned_mapping(env: CheckEnv) -> None:
    """Law: loading a range of ≥2 stored partitions gives a mapping with exactly the range's keys,
    each mapped to its own value. IOM-PART-005/006."""

    def body(h: Harness, case: Case, vals: list[object]) -> None:
        key, spec, window = case
        values = dict(zip(window, vals, strict=False))
        if len(values) < 2 or not store_all(h, "IOM-PART-005", key, spec, values):
            return
        loaded = h.load(range_in(key, spec, (window[0], window[-1])), requirement="IOM-PART-005")
        expect_mapping(h, "IOM-PART-005", loaded, values)

    env.run(
        body,
        case=cases(definitions_for(env, ranges=True)),
        vals=st.lists(env.subject.values.filter(lambda v: v is not None), min_size=4, max_size=4),
    )


@check("IOM-PART-007", "IOM-PART-008")
def missing_partitions(env: CheckEnv) -> None:
    """Law: a range or partition with a missing partition raises, unless
    allow_missing_partitions, which leaves missing keys out and keeps every present key's own
    value. IOM-PART-007/008."""

    def body(h: Harness, case: Case, vals: list[object], missing: int) -> None:
        key, spec, window = case
        gone = window[missing % len(window)]
        values = {p: v for p, v in zip(window, vals, strict=False) if p != gone}
        if not store_all(h, "IOM-PART-007", key, spec, values):
            return
        single = InputSpec(
            upstream=part_out(key, spec, gone),
            asset_key=key,
            partition_key=gone,
            partitions_def=spec,
        )
        for spec_in in (single, range_in(key, spec, (window[0], window[-1]))):
            ok, loaded = h.load_outcome(spec_in)
            if ok:
                raise RequirementViolation(
                    "IOM-PART-007",
                    f"missing partition {gone!r} loaded {loaded!r}",
                    h.counterexample(loaded=loaded),
                )
        if len(window) >= 2 and env.subject.capabilities.partition_ranges:
            loaded = h.load(
                range_in(key, spec, (window[0], window[-1]), allow_missing=True),
                requirement="IOM-PART-008",
            )
            expect_mapping(h, "IOM-PART-008", loaded, values)

    env.run(
        body,
        case=cases(definitions_for(env, ranges=True)),
        missing=st.integers(0, 3),
        vals=st.lists(env.subject.values.filter(lambda v: v is not None), min_size=4, max_size=4),
    )


@check("IOM-PART-016", "IOM-PART-015")
def multi_partition_round_trip(env: CheckEnv) -> None:
    """Law: each multi-partition key stores and loads separately; a range over them loads a
    mapping keyed by the key strings, iterating in the definition's key order. IOM-PART-016,
    IOM-PART-015 (order)."""

    def body(h: Harness, case: Case, vals: list[object]) -> None:
        key, spec, window = case
        values = dict(zip(window, vals, strict=False))
        if not store_all(h, "IOM-PART-016", key, spec, values):
            return
        for partition, value in values.items():
            loaded = h.load(partition_in(key, spec, partition), requirement="IOM-PART-016")
            if not h.subject.equals(loaded, value):
                raise RequirementViolation(
                    "IOM-PART-016",
                    f"{partition!r} loaded {loaded!r}",
                    h.counterexample(loaded=loaded),
                )
        if len(window) < 2 or not env.subject.capabilities.partition_ranges:
            return
        spec_in = range_in(key, spec, (window[0], window[-1]))
        loaded = h.load(spec_in, requirement="IOM-PART-016")
        keys = {str(k) for k in h.input_context(spec_in).asset_partition_keys}
        if keys != {str(k) for k in values}:
            return  # the rectangle is not the window: only alignment is checked elsewhere
        expect_mapping(h, "IOM-PART-016", loaded, values)
        assert is_mapping(loaded)
        in_order = [str(k) for k in spec.build().get_partition_keys() if str(k) in keys]
        if not _in_an_allowed_order(loaded, in_order, h.input_context(spec_in)):
            raise RequirementViolation(
                "IOM-PART-015",
                f"multi-partition range iterates {[str(k) for k in loaded]}, expected {in_order}",
                h.counterexample(loaded=loaded),
            )

    probe_keys = tuple(MULTI_ORDER_PROBE.build().get_partition_keys())
    env.run(
        body,
        explicit=[
            {
                "case": (("m",), MULTI_ORDER_PROBE, probe_keys),
                "vals": list(env.n_distinct_values(len(probe_keys))),
            }
        ],
        case=cases(multi_partitions_specs(), size=2),
        vals=st.lists(env.subject.values.filter(lambda v: v is not None), min_size=2, max_size=2),
    )


@check("IOM-PART-009")
def empty_range_loads_none(env: CheckEnv) -> None:
    """Law: a reversed (empty) range loads None. IOM-PART-009."""

    def body(h: Harness, case: Case, vals: list[object]) -> None:
        key, spec, window = case
        if len(window) < 2 or not store_all(
            h, "IOM-PART-009", key, spec, dict(zip(window, vals, strict=False))
        ):
            return
        ok, loaded = h.load_outcome(range_in(key, spec, (window[-1], window[0])))
        if not ok or loaded is not None:
            raise RequirementViolation(
                "IOM-PART-009", f"empty range gave {loaded!r}", h.counterexample(loaded=loaded)
            )

    range_check(env, "IOM-PART-009", body)


@check("IOM-PART-010")
def multi_partition_outputs_refused(env: CheckEnv) -> None:
    """Law: storing an output that covers several partitions raises. IOM-PART-010."""

    def body(h: Harness, case: Case, vals: list[object]) -> None:
        key, spec, window = case
        if len(window) < 2:
            return
        out = OutputSpec(
            run_id="run-1",
            step_key="s",
            name="result",
            asset_key=key,
            partition_key_range=(window[0], window[-1]),
            partitions_def=spec,
        )
        if h.store(out, vals[0], may_fail=True):
            raise RequirementViolation(
                "IOM-PART-010", "a multi-partition output was stored", h.counterexample()
            )

    range_check(env, "IOM-PART-010", body)


def _in_an_allowed_order(loaded: Mapping[object, object], in_order: Sequence[object],
                         handed: Any) -> bool:
    """Whether a range mapping iterates in the definition's order (``in_order``), or in the
    order the input context ``handed`` out its keys when that is not the definition's: a
    manager that keeps the context's order is not blamed for the provider's defect (Dagster's
    contexts hand out hash-ordered ranges; that is IOM-PART-001, reported apart)."""
    got = [str(k) for k in loaded]
    context_order = [str(k) for k in handed.asset_partition_keys]
    return got == [str(k) for k in in_order] or (
        context_order != [str(k) for k in in_order] and got == context_order)


def _load_window(
    h: Harness, case: Case, vals: list[object], rid: str
) -> Mapping[object, object] | None:
    """Store every partition of the window and load the whole range; ``None`` when refused."""
    key, spec, window = case
    values = dict(zip(window, vals, strict=False))
    if len(values) < 2 or not store_all(h, rid, key, spec, values):
        return None
    loaded = h.load(range_in(key, spec, (window[0], window[-1])), requirement=rid)
    if not is_mapping(loaded):
        raise RequirementViolation(
            "IOM-PART-005", f"range loaded {loaded!r}, not a mapping", h.counterexample()
        )
    return loaded


@check("IOM-PART-015", reports=("IOM-PART-005",))
def range_order(env: CheckEnv) -> None:
    """Law: a range mapping iterates in the definition's key order (always probed with an
    unsorted static definition, ["c", "a", "d", "b", ...]); a range that does not load as a
    mapping at all is reported as IOM-PART-005. IOM-PART-015."""

    def body(h: Harness, case: Case, vals: list[object]) -> None:
        loaded = _load_window(h, case, vals, "IOM-PART-015")
        key, spec, window = case
        if loaded is None:
            return
        handed = h.input_context(range_in(key, spec, (window[0], window[-1])))
        if not _in_an_allowed_order(loaded, list(window[: len(vals)]), handed):
            raise RequirementViolation(
                "IOM-PART-015",
                f"iterates {[str(k) for k in loaded]}, expected {list(window[: len(vals)])}",
                h.counterexample(loaded=loaded),
            )

    probe = {
        "case": (("x",), ORDER_PROBE, ORDER_PROBE.keys[:4]),
        "vals": list(env.n_distinct_values(4)),
    }
    range_check(env, "IOM-PART-015", body, explicit=(probe,))


@check("IOM-PART-017", reports=("IOM-PART-005",))
def range_keeps_none(env: CheckEnv) -> None:
    """Law: a range mapping keeps partitions that stored None (with value None), and every key
    maps to its own value; a range that does not load as a mapping at all is reported as
    IOM-PART-005. IOM-PART-017."""

    def body(h: Harness, case: Case, vals: list[object]) -> None:
        loaded = _load_window(h, case, vals, "IOM-PART-017")
        if loaded is not None:
            expect_mapping(h, "IOM-PART-017", loaded, dict(zip(case[2], vals, strict=False)))

    first, third, fourth = env.n_distinct_values(3)
    probe = {
        "case": (("x",), ORDER_PROBE, ORDER_PROBE.keys[1:5]),
        "vals": [first, None, third, fourth],
    }
    range_check(env, "IOM-PART-017", body, with_none=True, explicit=(probe,))
