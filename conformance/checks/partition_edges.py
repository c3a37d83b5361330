"""Partition edge cases Dagster users reported (IOM-PART-021, IOM-PART-022, IOM-ID-012).

``allow_missing_partitions`` on a one-partition load (dagster#28942); range mappings keyed by the
partition key strings themselves, time keys included (community-integrations#330); and an asset
stored unpartitioned before it became partitioned (dagster#19613): a never-stored partition of
it never loads the old unpartitioned value.
"""

from __future__ import annotations

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, Harness, RequirementViolation, check
from conformance.checks.partition_cases import (
    Case,
    cases,
    definitions_for,
    part_out,
    partition_in,
    range_in,
    store_all,
)
from conformance.contexts import InputSpec, OutputSpec, PartitionsSpec
from reference_impl.narrowing import is_mapping

__all__ = ["DAILY_PROBE"]

DAILY_PROBE = PartitionsSpec("daily", start="2024-01-01", end="2024-01-05")
"""Four daily keys, ``"2024-01-01"`` to ``"2024-01-04"``: keys a date column would hold."""
_STATIC_PROBE = PartitionsSpec("static", keys=("a", "b", "c"))


def _values(env: CheckEnv) -> st.SearchStrategy[object]:
    return env.subject.values.filter(lambda v: v is not None)


def _allowing(spec: InputSpec) -> InputSpec:
    return InputSpec(
        upstream=spec.upstream,
        asset_key=spec.asset_key,
        partition_key=spec.partition_key,
        partitions_def=spec.partitions_def,
        definition_metadata={"allow_missing_partitions": True},
    )


@check("IOM-PART-021", needs=("assets", "partitions"))
def allow_missing_single_partition(env: CheckEnv) -> None:
    """Law: with allow_missing_partitions truthy, a one-partition load of a stored partition
    returns its value bare (not ``{key: value}``), and of a never-stored partition returns
    None or raises; never a mapping, never another partition's value. IOM-PART-021."""

    def body(h: Harness, case: Case, vals: list[object], missing: int) -> None:
        key, spec, window = case
        gone = window[missing % len(window)]
        values = {p: v for p, v in zip(window, vals, strict=False) if p != gone}
        if not store_all(h, "IOM-PART-021", key, spec, values):
            return
        for partition, value in values.items():
            loaded = h.load(_allowing(partition_in(key, spec, partition)),
                            requirement="IOM-PART-021")
            if not h.subject.equals(loaded, value):
                raise RequirementViolation(
                    "IOM-PART-021",
                    f"partition {partition!r} loaded {loaded!r} under allow_missing_partitions, "
                    f"expected its value bare: {value!r}",
                    h.counterexample(loaded=loaded, expected=value),
                )
        ok, loaded = h.load_outcome(_allowing(partition_in(key, spec, gone)))
        if ok and loaded is not None:
            shape = "a mapping" if is_mapping(loaded) else "a value"
            raise RequirementViolation(
                "IOM-PART-021",
                f"never-stored partition {gone!r} loaded {shape} under allow_missing_partitions "
                f"({loaded!r}), expected None or the missing-data error",
                h.counterexample(loaded=loaded),
            )

    first, second = env.n_distinct_values(2)
    env.run(
        body,
        explicit=[{"case": (("x",), _STATIC_PROBE, _STATIC_PROBE.keys),
                   "vals": [first, second, first], "missing": 2}],
        case=cases(definitions_for(env)),
        vals=st.lists(_values(env), min_size=4, max_size=4),
        missing=st.integers(0, 3),
    )


@check("IOM-PART-022", needs=("assets", "partitions", "partition_ranges"))
def range_mapping_keys_are_the_keys(env: CheckEnv) -> None:
    """Law: the mapping a range loads as has exactly the context's partition keys as its keys,
    compared with ``==`` (not ``str``): ``date(2024, 1, 1)`` is not the key ``"2024-01-01"``.
    Always probed with a daily definition. IOM-PART-022."""

    def body(h: Harness, case: Case, vals: list[object]) -> None:
        key, spec, window = case
        values = dict(zip(window, vals, strict=False))
        if len(values) < 2 or not store_all(h, "IOM-PART-022", key, spec, values):
            return
        spec_in = range_in(key, spec, (window[0], window[-1]))
        loaded = h.load(spec_in, requirement="IOM-PART-022")
        if not is_mapping(loaded):
            return  # not a mapping at all: IOM-PART-005's business
        expected = list(h.input_context(spec_in).asset_partition_keys)
        strange: list[object] = [k for k in loaded if not isinstance(k, str) or k not in expected]
        if strange:
            raise RequirementViolation(
                "IOM-PART-022",
                f"range mapping keys {[repr(k) for k in loaded][:6]} are not the partition "
                f"keys {expected[:6]}: {strange[0]!r} ({type(strange[0]).__name__}) is none of "
                "them",
                h.counterexample(loaded=loaded),
            )

    daily = tuple(DAILY_PROBE.build().get_partition_keys())
    env.run(
        body,
        explicit=[{"case": (("x",), DAILY_PROBE, daily), "vals": list(env.n_distinct_values(4))}],
        case=cases(definitions_for(env, ranges=True)),
        vals=st.lists(_values(env), min_size=4, max_size=4),
    )


@check("IOM-ID-012", needs=("assets", "partitions"), reports=("IOM-PART-007",))
def repartitioned_asset_hides_old_value(env: CheckEnv) -> None:
    """Law: after an asset was stored unpartitioned, a partition of the same asset key that was
    never stored does not load the old unpartitioned value (IOM-ID-012); it raises, as any
    missing partition (IOM-PART-007), whether or not other partitions were stored since (a
    structural refusal of those stores is allowed, IOM-STORE-009). dagster#19613."""

    def body(h: Harness, case: Case, plain: object, vals: list[object], stored: int) -> None:
        key, spec, window = case
        old = OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=key)
        if not h.store(old, plain, requirement="IOM-ID-012"):
            return
        count = stored % len(window)
        for partition, value in zip(window[:count], vals, strict=False):
            if not h.store(part_out(key, spec, partition), value, may_fail=True):
                break
        for partition in window[count:]:
            ok, loaded = h.load_outcome(partition_in(key, spec, partition))
            if not ok:
                continue
            rid = "IOM-ID-012" if h.subject.equals(loaded, plain) else "IOM-PART-007"
            raise RequirementViolation(
                rid,
                f"never-stored partition {partition!r} of asset {list(key)} loaded {loaded!r}"
                + (" (the value stored when the asset was unpartitioned)"
                   if rid == "IOM-ID-012" else ""),
                h.counterexample(loaded=loaded),
            )

    first, *probe = env.n_distinct_values(3)
    env.run(
        body,
        explicit=[
            {"case": (("x",), _STATIC_PROBE, _STATIC_PROBE.keys), "plain": first,
             "vals": probe, "stored": stored}
            for stored in (0, 1)
        ],
        case=cases(definitions_for(env)),
        plain=_values(env),
        vals=st.lists(_values(env), min_size=4, max_size=4),
        stored=st.integers(0, 3),
    )
