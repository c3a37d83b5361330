"""Storage checks: round trip, overwrite, missing data, persistence (IOM-STORE-*)."""

from __future__ import annotations

from hypothesis import strategies as st

from conformance.checks.base import (
    CheckEnv,
    Harness,
    NotApplicable,
    RequirementViolation,
    check,
    identity_of,
    outputs_for,
)
from conformance.contexts import OutputSpec, PartitionsSpec
from conformance.strategies.contexts import input_spec_for


def _distinct_pair(env: CheckEnv) -> st.SearchStrategy[tuple[OutputSpec, OutputSpec]]:
    outputs = outputs_for(env.subject)
    return st.tuples(outputs, outputs).filter(lambda p: identity_of(p[0]) != identity_of(p[1]))


def _expect_equal(
    h: Harness, requirement: str, loaded: object, expected: object, what: str
) -> None:
    if not h.subject.equals(loaded, expected):
        raise RequirementViolation(
            requirement,
            f"{what}: loaded {loaded!r}, expected {expected!r}",
            h.counterexample(loaded=loaded, expected=expected),
        )


@check("IOM-STORE-001", "IOM-STORE-002")
def round_trip(env: CheckEnv) -> None:
    """Law: load_input(input for X) == the value stored by handle_output(X), None included
    when the subject declares ``stores_none`` (else None is never stored here: IOM-SEC-003
    checks it is refused).

    IOM-STORE-001 (round trip), IOM-STORE-002 (None round trips)."""

    def body(h: Harness, out: OutputSpec, value: object) -> None:
        rid = "IOM-STORE-002" if value is None else "IOM-STORE-001"
        if h.store(out, value, requirement=rid):
            _expect_equal(h, rid, h.load(input_spec_for(out), requirement=rid), value, "round trip")

    values = env.subject.values
    if env.subject.capabilities.stores_none:
        values = st.none() | values
    env.run(body, out=outputs_for(env.subject, exotic=True), value=values)


@check("IOM-STORE-003")
def overwrite(env: CheckEnv) -> None:
    """Law: after storing a then b under one identifier, loading returns b. IOM-STORE-003."""

    def body(h: Harness, out: OutputSpec, first: object, second: object) -> None:
        if not h.store(out, first, requirement="IOM-STORE-003"):
            return
        if not h.store(out, second, requirement="IOM-STORE-003"):
            return
        loaded = h.load(input_spec_for(out), requirement="IOM-STORE-003")
        _expect_equal(h, "IOM-STORE-003", loaded, second, "overwrite")

    env.run(body, out=outputs_for(env.subject), first=env.subject.values, second=env.subject.values)


@check("IOM-STORE-005")
def missing_raises(env: CheckEnv) -> None:
    """Law: loading an identifier never stored raises (even when others are stored).

    IOM-STORE-005."""

    def body(h: Harness, pair: tuple[OutputSpec, OutputSpec], value: object) -> None:
        stored, missing = pair
        if not h.store(stored, value):
            return
        ok, loaded = h.load_outcome(input_spec_for(missing))
        if ok:
            raise RequirementViolation(
                "IOM-STORE-005",
                f"loading a never-stored output returned {loaded!r}",
                h.counterexample(loaded=loaded),
            )

    env.run(body, pair=_distinct_pair(env), value=env.subject.values)


@check("IOM-SEC-004")
def missing_error_type(env: CheckEnv) -> None:
    """Law: the error for missing data is a LookupError or an OSError. IOM-SEC-004."""

    def body(h: Harness, out: OutputSpec) -> None:
        ok, error = h.load_outcome(input_spec_for(out))
        if not ok and not isinstance(error, LookupError | OSError):
            raise RequirementViolation(
                "IOM-SEC-004",
                f"missing data raised {type(error).__name__}, not LookupError/OSError",
                h.counterexample(),
            )

    env.run(body, out=outputs_for(env.subject))


@check("IOM-STORE-006")
def loading_changes_nothing(env: CheckEnv) -> None:
    """Law: loading A twice gives equal values, and leaves B's value unchanged. IOM-STORE-006."""

    def body(h: Harness, pair: tuple[OutputSpec, OutputSpec], a: object, b: object) -> None:
        first, second = pair
        if not h.store(first, a):
            return
        if not h.store(second, b):
            return
        if h.intact(first):  # else the other kind of the same asset replaced it (IOM-ID-012)
            once = h.load(input_spec_for(first), requirement="IOM-STORE-006")
            twice = h.load(input_spec_for(first), requirement="IOM-STORE-006")
            _expect_equal(h, "IOM-STORE-006", twice, once, "second load")
        other = h.load(input_spec_for(second), requirement="IOM-STORE-006")
        _expect_equal(h, "IOM-STORE-006", other, b, "other identifier after loads")

    env.run(body, pair=_distinct_pair(env), a=env.subject.values, b=env.subject.values)


@check("IOM-STORE-007")
def failed_store_keeps_old(env: CheckEnv) -> None:
    """Law: if storing an unpicklable value (a lambda) raises, the earlier value still loads;
    if it does not raise, the lambda loads back. IOM-STORE-007."""

    def body(h: Harness, out: OutputSpec, old: object) -> None:
        if not h.store(out, old, requirement="IOM-STORE-007"):
            return
        bad = lambda: None  # noqa: E731 - deliberately unpicklable
        stored = h.store(out, bad, may_fail=True)
        loaded = h.load(input_spec_for(out), requirement="IOM-STORE-007")
        if stored and loaded is not bad and not callable(loaded):
            raise RequirementViolation(
                "IOM-STORE-007",
                f"stored a lambda without error but loaded {loaded!r}",
                h.counterexample(loaded=loaded),
            )
        if not stored:
            _expect_equal(h, "IOM-STORE-007", loaded, old, "value after a failed store")

    env.run(body, out=outputs_for(env.subject), old=env.subject.values)


@check("IOM-STORE-004", needs=("durable",))
def persistence(env: CheckEnv) -> None:
    """Law: a new instance on the same storage loads what an earlier one stored. IOM-STORE-004."""

    def body(h: Harness, out: OutputSpec, value: object) -> None:
        if not h.store(out, value, requirement="IOM-STORE-004"):
            return
        h.new_instance()
        loaded = h.load(input_spec_for(out), requirement="IOM-STORE-004")
        _expect_equal(h, "IOM-STORE-004", loaded, value, "load from a new instance")

    env.run(body, out=outputs_for(env.subject), value=env.subject.values)


@check("IOM-STORE-008", needs=("durable",))
def no_stale_reads(env: CheckEnv) -> None:
    """Law: when instance A overwrites a value that instance B already loaded, both load the new
    value. IOM-STORE-008."""

    def body(h: Harness, out: OutputSpec, old: object, new: object) -> None:
        writer = h.manager
        if not h.store(out, old, requirement="IOM-STORE-008"):
            return
        reader = h.new_instance()
        h.load(input_spec_for(out), requirement="IOM-STORE-008")
        h.manager = writer
        h.trace.append({"op": "switch_to_first_instance"})
        if not h.store(out, new, requirement="IOM-STORE-008"):
            return
        h.manager = reader
        h.trace.append({"op": "switch_to_second_instance"})
        loaded = h.load(input_spec_for(out), requirement="IOM-STORE-008")
        _expect_equal(h, "IOM-STORE-008", loaded, new, "reader after another instance wrote")

    env.run(body, out=outputs_for(env.subject), old=env.subject.values, new=env.subject.values)


_PARTS = PartitionsSpec("static", keys=("p", "q"))


def _structural_cases(env: CheckEnv) -> list[tuple[OutputSpec, OutputSpec]]:
    """Pairs of distinct identifiers whose component sequences are prefix-related or equal."""
    caps = env.subject.capabilities
    op = OutputSpec(run_id="run-1", step_key="s", name="result")
    mapped = OutputSpec(run_id="run-1", step_key="s", name="result", mapping_key="k")
    short = OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=("a",))
    long = OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=("a", "b"))
    spelled = OutputSpec(run_id="run-2", step_key="s", name="r", asset_key=("run-1", "s", "result"))
    nested = OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=("x", "p"))
    partition = OutputSpec(
        run_id="run-1",
        step_key="s",
        name="result",
        asset_key=("x",),
        partition_key="p",
        partitions_def=_PARTS,
    )
    sibling = OutputSpec(run_id="run-1", step_key="s", name="other")
    under = OutputSpec(
        run_id="run-1",
        step_key="s",
        name="result",
        asset_key=("a",),
        partition_key="p",
        partitions_def=_PARTS,
    )
    pairs: list[tuple[OutputSpec, OutputSpec]] = []
    if caps.op_outputs:
        pairs += [(op, mapped), (op, sibling)]
    if caps.assets:
        pairs.append((short, long))
        if caps.op_outputs:
            pairs.append((op, spelled))
        if caps.partitions:
            # related: equal sequences; unrelated control: ["a", "b"] vs ["a", "p"]
            pairs += [(nested, partition), (long, under)]
    return [case for first, second in pairs for case in ((first, second), (second, first))]


def _isolation_requirement(first: OutputSpec, second: OutputSpec) -> str:
    """Which isolation law a value showing through between ``first`` and ``second`` breaks."""
    if first.asset_key is not None and first.asset_key == second.asset_key:
        return "IOM-ID-012"
    if first.asset_key is not None or second.asset_key is not None:
        return "IOM-ID-011"
    return "IOM-ID-010"


@check("IOM-STORE-009", "IOM-SEC-003", reports=("IOM-ID-010", "IOM-ID-011", "IOM-ID-012"))
def structural_refusals(env: CheckEnv) -> None:
    """Law: for two distinct identifiers whose component sequences are equal or prefix-related
    (op output and its mapped output, assets ["a"] and ["a", "b"], an asset spelling an op
    identifier, asset ["x", "p"] and partition p of ["x"]), storing both either keeps both
    values loadable, or the second store is refused with a clear, typed error and the first
    value stays intact (the harness checks the refusal). Control pairs whose sequences are not
    related (op outputs "result" and "other"; asset ["a", "b"] and partition p of ["a"]) must
    both be stored. Every refusal is noted in the report. A value showing through between the
    two is reported as the isolation requirement it breaks (IOM-ID-010/011/012), another wrong
    value as IOM-STORE-001. IOM-STORE-009, IOM-SEC-003."""
    cases = _structural_cases(env)
    if not cases:
        raise NotApplicable("the subject declares neither op_outputs nor assets")

    def body(h: Harness, case: tuple[OutputSpec, OutputSpec], a: object, b: object) -> None:
        first, second = case
        if not h.store(first, a, requirement="IOM-STORE-001"):
            return
        if not h.store(second, b, requirement="IOM-STORE-001"):
            return  # refused: allowed by IOM-STORE-009, first value verified intact
        for spec, value, other in ((first, a, b), (second, b, a)):
            loaded = h.load(input_spec_for(spec), requirement="IOM-STORE-001")
            rid = "IOM-STORE-001"
            if h.subject.equals(loaded, other) and not h.subject.equals(loaded, value):
                rid = _isolation_requirement(first, second)
            _expect_equal(h, rid, loaded, value, "both prefix-related values stored")

    first_value, second_value = env.distinct_values()  # what the subject stores (K1)
    before = len(env.notes.get("IOM-STORE-009", ()))
    env.run(
        body,
        explicit=[{"case": case, "a": first_value, "b": second_value} for case in cases],
        case=st.sampled_from(cases),
        a=env.subject.values,
        b=env.subject.values,
    )
    if len(env.notes.get("IOM-STORE-009", ())) == before:
        env.note("IOM-STORE-009", "no structural refusal: prefix-related identifiers coexist")
