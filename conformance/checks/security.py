"""Security checks: confinement to the storage root, keys as data, clear errors (IOM-SEC-*)."""

from __future__ import annotations

import hashlib
import pathlib
from dataclasses import replace

from hypothesis import strategies as st

from conformance.checks.base import (
    CheckEnv,
    Harness,
    NotApplicable,
    RequirementViolation,
    check,
    outputs_for,
)
from conformance.contexts import OutputSpec, PartitionsSpec
from conformance.strategies.contexts import input_spec_for, op_output_specs
from conformance.strategies.keys import asset_keys
from conformance.strategies.partitions import partition_keys, static_partitions_specs


def _snapshot(directory: pathlib.Path, skip: pathlib.Path) -> dict[str, str]:
    """Path -> content digest of everything below ``directory`` except under ``skip``."""
    found: dict[str, str] = {}
    for path in sorted(directory.rglob("*")):
        if path == skip or skip in path.parents:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        found[str(path.relative_to(directory))] = digest
    return found


@st.composite
def exotic_outputs(draw: st.DrawFn, *, assets: bool, partitions: bool) -> OutputSpec:
    """Outputs whose identifiers use path syntax, empty, unicode or very long components."""
    options = ["op"] + (["asset"] if assets else []) + (["partition"] if partitions else [])
    kind = draw(st.sampled_from(options))
    if kind == "op":
        return draw(op_output_specs(exotic=True))
    key = draw(asset_keys(exotic=True))
    if kind == "asset":
        return OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=key)
    spec = draw(static_partitions_specs(exotic=True))
    return OutputSpec(
        run_id="run-1",
        step_key="s",
        name="result",
        asset_key=key,
        partition_key=draw(partition_keys(spec)),
        partitions_def=spec,
    )


def _exotic(env: CheckEnv) -> st.SearchStrategy[OutputSpec]:
    caps = env.subject.capabilities
    return exotic_outputs(assets=caps.assets, partitions=caps.assets and caps.partitions)


ADVERSARIAL_ASSET_KEYS: tuple[tuple[str, ...], ...] = (
    ("..", "x"),
    ("..", "..", "x"),
    ("..",),
    ("/abs",),
    ("x", "/abs"),
    (".",),
    ("",),
    ("a", ""),
    ("a/b",),
    ("a\\b",),
    ("x" * 300,),
    ("a", "y" * 300),
    ("é", "日本"),
)
"""Asset keys every IOM-SEC-001/002 run stores first, whatever the profile."""

USER_FILE = "input.csv"
"""A file the user owns, at ``<sandbox>/absolute/input.csv``: the absolute-path partition key
``"/input.csv"`` names it once re-rooted (dagster#16064: the manager overwrote it)."""
ADVERSARIAL_PARTITION_KEYS: tuple[str, ...] = ("..", ".", "/x", "../x", "", f"/{USER_FILE}",
                                               "a/b")
ADVERSARIAL_PARTITIONS = PartitionsSpec("static", keys=ADVERSARIAL_PARTITION_KEYS)

ADVERSARIAL_OP_OUTPUTS: tuple[OutputSpec, ...] = (
    OutputSpec(run_id="..", step_key="..", name="x"),
    OutputSpec(run_id="..", step_key="s", name="result"),
    OutputSpec(run_id="/abs", step_key="s", name="result"),
    OutputSpec(run_id="run-1", step_key="../..", name="result"),
    OutputSpec(run_id="run-1", step_key="s", name="../x"),
    OutputSpec(run_id="run-1", step_key="s", name="/abs"),
    OutputSpec(run_id="run-1", step_key="s", name="result", mapping_key=".."),
    OutputSpec(run_id="run-1", step_key="s", name="result", mapping_key="../../x"),
    OutputSpec(run_id="run-1", step_key="s", name="result", version="../.."),
)


def adversarial_outputs(env: CheckEnv) -> list[OutputSpec]:
    """The deterministic adversarial outputs within the subject's capabilities: path syntax as
    the first component and deeper, absolute paths (re-rooted into the example's sandbox by the
    harness, never the real ``/``), empty, very long and unicode components."""
    caps = env.subject.capabilities
    found: list[OutputSpec] = list(ADVERSARIAL_OP_OUTPUTS) if caps.op_outputs else []
    if caps.assets:
        found += [
            OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=key)
            for key in ADVERSARIAL_ASSET_KEYS
        ]
        if caps.partitions:
            found += [
                OutputSpec(
                    run_id="run-1",
                    step_key="s",
                    name="result",
                    asset_key=asset_key,
                    partition_key=partition,
                    partitions_def=ADVERSARIAL_PARTITIONS,
                )
                for asset_key in (("p",), ("..",))
                for partition in ADVERSARIAL_PARTITION_KEYS
            ]
    return found


@check("IOM-SEC-001")
def confined_to_root(env: CheckEnv) -> None:
    """Law: for any identifiers, nothing appears or changes outside the storage root (the
    factory gets <sandbox>/l1/l2/l3/l4/root; the whole sandbox is compared before and after).
    Every run first stores the deterministic adversarial outputs (``..`` first and deeper,
    absolute paths, empty, long, unicode components; partition keys, run ids, step keys,
    names, mapping keys and versions with ``..`` and ``/``; a partition key that is the
    absolute path of an existing user file, which must stay unchanged). IOM-SEC-001."""

    def body(h: Harness, out: OutputSpec, value: object) -> None:
        assert h.root is not None and h.sandbox is not None
        outside = h.sandbox
        (outside / "sibling.txt").write_text("untouched")
        (outside / "absolute").mkdir(exist_ok=True)
        (outside / "absolute" / USER_FILE).write_text("a user's input file")
        before = _snapshot(outside, h.root)
        if h.store(out, value):
            h.load_outcome(input_spec_for(out))
        after = _snapshot(outside, h.root)
        if after != before:
            changed = sorted(set(after.items()) ^ set(before.items()))
            raise RequirementViolation(
                "IOM-SEC-001",
                f"changed outside the root: {changed}",
                h.counterexample(changed=changed),
            )

    probe = env.distinct_values()[0]  # a value the subject stores (K1), never a fixed one
    env.run(
        body,
        explicit=[{"out": out, "value": probe} for out in adversarial_outputs(env)],
        out=_exotic(env),
        value=env.subject.values,
    )


@check("IOM-SEC-002", "IOM-SEC-003")
def path_syntax_is_data(env: CheckEnv) -> None:
    """Law: an exotic key either round-trips or is rejected with a clear typed error, and a
    plain value stored before stays intact either way (when it does not, and the same value
    does not round-trip under a fresh identifier either, the failure is IOM-STORE-001, not
    damage done by the exotic key); the deterministic adversarial outputs of IOM-SEC-001 always
    run first. IOM-SEC-002/003."""

    def body(h: Harness, out: OutputSpec, value: object, anchor_value: object) -> None:
        anchor = OutputSpec(run_id="anchor-run", step_key="anchor", name="result")
        if env.subject.capabilities.assets and not env.subject.capabilities.op_outputs:
            anchor = OutputSpec(run_id="anchor-run", step_key="s", name="r", asset_key=("anchor",))
        if not h.store(anchor, anchor_value, requirement="IOM-SEC-003"):
            return
        if h.store(out, value):  # a rejection was already checked to be clear (IOM-SEC-003)
            loaded = h.load(input_spec_for(out), requirement="IOM-SEC-002")
            if not h.subject.equals(loaded, value):
                raise RequirementViolation(
                    "IOM-SEC-002", f"exotic key loaded {loaded!r}", h.counterexample(loaded=loaded)
                )
        ok, kept = h.load_outcome(input_spec_for(anchor))
        if not ok or not h.subject.equals(kept, anchor_value):
            rid = _blame(h, anchor, anchor_value)
            raise RequirementViolation(
                rid,
                "an unrelated value stored before "
                + (f"no longer loads ({kept!r})" if not ok else f"became {kept!r}")
                + _NEVER_ROUND_TRIPS.get(rid, ""),
                h.counterexample(loaded=kept),
            )

    exotic_value, anchor_value = env.distinct_values()  # what the subject stores (K1)
    env.run(
        body,
        explicit=[
            {"out": out, "value": exotic_value, "anchor_value": anchor_value}
            for out in adversarial_outputs(env)
        ],
        out=_exotic(env),
        value=env.subject.values,
        anchor_value=env.subject.values,
    )


_NEVER_ROUND_TRIPS = {
    "IOM-STORE-001": "; the value does not round-trip under a fresh identifier either"
}
"""What a message adds when :func:`_blame` finds the value never round-trips."""


def _blame(h: Harness, spec: OutputSpec, value: object) -> str:
    """Which law a lost ``value`` of ``spec`` breaks: IOM-SEC-003 (the probe damaged it) when
    ``value`` round-trips under a fresh identifier of the same kind, else IOM-STORE-001 (it never
    round-trips, whatever the probe did)."""
    key = spec.asset_key
    fresh = replace(
        spec,
        run_id=None if spec.run_id is None else f"{spec.run_id}-check",
        asset_key=None if key is None else (*key[:-1], f"{key[-1]}_check"),
    )
    if not h.store(fresh, value, may_fail=True):
        return "IOM-STORE-001"
    ok, loaded = h.load_outcome(input_spec_for(fresh))
    return "IOM-SEC-003" if ok and h.subject.equals(loaded, value) else "IOM-STORE-001"


def _none_probes(env: CheckEnv) -> list[OutputSpec]:
    """One op output and one asset (within the capabilities) for the explicit None probes."""
    caps = env.subject.capabilities
    probes: list[OutputSpec] = []
    if caps.op_outputs:
        probes.append(OutputSpec(run_id="run-1", step_key="op", name="result"))
    if caps.assets:
        probes.append(OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=("a",)))
    return probes


@check("IOM-SEC-003")
def none_is_refused_unless_declared(env: CheckEnv) -> None:
    """Law: a subject that does not declare ``stores_none`` refuses ``None`` as input it does not
    store: after storing a value v under X, storing ``None`` under X raises a clear, typed error
    (an ``Exception`` with a message, not a bare ``AssertionError``), and X still loads v.
    Storing ``None`` without an error (kept, or silently dropped) breaks the law, and so does
    losing v (unless v does not round-trip under a fresh identifier either: that is
    IOM-STORE-001). Not applicable to subjects that store ``None`` (IOM-STORE-002 checks them).
    IOM-SEC-003."""
    if env.subject.capabilities.stores_none:
        raise NotApplicable("the subject declares stores_none: IOM-STORE-002 applies instead")

    def body(h: Harness, out: OutputSpec, value: object) -> None:
        if not h.store(out, value):
            return  # a refused plain store was judged by the harness (IOM-STORE-009/001)
        if h.store(out, None, may_fail=True):  # a raise was checked to be clear (IOM-SEC-003)
            raise RequirementViolation(
                "IOM-SEC-003",
                "handle_output accepted None without an error, but the subject does not declare "
                "stores_none: a value outside what the manager stores must be refused with a "
                "typed error",
                h.counterexample(),
            )
        ok, loaded = h.load_outcome(input_spec_for(out))
        if not ok or not h.subject.equals(loaded, value):
            rid = _blame(h, out, value)
            raise RequirementViolation(
                rid,
                "after refusing None, the value stored earlier under the same identifier "
                + (f"no longer loads ({loaded!r})" if not ok else f"became {loaded!r}")
                + _NEVER_ROUND_TRIPS.get(rid, ""),
                h.counterexample(loaded=loaded, expected=value),
            )

    value = env.distinct_values()[0]
    env.run(
        body,
        explicit=[{"out": out, "value": value} for out in _none_probes(env)],
        out=outputs_for(env.subject),
        value=env.subject.values.filter(lambda v: v is not None),
    )
