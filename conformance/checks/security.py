"""Security checks: confinement to the storage root, keys as data, clear errors (IOM-SEC-*)."""

from __future__ import annotations

import hashlib
import pathlib

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, Harness, RequirementViolation, check
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

ADVERSARIAL_PARTITION_KEYS: tuple[str, ...] = ("..", ".", "/x", "../x", "")
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
    names, mapping keys and versions with ``..`` and ``/``). IOM-SEC-001."""

    def body(h: Harness, out: OutputSpec, value: object) -> None:
        assert h.root is not None and h.sandbox is not None
        outside = h.sandbox
        (outside / "sibling.txt").write_text("untouched")
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

    env.run(
        body,
        explicit=[{"out": out, "value": 42} for out in adversarial_outputs(env)],
        out=_exotic(env),
        value=env.subject.values,
    )


@check("IOM-SEC-002", "IOM-SEC-003")
def path_syntax_is_data(env: CheckEnv) -> None:
    """Law: an exotic key either round-trips or is rejected with a clear typed error, and a
    plain value stored before stays intact either way; the deterministic adversarial outputs
    of IOM-SEC-001 always run first. IOM-SEC-002/003."""

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
        kept = h.load(input_spec_for(anchor), requirement="IOM-SEC-003")
        if not h.subject.equals(kept, anchor_value):
            raise RequirementViolation(
                "IOM-SEC-003", f"an unrelated value became {kept!r}", h.counterexample(loaded=kept)
            )

    env.run(
        body,
        explicit=[
            {"out": out, "value": "exotic", "anchor_value": "anchor"}
            for out in adversarial_outputs(env)
        ],
        out=_exotic(env),
        value=env.subject.values,
        anchor_value=env.subject.values,
    )
