"""Re-materialisation checks, the laws of DB IO manager test suites (IOM-PART-020,
IOM-STORE-010, IOM-STORE-011).

Re-storing a partition replaces it alone; storing the same value twice loads as storing it once
(never duplicated rows in a concatenated range load); a ``columns`` projection in an input's
definition metadata loads exactly those columns. Range loads are judged in the shape the subject
declares: a mapping (``partition_ranges``) or one joined value (``concatenated_range_loads``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import strategies as st

from conformance.checks.base import (
    CheckEnv,
    Harness,
    NotApplicable,
    RequirementViolation,
    check,
    outputs_for,
)
from conformance.checks.partition_cases import (
    Case,
    cases,
    definitions_for,
    expect_mapping,
    part_out,
    partition_in,
    range_in,
    store_all,
)
from conformance.contexts import OutputSpec, PartitionsSpec
from conformance.strategies.contexts import input_spec_for
from reference_impl.narrowing import is_mapping

__all__ = ["PROBE", "expect_range", "one_key_mapping"]

PROBE = PartitionsSpec("static", keys=("a", "b", "c", "d"))
"""Four plain static keys for the explicit probes."""


def expect_range(h: Harness, rid: str, case: Case, values: Mapping[str, object]) -> None:
    """Load the whole window of ``case`` as the subject declares ranges load and compare with
    ``values`` (partition -> the value it must hold): an aligned mapping, or ``Subject.concat``
    of the values in window order; nothing when the subject loads no ranges."""
    key, spec, window = case
    caps = h.subject.capabilities
    if len(window) < 2 or not (caps.partition_ranges or caps.concatenated_range_loads):
        return
    loaded = h.load(range_in(key, spec, (window[0], window[-1])), requirement=rid)
    if caps.partition_ranges:
        expect_mapping(h, rid, loaded, values)
        return
    assert h.subject.concat is not None  # a Subject declaring concatenated loads has one
    expected = h.subject.concat([values[p] for p in window])
    if not h.subject.equals(loaded, expected):
        raise RequirementViolation(
            rid,
            f"range {list(window)} loaded {loaded!r}, expected the partitions' current values "
            f"joined once: {expected!r}",
            h.counterexample(loaded=loaded, expected=expected),
        )


def one_key_mapping(h: Harness, loaded: object, partition: str | None, value: object) -> bool:
    """Whether ``loaded`` is ``{partition: value}``: a one-partition load returned as a mapping,
    which breaks IOM-PART-004 (not the law being checked)."""
    return (partition is not None and is_mapping(loaded) and len(loaded) == 1
            and str(next(iter(loaded))) == partition
            and h.subject.equals(next(iter(loaded.values())), value))


def _expect_each(h: Harness, rid: str, case: Case, values: Mapping[str, object], why: str) -> None:
    """Each partition of ``values`` loads (bare) its value, else ``rid`` is violated
    (IOM-PART-004 when it loads as ``{partition: value}``)."""
    key, spec, _ = case
    for partition, value in values.items():
        loaded = h.load(partition_in(key, spec, partition), requirement=rid)
        if not h.subject.equals(loaded, value):
            raise RequirementViolation(
                "IOM-PART-004" if one_key_mapping(h, loaded, partition, value) else rid,
                f"partition {partition!r} loaded {loaded!r}, expected {value!r} ({why})",
                h.counterexample(loaded=loaded, expected=value),
            )


def _values(env: CheckEnv) -> st.SearchStrategy[object]:
    return env.subject.values.filter(lambda v: v is not None)


@check("IOM-PART-020", needs=("assets", "partitions"), reports=("IOM-PART-004",))
def rematerialised_partition_replaces_only_itself(env: CheckEnv) -> None:
    """Law: after storing every partition of a window and then one partition again with a
    new value, that partition loads the new value, every other partition loads its old value,
    and a range load over the window holds exactly those values (a partition that loads as
    ``{key: value}`` is reported as IOM-PART-004). IOM-PART-020."""

    def body(h: Harness, case: Case, vals: list[object], new: object, index: int) -> None:
        key, spec, window = case
        if len(window) < 2:
            return
        values = dict(zip(window, vals, strict=False))
        if not store_all(h, "IOM-PART-020", key, spec, values):
            return
        again = window[index % len(window)]
        if not h.store(part_out(key, spec, again), new, requirement="IOM-PART-020"):
            return
        updated = {**values, again: new}
        _expect_each(h, "IOM-PART-020", case, updated, f"after re-storing only {again!r}")
        expect_range(h, "IOM-PART-020", case, updated)

    a, b, c, d, new = env.n_distinct_values(5)
    env.run(
        body,
        explicit=[{"case": (("x",), PROBE, PROBE.keys), "vals": [a, b, c, d], "new": new,
                   "index": 1}],
        case=cases(definitions_for(env, ranges=True)),
        vals=st.lists(_values(env), min_size=4, max_size=4),
        new=_values(env),
        index=st.integers(0, 3),
    )


@check("IOM-STORE-010", reports=("IOM-PART-020", "IOM-PART-004"))
def storing_twice_never_duplicates(env: CheckEnv) -> None:
    """Law: storing one value twice under an identifier loads that value; for partitions, a
    range load after one partition was stored twice holds it once (mapping, or the values
    joined once). A sibling partition lost by the second store is reported as IOM-PART-020.
    IOM-STORE-010."""

    def single(h: Harness, out: OutputSpec, value: object) -> None:
        if not (h.store(out, value, requirement="IOM-STORE-010")
                and h.store(out, value, requirement="IOM-STORE-010")):
            return
        loaded = h.load(input_spec_for(out), requirement="IOM-STORE-010")
        if not h.subject.equals(loaded, value):
            bare = one_key_mapping(h, loaded, out.partition_key, value)
            raise RequirementViolation(
                "IOM-PART-004" if bare else "IOM-STORE-010",
                f"stored {value!r} twice, loaded {loaded!r}",
                h.counterexample(loaded=loaded, expected=value),
            )

    env.run(single, out=outputs_for(env.subject), value=_values(env))
    caps = env.subject.capabilities
    if not (caps.assets and caps.partitions):
        return

    def ranged(h: Harness, case: Case, vals: list[object], index: int) -> None:
        key, spec, window = case
        values = dict(zip(window, vals, strict=False))
        if len(window) < 2 or not store_all(h, "IOM-STORE-010", key, spec, values):
            return
        again = window[index % len(window)]
        if not h.store(part_out(key, spec, again), values[again], requirement="IOM-STORE-010"):
            return
        why = f"{again!r} stored twice"
        _expect_each(h, "IOM-STORE-010", case, {again: values[again]}, why)
        others = {p: v for p, v in values.items() if p != again}
        _expect_each(h, "IOM-PART-020", case, others, why)  # a sibling lost: not a duplicate
        expect_range(h, "IOM-STORE-010", case, values)

    probe = list(env.n_distinct_values(4))
    env.run(
        ranged,
        explicit=[{"case": (("x",), PROBE, PROBE.keys), "vals": probe, "index": 0}],
        case=cases(definitions_for(env, ranges=True)),
        vals=st.lists(_values(env), min_size=4, max_size=4),
        index=st.integers(0, 3),
    )


def _column_choices(columns: Sequence[str], picks: Sequence[bool]) -> list[str]:
    """A non-empty selection of ``columns`` (the first one when ``picks`` chooses none)."""
    chosen = [c for c, keep in zip(columns, picks, strict=False) if keep]
    return chosen or list(columns[:1])


@check("IOM-STORE-011", needs=("column_projection",))
def column_projection_loads_exactly_those_columns(env: CheckEnv) -> None:
    """Law: with ``columns`` in the input's definition metadata, a stored table loads as
    ``Subject.project`` of it onto those columns (exactly them); a load without ``columns`` is
    the round trip (IOM-STORE-001). IOM-STORE-011."""
    project, columns_of = env.subject.project, env.subject.columns_of
    if project is None or columns_of is None:  # the Subject refuses the capability without
        raise NotApplicable("the subject gives no project/columns_of")

    def body(h: Harness, out: OutputSpec, value: object, picks: list[bool]) -> None:
        columns = list(columns_of(value))
        if not columns or not h.store(out, value, requirement="IOM-STORE-011"):
            return
        chosen = _column_choices(columns, picks)
        spec_in = input_spec_for(out, definition_metadata={"columns": chosen})
        loaded = h.load(spec_in, requirement="IOM-STORE-011")
        expected = project(value, chosen)
        if not h.subject.equals(loaded, expected):
            raise RequirementViolation(
                "IOM-STORE-011",
                f"columns {chosen} loaded {loaded!r}, expected exactly those columns: "
                f"{expected!r}",
                h.counterexample(loaded=loaded, expected=expected, columns=chosen),
            )

    env.run(body, out=outputs_for(env.subject), value=_values(env),
            picks=st.lists(st.booleans(), min_size=4, max_size=4))
