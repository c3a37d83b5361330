"""Identifier checks: context identifiers (IOM-ID-001..009) and manager isolation (010, 011)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

from conformance.checks.base import (
    CheckEnv,
    Harness,
    RequirementViolation,
    check,
)
from conformance.contexts import InputSpec, OutputSpec
from conformance.strategies.contexts import (
    changes_for,
    input_spec_for,
    one_component_apart,
    op_output_specs,
)
from conformance.strategies.keys import asset_keys, colliding_asset_key_pairs
from conformance.strategies.partitions import (
    multi_partitions_specs,
    partition_key_ranges,
    partition_keys,
    partitions_specs,
)


def expected_identifier(spec: OutputSpec) -> list[str]:
    """The identifier IOM-ID-001/002/003 prescribe for an op output."""
    assert spec.run_id is not None and spec.step_key is not None and spec.name is not None
    if spec.version is not None:
        return ["versioned_outputs", spec.version, spec.step_key, spec.name]
    if spec.mapping_key:
        return [spec.run_id, spec.step_key, spec.name, spec.mapping_key]
    return [spec.run_id, spec.step_key, spec.name]


def _raises(fn: object) -> bool:
    try:
        fn()  # type: ignore[operator]
    except Exception:
        return True
    return False


@check("IOM-ID-001", "IOM-ID-002", "IOM-ID-003", "IOM-ID-005", target="context")
def op_identifiers(env: CheckEnv) -> None:
    """Law: get_identifier() is [run, step, name] (+mapping key), or ["versioned_outputs",
    version, step, name]; the input context's equals its upstream's. IOM-ID-001/002/003/005."""

    def body(out: OutputSpec) -> None:
        rid = (
            "IOM-ID-003"
            if out.version is not None
            else ("IOM-ID-002" if out.mapping_key else "IOM-ID-001")
        )
        got = list(env.contexts.output_context(out).get_identifier())
        if got != expected_identifier(out):
            raise RequirementViolation(
                rid,
                f"get_identifier() is {got}, expected {expected_identifier(out)}",
                {"output": out.to_json()},
            )
        loaded = list(env.contexts.input_context(InputSpec(upstream=out)).get_identifier())
        if loaded != got:
            raise RequirementViolation(
                "IOM-ID-005",
                f"input identifier {loaded} != upstream {got}",
                {"output": out.to_json()},
            )
        if not _raises(
            lambda: env.contexts.input_context(InputSpec(upstream=None)).get_identifier()
        ):
            raise RequirementViolation("IOM-ID-005", "get_identifier() without upstream returned")

    env.run_contexts(body, out=op_output_specs(exotic=True))


@check("IOM-ID-004", target="context")
def version_and_mapping_exclusive(env: CheckEnv) -> None:
    """Law: get_identifier() raises for an output with a version and a mapping key. IOM-ID-004."""

    def body(out: OutputSpec) -> None:
        both = OutputSpec(
            run_id=out.run_id,
            step_key=out.step_key,
            name=out.name,
            mapping_key="0",
            version=out.version or "v1",
        )
        if not _raises(lambda: env.contexts.output_context(both).get_identifier()):
            raise RequirementViolation(
                "IOM-ID-004", "get_identifier() did not raise", {"output": both.to_json()}
            )

    env.run_contexts(body, out=op_output_specs())


@check("IOM-ID-006", "IOM-ID-007", "IOM-ID-009", target="context")
def asset_identifiers(env: CheckEnv) -> None:
    """Law: get_asset_identifier() is the key path (+ the one partition key); it raises without
    an asset key or for several partitions. IOM-ID-006/007/009."""

    @st.composite
    def cases(draw: st.DrawFn) -> tuple[tuple[str, ...], object, tuple[str, str]]:
        key = draw(asset_keys())
        spec = draw(partitions_specs())
        return key, spec, draw(partition_key_ranges(spec))

    def body(case: tuple[tuple[str, ...], object, tuple[str, str]]) -> None:
        key, spec, key_range = case
        got = list(env.contexts.output_context(OutputSpec(asset_key=key)).get_asset_identifier())
        if got != list(key):
            raise RequirementViolation("IOM-ID-006", f"asset identifier {got} for key {list(key)}")
        one = OutputSpec(asset_key=key, partition_key=key_range[0], partitions_def=spec)  # type: ignore[arg-type]
        got = list(env.contexts.output_context(one).get_asset_identifier())
        if got != [*key, key_range[0]]:
            raise RequirementViolation(
                "IOM-ID-007", f"asset identifier {got}", {"output": one.to_json()}
            )
        if not _raises(
            lambda: env.contexts.output_context(
                OutputSpec(run_id="r", step_key="s", name="n")
            ).get_asset_identifier()
        ):
            raise RequirementViolation("IOM-ID-009", "no asset key, but no error")
        if key_range[0] != key_range[1]:
            several = OutputSpec(asset_key=key, partition_key_range=key_range, partitions_def=spec)  # type: ignore[arg-type]
            if not _raises(lambda: env.contexts.output_context(several).get_asset_identifier()):
                raise RequirementViolation(
                    "IOM-ID-009", "several partitions, but no error", {"output": several.to_json()}
                )

    env.run_contexts(body, case=cases())


@check("IOM-ID-008", target="context")
def multi_partition_key_format(env: CheckEnv) -> None:
    """Law: a multi-partition key is the dimension keys joined by "|" in dimension-name order
    and equals that string. IOM-ID-008."""

    @st.composite
    def cases(draw: st.DrawFn) -> tuple[object, str]:
        spec = draw(multi_partitions_specs())
        return spec, draw(partition_keys(spec))

    def body(case: tuple[object, str]) -> None:
        spec, key = case
        by_dim = getattr(key, "keys_by_dimension", None)
        if by_dim is None:
            raise RequirementViolation("IOM-ID-008", f"key {key!r} has no keys_by_dimension")
        joined = "|".join(by_dim[name] for name in sorted(by_dim))
        context = env.contexts.output_context(
            OutputSpec(asset_key=("m",), partition_key=key, partitions_def=spec)  # type: ignore[arg-type]
        )
        if key != joined or context.asset_partition_key != joined:
            raise RequirementViolation(
                "IOM-ID-008", f"key {key!r} / {context.asset_partition_key!r} != {joined!r}"
            )

    env.run_contexts(body, case=cases())


def _isolation(
    h: Harness, rid: str, first: OutputSpec, second: OutputSpec, a: object, b: object
) -> None:
    """Store distinct ``a`` under ``first`` and ``b`` under ``second``, then load both: a load
    returning the other output's value breaks ``rid``; any other wrong value is a failed round
    trip (IOM-STORE-001). A refused store (allowed for non-plain or conflicting identifiers,
    checked by the harness) ends the example."""
    if not (h.store(first, a, requirement=rid) and h.store(second, b, requirement=rid)):
        return
    for spec, value, other in ((first, a, b), (second, b, a)):
        loaded = h.load(input_spec_for(spec), requirement=rid)
        if h.subject.equals(loaded, value):
            continue
        if h.subject.equals(loaded, other):
            raise RequirementViolation(
                rid,
                f"{_describe(spec)} loaded the value stored for "
                f"{_describe(second if spec is first else first)}: {loaded!r} != {value!r}",
                h.counterexample(loaded=loaded, expected=value),
            )
        raise RequirementViolation(
            "IOM-STORE-001",
            f"{_describe(spec)} loaded {loaded!r}, stored {value!r}",
            h.counterexample(loaded=loaded, expected=value),
        )


def _describe(spec: OutputSpec) -> str:
    if spec.asset_key is not None:
        return f"asset {list(spec.asset_key)}"
    return f"op output {expected_identifier(spec)}"


def _distinct(env: CheckEnv) -> st.SearchStrategy[tuple[object, object]]:
    """Two values the subject tells apart (so a value showing through is visible)."""
    equals = env.subject.equals
    return st.tuples(env.subject.values, env.subject.values).filter(
        lambda p: p[0] is not None and p[1] is not None and not equals(p[0], p[1])
    )


_OP_BASES: tuple[OutputSpec, ...] = (
    OutputSpec(run_id="run-1", step_key="op", name="result"),
    OutputSpec(run_id="run-1", step_key="op", name="result", mapping_key="0"),
    OutputSpec(run_id="run-1", step_key="op", name="result", version="v1"),
)


def _one_change_cases() -> list[tuple[OutputSpec, OutputSpec, str]]:
    """One deterministic pair per way two op identifiers can differ in one component."""
    replacements: dict[str, dict[str, Any]] = {
        "run_id": {"run_id": "run-2"},
        "step_key": {"step_key": "op_b"},
        "name": {"name": "out"},
        "mapping_key": {"mapping_key": "1"},
        "add_mapping_key": {"mapping_key": "0"},
        "remove_mapping_key": {"mapping_key": None},
        "version": {"version": "v2"},
        "add_version": {"version": "v1"},
        "remove_version": {"version": None},
    }
    cases: list[tuple[OutputSpec, OutputSpec, str]] = []
    for base in _OP_BASES:
        for change in changes_for(base):
            cases.append((base, replace(base, **replacements[change]), change))
    return cases


@check("IOM-ID-010", needs=("op_outputs",))
def op_outputs_isolated(env: CheckEnv) -> None:
    """Law: two op outputs whose identifiers differ in exactly one component (run id, step key,
    name, mapping key or version; a mapping key or a version added or removed) are stored
    separately: after storing distinct values under both, each loads its own. Every kind of
    change runs first as an explicit example, then hypothesis derives the second output from a
    drawn first one. A value showing through breaks IOM-ID-010; another wrong value is a failed
    round trip (IOM-STORE-001). IOM-ID-010."""
    a, b = env.distinct_values()

    def body(
        h: Harness, pair: tuple[OutputSpec, OutputSpec, str], values: tuple[object, object]
    ) -> None:
        _isolation(h, "IOM-ID-010", pair[0], pair[1], values[0], values[1])

    env.run(
        body,
        explicit=[{"pair": case, "values": (a, b)} for case in _one_change_cases()],
        pair=one_component_apart(),
        values=_distinct(env),
    )


ASSET_COLLISIONS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("a_b",), ("a", "b")),
    (("a/b",), ("a", "b")),
    (("a", ""), ("a",)),
    (("a.b",), ("a", "b")),
    (("a-b",), ("a", "b")),
)
"""Key pairs that a naive join (``_``, ``/``, ``.``, ``-``) or dropping empty components maps to
one place; always checked first (IOM-ID-011)."""


@check("IOM-ID-011", needs=("assets",))
def assets_isolated(env: CheckEnv) -> None:
    """Law: assets with different keys are stored separately: after storing distinct values
    under both keys, each loads its own. The pairs colliding under a naive join
    (:data:`ASSET_COLLISIONS`) run first as explicit examples, then hypothesis draws pairs
    (often colliding ones). A value showing through breaks IOM-ID-011; another wrong value is a
    failed round trip (IOM-STORE-001). IOM-ID-011."""
    a, b = env.distinct_values()

    def body(
        h: Harness,
        keys: tuple[tuple[str, ...], tuple[str, ...]],
        values: tuple[object, object],
    ) -> None:
        first, second = (
            OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=k) for k in keys
        )
        _isolation(h, "IOM-ID-011", first, second, values[0], values[1])

    env.run(
        body,
        explicit=[{"keys": keys, "values": (a, b)} for keys in ASSET_COLLISIONS],
        keys=colliding_asset_key_pairs(),
        values=_distinct(env),
    )
