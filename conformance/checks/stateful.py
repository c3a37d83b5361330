"""A stateful check: random sequences of stores, overwrites, failed stores, loads (single, range,
multi-partition, missing) and fresh instances, against an independent dict model.

Failures are attributed by what last happened to the identifier: an overwrite (IOM-STORE-003), a
failed store (IOM-STORE-007), a new instance (IOM-STORE-004/008), another identifier's value
showing through (IOM-ID-010/011/012), a missing value that loaded (IOM-STORE-005/IOM-PART-007).

The model follows the spec's two allowances: a plain store may be refused only structurally
(IOM-STORE-009: the harness checks a conflicting identifier is stored and intact; the model keeps
the old values), and storing one kind of an asset (unpartitioned, or a partition) makes the other
kind's earlier values "may be lost" (IOM-ID-012): they load themselves or raise, nothing else.
"""

from __future__ import annotations

import shutil
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
)

from conformance.checks.base import CheckEnv, Identity, RequirementViolation, check, identity_of
from conformance.checks.partitions import part_out, range_in
from conformance.contexts import InputSpec, OutputSpec, PartitionsSpec
from conformance.strategies.contexts import input_spec_for, op_output_specs
from conformance.strategies.keys import asset_keys
from conformance.strategies.partitions import key_count, partitions_specs
from reference_impl.narrowing import is_mapping

_UNPICKLABLE = "<unpicklable lambda>"
_MISSING = object()
_identity = identity_of


def _other_kind(ident: Identity, stored: Identity) -> bool:
    """``stored`` is the other kind (unpartitioned vs partition) of ``ident``'s asset."""
    return (
        ident[0] == stored[0] == "asset"
        and ident[1] == stored[1]
        and (ident[2] is None) != (stored[2] is None)
    )


def make_machine(env: CheckEnv) -> type[RuleBasedStateMachine]:
    """A state machine class bound to ``env``'s subject and context factory."""
    subject = env.subject
    caps = subject.capabilities
    key_pool = st.sampled_from([("a",), ("b",), ("a", "b"), ("a_b",), ("b", "a")])
    values = subject.values

    class IOManagerMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            env.examples += 1
            self.tmp, root = env.new_world()
            self.h = env.new_harness(self.tmp, root)
            self.model: dict[Identity, object] = {}
            self.maybe: dict[Identity, object] = {}
            self.history: dict[Identity, str] = {}
            self.spec: PartitionsSpec | None = None
            self.window: tuple[str, ...] = ()

        def teardown(self) -> None:
            shutil.rmtree(self.tmp, ignore_errors=True)

        @initialize(spec=partitions_specs(multi=caps.multi_partitions), start=st.integers(0, 99))
        def choose_partitions(self, spec: PartitionsSpec, start: int) -> None:
            keys, count = spec.build().get_partition_keys(), key_count(spec)
            first = start % count
            self.spec = spec
            self.window = tuple(keys[i] for i in range(first, min(first + 3, count)))

        # ------------------------------------------------------------------ helpers
        def _store(self, out: OutputSpec, value: object) -> None:
            ident = _identity(out)
            if self.h.store(out, value):  # a refusal was checked to be structural and lossless
                self.history[ident] = "overwrite" if ident in self.model else "store"
                self.model[ident] = value
                self.maybe.pop(ident, None)
                for other in [k for k in self.model if _other_kind(ident, k)]:
                    self.maybe[other] = self.model.pop(other)

        def _blame(self, ident: Identity, loaded: object) -> str:
            others = [v for k, v in [*self.model.items(), *self.maybe.items()] if k != ident]
            if any(subject.equals(loaded, v) for v in others):
                return {"op": "IOM-ID-010", "versioned": "IOM-ID-010"}.get(
                    str(ident[0]), "IOM-ID-012" if ident[2] is not None else "IOM-ID-011"
                )
            return {
                "overwrite": "IOM-STORE-003",
                "failed": "IOM-STORE-007",
                "reopened": "IOM-STORE-004",
            }.get(self.history.get(ident, ""), "IOM-STORE-001")

        def _check_load(self, out: OutputSpec, spec_in: InputSpec) -> None:
            ident = _identity(out)
            ok, loaded = self.h.load_outcome(spec_in)
            if ident in self.maybe:  # IOM-ID-012: its own earlier value, or an error
                own = self.maybe[ident]
                if ok and not (
                    callable(loaded) if own is _UNPICKLABLE else subject.equals(loaded, own)
                ):
                    raise RequirementViolation(
                        "IOM-ID-012",
                        f"a value replaced by the other kind of its asset loaded {loaded!r} "
                        f"(its own was {own!r})",
                        self.h.counterexample(loaded=loaded, expected=own),
                    )
                return
            if ident not in self.model:
                if ok:
                    rid = "IOM-PART-007" if out.partition_key is not None else "IOM-STORE-005"
                    raise RequirementViolation(
                        rid,
                        f"loading never-stored data returned {loaded!r}",
                        self.h.counterexample(loaded=loaded),
                    )
                return
            expected = self.model[ident]
            if not ok:
                rid = self._blame(ident, None)
                raise RequirementViolation(rid, f"load raised {loaded!r}", self.h.counterexample())
            if expected is _UNPICKLABLE:
                if not callable(loaded):
                    raise RequirementViolation(
                        "IOM-STORE-007",
                        f"stored lambda loaded {loaded!r}",
                        self.h.counterexample(loaded=loaded),
                    )
            elif not subject.equals(loaded, expected):
                raise RequirementViolation(
                    self._blame(ident, loaded),
                    f"loaded {loaded!r}, model has {expected!r}",
                    self.h.counterexample(loaded=loaded, expected=expected),
                )

        # ------------------------------------------------------------------ rules
        @precondition(lambda self: caps.op_outputs)
        @rule(out=op_output_specs(), value=values)
        def store_op(self, out: OutputSpec, value: object) -> None:
            self._store(out, value)

        @precondition(lambda self: caps.op_outputs)
        @rule(out=op_output_specs())
        def load_op(self, out: OutputSpec) -> None:
            self._check_load(out, input_spec_for(out))

        @precondition(lambda self: caps.assets)
        @rule(key=key_pool | asset_keys(exotic=False), value=values)
        def store_asset(self, key: tuple[str, ...], value: object) -> None:
            self._store(
                OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=key), value
            )

        @precondition(lambda self: caps.assets)
        @rule(key=key_pool, run=st.sampled_from(["run-1", "run-2"]))
        def load_asset(self, key: tuple[str, ...], run: str) -> None:
            out = OutputSpec(run_id=run, step_key="s", name="result", asset_key=key)
            self._check_load(out, input_spec_for(out))

        @precondition(lambda self: caps.assets and caps.partitions)
        @rule(key=key_pool, index=st.integers(0, 2), value=values)
        def store_partition(self, key: tuple[str, ...], index: int, value: object) -> None:
            assert self.spec is not None
            self._store(part_out(key, self.spec, self.window[index % len(self.window)]), value)

        @precondition(lambda self: caps.assets and caps.partitions)
        @rule(key=key_pool, index=st.integers(0, 2))
        def load_partition(self, key: tuple[str, ...], index: int) -> None:
            assert self.spec is not None
            out = part_out(key, self.spec, self.window[index % len(self.window)])
            spec_in = InputSpec(
                upstream=out,
                asset_key=key,
                partition_key=out.partition_key,
                partitions_def=self.spec,
            )
            self._check_load(out, spec_in)

        @precondition(lambda self: caps.assets and caps.partitions and caps.partition_ranges)
        @rule(key=key_pool, allow=st.booleans())
        def load_range(self, key: tuple[str, ...], allow: bool) -> None:
            assert self.spec is not None
            if len(self.window) < 2 or self.spec.kind == "multi":
                return  # multi ranges are rectangles, not windows (IOM-PART-016 checks them)
            present = {
                p: self.model[_identity(part_out(key, self.spec, p))]
                for p in self.window
                if _identity(part_out(key, self.spec, p)) in self.model
            }
            maybe = {
                p: self.maybe[_identity(part_out(key, self.spec, p))]
                for p in self.window
                if _identity(part_out(key, self.spec, p)) in self.maybe
            }
            ok, loaded = self.h.load_outcome(
                range_in(key, self.spec, (self.window[0], self.window[-1]), allow)
            )
            if maybe:  # IOM-ID-012: partitions replaced by the unpartitioned asset
                if ok and is_mapping(loaded):
                    own = {**present, **maybe}
                    for k, v in loaded.items():
                        wanted = own.get(str(k), _MISSING)
                        if wanted is _MISSING or (
                            wanted is not _UNPICKLABLE and not subject.equals(v, wanted)
                        ):
                            raise RequirementViolation(
                                "IOM-ID-012",
                                f"range key {k!r} loaded {v!r}",
                                self.h.counterexample(loaded=loaded),
                            )
                return
            complete = len(present) == len(self.window)
            if not (complete or allow):
                if ok:
                    raise RequirementViolation(
                        "IOM-PART-007",
                        f"range with missing partitions loaded {loaded!r}",
                        self.h.counterexample(),
                    )
                return
            rid = "IOM-PART-005" if complete else "IOM-PART-008"
            if not ok or not is_mapping(loaded):
                raise RequirementViolation(
                    rid, f"range load gave {loaded!r}", self.h.counterexample()
                )
            got = {str(k): v for k, v in loaded.items()}
            wanted = {k: v for k, v in present.items() if v is not None}
            got_cmp = {k: v for k, v in got.items() if v is not None}
            if set(got_cmp) != set(wanted):
                raise RequirementViolation(
                    "IOM-PART-006" if complete else "IOM-PART-008",
                    f"range keys {sorted(got)} vs stored {sorted(present)}",
                    self.h.counterexample(loaded=loaded),
                )
            for k, v in wanted.items():
                if v is not _UNPICKLABLE and not subject.equals(got_cmp[k], v):
                    raise RequirementViolation(
                        rid,
                        f"{k!r} loaded {got_cmp[k]!r}, stored {v!r}",
                        self.h.counterexample(loaded=loaded),
                    )

        @rule(data=st.data())
        def store_unpicklable(self, data: st.DataObject) -> None:
            if not self.model:
                return
            ident = data.draw(st.sampled_from(sorted(self.model, key=repr)))
            out = self._output_for(ident)
            if out is None:
                return
            if self.h.store(out, lambda: None, may_fail=True):
                self.model[ident] = _UNPICKLABLE
            else:
                self.history[ident] = "failed"

        def _output_for(self, ident: Identity) -> OutputSpec | None:
            kind = ident[0]
            if kind == "asset":
                key, partition = ident[1], ident[2]
                if partition is None:
                    return OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=key)  # type: ignore[arg-type]
                assert self.spec is not None
                return part_out(key, self.spec, str(partition))  # type: ignore[arg-type]
            if kind == "versioned":
                return OutputSpec(
                    run_id="run-x",
                    step_key=str(ident[2]),
                    name=str(ident[3]),
                    version=str(ident[1]),
                )
            return OutputSpec(
                run_id=str(ident[1]),
                step_key=str(ident[2]),
                name=str(ident[3]),
                mapping_key=None if ident[4] is None else str(ident[4]),
            )

        @precondition(lambda self: caps.durable)
        @rule()
        def new_instance(self) -> None:
            self.h.new_instance()
            for ident in self.model:
                self.history[ident] = "reopened"

    return IOManagerMachine


@check(
    "IOM-STORE-001",
    "IOM-STORE-003",
    "IOM-STORE-005",
    "IOM-STORE-006",
    "IOM-STORE-007",
    "IOM-STORE-004",
    "IOM-STORE-008",
    "IOM-ID-010",
    "IOM-ID-011",
    "IOM-ID-012",
    "IOM-PART-004",
    "IOM-PART-005",
    "IOM-PART-006",
    "IOM-PART-007",
    "IOM-PART-008",
    "IOM-PART-016",
)
def stateful_model(env: CheckEnv) -> None:
    """Law: after any sequence of stores, overwrites, failed stores and instance changes, every
    load agrees with a dict model: stored values load back (single partition bare, ranges as
    aligned mappings), never-stored ones raise unless allow_missing_partitions skips them; a
    plain store is refused only structurally (IOM-STORE-009, old values intact), and values of
    the other kind of an asset may be lost but never load another's value (IOM-ID-012).
    IOM-STORE-001/003/004/005/006/007/008, IOM-ID-010/011/012, IOM-PART-004..008/016."""
    machine: Any = make_machine(env)
    env.run_machine(machine)
