"""The per-example :class:`Harness`: fresh storage, the manager, the model of what must load
back, and the trace of calls that becomes the counterexample and the reproduction."""

from __future__ import annotations

import pathlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from conformance.checks.descriptions import (
    brief,
    describe_error,
    describe_input,
    describe_output,
    describe_partitioning,
)
from conformance.checks.identity import (
    Identity,
    Partitioning,
    StoredEntry,
    component_sequence,
    identity_of,
    kinds_clash,
    partitioning_of,
    same_asset_other_kind,
    structurally_related,
)
from conformance.checks.rejections import (
    CONTROL_EXCEPTIONS,
    clear_rejection_problem,
    is_plain_spec,
    raised_in,
)
from conformance.checks.sandbox import rerooted
from conformance.checks.signals import RequirementViolation
from conformance.contexts import ContextFactory, InputSpec, OutputSpec
from conformance.isolation.calls import tracked
from conformance.subject import Subject
from reference_impl.narrowing import is_mapping

__all__ = ["Harness", "describe_input", "describe_output", "input_spec_for_output"]


@dataclass
class Harness:
    """One example's world: fresh storage, the manager, and a trace of calls."""

    subject: Subject
    contexts: ContextFactory
    root: pathlib.Path | None
    manager: Any
    trace: list[dict[str, object]] = field(default_factory=list[dict[str, object]])
    namespace: str | None = None
    sandbox: pathlib.Path | None = None
    """A private directory around the storage root: absolute-path key components are re-rooted
    into it, so a manager that treats them as paths writes there (seen by IOM-SEC-001), never
    to the real ``/``."""
    on_note: Callable[[str, str], None] | None = None
    stored: dict[Identity, StoredEntry] = field(default_factory=dict[Identity, StoredEntry])
    """The model: identifiers (scoped) whose value must load back unchanged."""
    maybe_lost: dict[Identity, StoredEntry] = field(default_factory=dict[Identity, StoredEntry])
    """Identifiers whose value may be gone (IOM-ID-012: the other kind of the same asset was
    stored later): loading returns this value or raises."""

    def new_instance(self) -> Any:
        """Replace :attr:`manager` with a fresh instance on the same storage."""
        self.trace.append({"op": "new_instance"})
        with tracked("construct", self.subject.name):
            self.manager = self.subject.make(self.root)
        return self.manager

    def _scoped(self, spec: OutputSpec) -> OutputSpec:
        spec = rerooted(spec, self.sandbox)
        if self.namespace is None:
            return spec
        return replace(
            spec,
            run_id=None if spec.run_id is None else f"{self.namespace}-{spec.run_id}",
            asset_key=None if spec.asset_key is None else (self.namespace, *spec.asset_key),
        )

    def _scoped_input(self, spec: InputSpec) -> InputSpec:
        spec = rerooted(spec, self.sandbox)
        upstream = None if spec.upstream is None else self._scoped(spec.upstream)
        if self.namespace is None:
            return replace(spec, upstream=upstream)
        return replace(
            spec,
            upstream=upstream,
            asset_key=None if spec.asset_key is None else (self.namespace, *spec.asset_key),
        )

    # ------------------------------------------------------------------ the model

    def intact(self, spec: OutputSpec) -> bool:
        """Whether the model says ``spec``'s value must still load back unchanged."""
        return identity_of(self._scoped(spec)) in self.stored

    def may_be_lost(self, spec: OutputSpec) -> bool:
        """Whether ``spec``'s value may be gone (IOM-ID-012); it then loads itself or raises."""
        return identity_of(self._scoped(spec)) in self.maybe_lost

    def _record_stored(
        self, spec: OutputSpec, value: object, partitioning: Partitioning | None = None
    ) -> None:
        ident = identity_of(self._scoped(spec))
        self.maybe_lost.pop(ident, None)
        for other in [i for i in self.stored if same_asset_other_kind(i, ident)]:
            self.maybe_lost[other] = self.stored.pop(other)
        self.stored[ident] = StoredEntry(spec, value, partitioning)

    def _record_range(
        self,
        spec: OutputSpec,
        keys: Sequence[str],
        value: object,
        partitioning: Partitioning | None,
    ) -> None:
        """A stored range output: each partition of the range now holds its share of
        ``value`` (a ``PartitionShares`` with exactly the range's keys), or, for any other
        value, something the model does not know (the partitions leave the model)."""
        shares = value if is_mapping(value) and set(value) == set(keys) else None
        for key in keys:
            one = replace(spec, partition_key=key, partition_key_range=None)
            if shares is not None:
                self._record_stored(one, shares[key], partitioning)
            else:
                ident = identity_of(self._scoped(one))
                self.stored.pop(ident, None)
                self.maybe_lost.pop(ident, None)

    def structural_conflicts(self, spec: OutputSpec) -> list[StoredEntry]:
        """Stored (or maybe-lost) identifiers other than ``spec``'s that conflict with it under
        IOM-STORE-009: a component sequence equal to, a prefix of, or an extension of
        ``spec``'s, or a parent sequence that the two need to hold different kinds."""
        scoped = self._scoped(spec)
        sequence = component_sequence(scoped)
        if sequence is None:
            return []
        ident = identity_of(scoped)
        found: list[StoredEntry] = []
        for other, entry in [*self.stored.items(), *self.maybe_lost.items()]:
            other_sequence = component_sequence(self._scoped(entry.spec))
            if (
                other != ident
                and other_sequence is not None
                and (
                    structurally_related(sequence, other_sequence)
                    or kinds_clash(scoped, self._scoped(entry.spec))
                )
            ):
                found.append(entry)
        return found

    def partitioning_conflicts(
        self, spec: OutputSpec, partitioning: Partitioning | None
    ) -> list[StoredEntry]:
        """Stored (or maybe-lost) partitions of ``spec``'s asset whose partitioning differs from
        ``partitioning``, the one ``spec`` (a partition or range output) gives it
        (IOM-STORE-009: a table cannot change its partitioning in place)."""
        if partitioning is None or spec.asset_key is None:
            return []
        asset = tuple(self._scoped(spec).asset_key or ())
        return [
            entry
            for ident, entry in [*self.stored.items(), *self.maybe_lost.items()]
            if ident[0] == "asset"
            and ident[1] == asset
            and entry.partitioning is not None
            and entry.partitioning != partitioning
        ]

    def _refusal_allowed(
        self, spec: OutputSpec, error: Exception, partitioning: Partitioning | None = None
    ) -> bool:
        """IOM-STORE-009: a clear refusal justified by a stored conflicting identifier, or by
        stored partitions of the same asset with another partitioning, with every stored value
        of the conflict still intact (checked here; IOM-SEC-003 otherwise)."""
        structural = self.structural_conflicts(spec)
        repartitioned = [
            e
            for e in self.partitioning_conflicts(spec, partitioning)
            if all(e is not other for other in structural)
        ]
        conflicts = structural + repartitioned
        if not conflicts:
            return False
        problem = clear_rejection_problem(error)
        if problem is not None:
            raise RequirementViolation(
                "IOM-SEC-003", f"a structural refusal is not a clear error: {problem}"
            ) from error
        self.trace[-1]["allowed_by"] = "IOM-STORE-009"
        for entry in conflicts:
            if identity_of(self._scoped(entry.spec)) not in self.stored:
                continue  # may be lost anyway (IOM-ID-012)
            ok, loaded = self.load_outcome(input_spec_for_output(entry.spec))
            if not ok or not _same_value(self.subject.equals, loaded, entry.value):
                raise RequirementViolation(
                    "IOM-SEC-003",
                    f"after refusing {component_sequence(spec)}, the stored value of "
                    f"{component_sequence(entry.spec)} "
                    + (f"no longer loads ({loaded!r})" if not ok else f"became {loaded!r}"),
                    self.counterexample(),
                )
        if self.on_note is not None:
            first = conflicts[0]
            why = (
                f"conflicts with stored {describe_output(first.spec)}"
                if structural
                else f"stored {describe_output(first.spec)} is partitioned differently: "
                f"{describe_partitioning(first.partitioning)}, not "
                f"{describe_partitioning(partitioning)}"
            )
            self.on_note(
                "IOM-STORE-009",
                f"refused {describe_output(spec)} ({why}): {describe_error(error)[:160]}",
            )
        return True

    def output_context(self, spec: OutputSpec) -> Any:
        """A fresh output context for ``spec`` (scoped for shared-instance subjects)."""
        return self.contexts.output_context(self._scoped(spec))

    def input_context(self, spec: InputSpec) -> Any:
        """A fresh input context for ``spec``."""
        return self.contexts.input_context(self._scoped_input(spec))

    def store(
        self,
        spec: OutputSpec,
        value: object,
        *,
        requirement: str = "IOM-STORE-001",
        may_fail: bool = False,
    ) -> bool:
        """Store ``value`` through a fresh output context; True when stored.

        Raising is allowed (False is returned) when ``may_fail`` or when ``spec`` has non-plain
        components, provided the error is a clear, typed rejection (IOM-SEC-003). Otherwise a
        raise violates ``requirement`` (or IOM-META-007 when it came from metadata handling).
        """
        self.trace.append(
            {
                "op": "store",
                "output": spec.to_json(),
                "value": brief(value),
                "value_repr": repr(value),
            }
        )
        plain = is_plain_spec(spec)
        try:
            context = self.output_context(spec)
        except Exception as error:
            if plain:
                raise
            # the framework itself refuses this key: it never reaches a manager
            self.trace[-1]["context_refused"] = describe_error(error)
            return False
        partitioning = partitioning_of(spec, context)
        try:
            with tracked("handle_output", describe_output(spec)):
                self.manager.handle_output(context, value)
        except BaseException as error:
            if isinstance(error, CONTROL_EXCEPTIONS):
                raise
            self.trace[-1]["raised"] = describe_error(error)
            if raised_in(error, "add_output_metadata"):
                raise RequirementViolation(
                    "IOM-META-007",
                    f"handle_output passed invalid or duplicate metadata: {error!r}",
                ) from error
            if (
                not (may_fail or not plain)
                # a BaseException (a panic) is never an allowed structural refusal
                and not (
                    isinstance(error, Exception)
                    and self._refusal_allowed(spec, error, partitioning)
                )
            ):
                raise RequirementViolation(
                    requirement,
                    f"handle_output raised {describe_error(error)} for a plain output "
                    "(no stored identifier conflicts with it, so IOM-STORE-009 does not allow "
                    "the refusal)",
                ) from error
            problem = clear_rejection_problem(error)
            if problem is not None:
                raise RequirementViolation(
                    "IOM-SEC-003", f"handle_output rejected input unclearly: {problem}"
                ) from error
            return False
        if spec.asset_key is not None and spec.partition_key_range is not None:
            keys = [str(k) for k in context.asset_partition_keys]
            self._record_range(spec, keys, value, partitioning)
        else:
            self._record_stored(spec, value, partitioning)
        return True

    def load(self, spec: InputSpec, *, requirement: str = "IOM-STORE-001") -> object:
        """Load through a fresh input context; a raise violates ``requirement``."""
        self.trace.append({"op": "load", "input": spec.to_json()})
        context = self.input_context(spec)  # a context error is not the manager's
        try:
            with tracked("load_input", describe_input(spec)):
                return self.manager.load_input(context)
        except BaseException as error:
            if isinstance(error, CONTROL_EXCEPTIONS):
                raise
            self.trace[-1]["raised"] = describe_error(error)
            raise RequirementViolation(
                requirement, f"load_input raised {describe_error(error)}"
            ) from error

    def load_outcome(self, spec: InputSpec) -> tuple[bool, object]:
        """``(True, value)`` when loading succeeds, ``(False, error)`` when it raises."""
        self.trace.append({"op": "load", "input": spec.to_json()})
        context = self.input_context(spec)  # a context error is not the manager's
        try:
            with tracked("load_input", describe_input(spec)):
                return True, self.manager.load_input(context)
        except BaseException as error:
            if isinstance(error, CONTROL_EXCEPTIONS):
                raise
            self.trace[-1]["raised"] = describe_error(error)
            return False, error

    def counterexample(self, **extra: object) -> dict[str, object]:
        """The JSON-able counterexample: the call trace plus ``extra``."""
        return {"steps": list(self.trace), **{k: brief(v) for k, v in extra.items()}}


def _same_value(equals: Callable[[object, object], bool], loaded: object, value: object) -> bool:
    """Model comparison; a stored callable (an unpicklable lambda) only needs to load callable."""
    if callable(value) and not isinstance(value, type):
        return callable(loaded)
    return equals(loaded, value)


def input_spec_for_output(spec: OutputSpec) -> InputSpec:
    """The input that loads exactly ``spec`` (as ``strategies.contexts.input_spec_for``)."""
    return InputSpec(
        upstream=spec,
        asset_key=spec.asset_key,
        partition_key=spec.partition_key,
        partition_key_range=spec.partition_key_range,
        partitions_def=spec.partitions_def,
    )
