"""The machinery every check shares: registration, violations, and the per-example harness.

A check is a function ``(env: CheckEnv) -> None`` registered with :func:`check` under the
requirement IDs it covers, the party it targets and the capabilities it needs. It runs hypothesis
through :meth:`CheckEnv.run`, and reports a broken law by raising :class:`RequirementViolation`
with the precise requirement ID. Every ID a check may report is declared: the ones it covers,
the extra ones in ``reports=``, and, for manager checks, the harness's own attributions
(:data:`HARNESS_REPORTS`); the runner selects checks by these declarations, so a verdict never
depends on ``only``. The :class:`Harness` builds contexts through the context factory
(checks never build contexts), keeps a trace of manager calls (the counterexample and the
reproduction), and gives each example fresh storage.
"""

from __future__ import annotations

import pathlib
import shutil
import tempfile
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from hypothesis import Phase, example, find, given, settings
from hypothesis import settings as HypothesisSettings
from hypothesis import strategies as st
from hypothesis.errors import StopTest

from conformance.contexts import ContextFactory, InputSpec, OutputSpec, PartitionsSpec
from conformance.strategies.keys import is_plain
from conformance.subject import Subject

__all__ = [
    "CHECKS",
    "HARNESS_REPORTS",
    "Check",
    "CheckEnv",
    "Harness",
    "NotApplicable",
    "RequirementViolation",
    "Target",
    "Identity",
    "check",
    "clear_rejection_problem",
    "component_sequence",
    "identity_of",
    "is_plain_spec",
    "outputs_for",
    "directory_kinds",
    "partitioning_of",
    "kinds_clash",
    "structurally_related",
]

Target = Literal["manager", "context", "definition"]


class RequirementViolation(AssertionError):
    """A law of requirement ``requirement_id`` does not hold; ``counterexample`` is JSON-able."""

    def __init__(
        self, requirement_id: str, message: str, counterexample: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(f"{requirement_id}: {message}")
        self.requirement_id = requirement_id
        self.message = message
        self.counterexample = counterexample


class NotApplicable(Exception):
    """Raised by a check that cannot apply to this subject; the message is the reason."""


HARNESS_REPORTS: tuple[str, ...] = ("IOM-STORE-001", "IOM-META-007", "IOM-SEC-003")
"""What :class:`Harness` itself may report on behalf of any manager check: a failed plain store
or load (IOM-STORE-001, the default ``requirement``), invalid metadata added while storing
(IOM-META-007), an unclear rejection or a refusal that damaged stored values (IOM-SEC-003)."""


@dataclass(frozen=True)
class Check:
    """A registered check.

    ``requirements`` are the requirements it covers (a pass is recorded for them);
    ``reports`` are the other requirements it may report a violation of (never a pass).
    """

    name: str
    requirements: tuple[str, ...]
    target: Target
    needs: frozenset[str]
    run: Callable[[CheckEnv], None]
    doc: str
    reports: tuple[str, ...] = ()

    @property
    def reportable(self) -> frozenset[str]:
        """Every requirement ID this check may record a result for."""
        return frozenset(self.requirements) | frozenset(self.reports)


CHECKS: dict[str, Check] = {}
"""Every registered check by name (filled when ``conformance.checks`` is imported)."""


def check(
    *requirement_ids: str,
    target: Target = "manager",
    needs: tuple[str, ...] = (),
    reports: tuple[str, ...] = (),
) -> Callable[[Callable[[CheckEnv], None]], Callable[[CheckEnv], None]]:
    """Register the decorated function as a check covering ``requirement_ids``.

    ``needs`` are capabilities the check needs beyond those of its requirements. ``reports``
    are the other requirements it may report violations of; a manager check also reports
    :data:`HARNESS_REPORTS`. A violation of an undeclared requirement is a kit bug (the runner
    reports it as an error).
    """

    def register(fn: Callable[[CheckEnv], None]) -> Callable[[CheckEnv], None]:
        name = f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"
        implicit = HARNESS_REPORTS if target == "manager" else ()
        extra = tuple(dict.fromkeys(r for r in (*reports, *implicit) if r not in requirement_ids))
        CHECKS[name] = Check(
            name,
            tuple(requirement_ids),
            target,
            frozenset(needs),
            fn,
            (fn.__doc__ or "").strip(),
            extra,
        )
        return fn

    return register


# --------------------------------------------------------------------------- rejections


def clear_rejection_problem(error: BaseException) -> str | None:
    """Why ``error`` is not a clear, typed rejection (IOM-SEC-003), or ``None`` when it is."""
    if not isinstance(error, Exception):
        return f"{type(error).__name__} is not an Exception"
    if type(error) in (Exception, AssertionError) or isinstance(error, AssertionError):
        return f"a bare {type(error).__name__} is not a typed error"
    if not str(error).strip():
        return f"{type(error).__name__} has an empty message"
    return None


def is_plain_spec(spec: OutputSpec | InputSpec) -> bool:
    """Whether every identifier component of ``spec`` is plain, so it must be accepted."""
    parts: list[str | None] = [spec.name, spec.partition_key]
    parts += [*(spec.asset_key or ()), *(spec.partition_key_range or ())]
    if isinstance(spec, OutputSpec):
        parts += [spec.run_id, spec.step_key, spec.mapping_key, spec.version]
    elif spec.upstream is not None and not is_plain_spec(spec.upstream):
        return False
    definitions = [] if spec.partitions_def is None else [spec.partitions_def]
    definitions += [d for top in definitions for _, d in top.dimensions]
    parts += [k for d in definitions for k in d.keys]
    return all(p is None or is_plain(p) for p in parts)


_CONTROL = (KeyboardInterrupt, SystemExit, GeneratorExit, StopTest)
"""Raised through a manager call but not by the manager's own failure: always re-raised.
Any other ``BaseException`` (e.g. a Rust panic, ``pyo3_runtime.PanicException``) is the
manager's outcome and is judged like an exception (IOM-SEC-003 rejects it as untyped)."""


def _raised_in(error: BaseException, function_name: str) -> bool:
    return any(frame.name == function_name for frame in traceback.extract_tb(error.__traceback__))


Identity = tuple[object, ...]
"""What distinguishes stored data: ``("asset", key, partition)``, ``("versioned", version,
step, name)`` or ``("op", run, step, name, mapping_key)``."""


def identity_of(spec: OutputSpec) -> Identity:
    """The identity of the data ``spec`` stores (an empty mapping key counts as absent)."""
    if spec.asset_key is not None:
        return ("asset", tuple(spec.asset_key), spec.partition_key)
    if spec.version is not None:
        return ("versioned", spec.version, spec.step_key, spec.name)
    return ("op", spec.run_id, spec.step_key, spec.name, spec.mapping_key or None)


def _partition_components(key: str, partitions_def: PartitionsSpec | None) -> tuple[str, ...]:
    """One component per dimension value (dimension-name order) for a multi-partition key."""
    by_dimension = getattr(key, "keys_by_dimension", None)
    if isinstance(by_dimension, Mapping):
        return tuple(str(by_dimension[name]) for name in sorted(by_dimension))
    if partitions_def is not None and partitions_def.kind == "multi":
        return tuple(str(key).split("|"))
    return (str(key),)


def component_sequence(spec: OutputSpec) -> tuple[str, ...] | None:
    """The component sequence of IOM-STORE-009: ``get_identifier()`` of an op output, or the
    asset key path plus the partition's components; ``None`` when ``spec`` names no single
    identifier (a range, or missing op fields)."""
    if spec.asset_key is not None:
        if spec.partition_key_range is not None:
            return None
        parts = tuple(spec.asset_key)
        if spec.partition_key is None:
            return parts
        return parts + _partition_components(spec.partition_key, spec.partitions_def)
    if spec.run_id is None or spec.step_key is None or spec.name is None:
        return None
    if spec.version is not None:
        return ("versioned_outputs", spec.version, spec.step_key, spec.name)
    if spec.mapping_key:
        return (spec.run_id, spec.step_key, spec.name, spec.mapping_key)
    return (spec.run_id, spec.step_key, spec.name)


def structurally_related(left: Sequence[str], right: Sequence[str]) -> bool:
    """Whether one sequence equals, is a strict prefix of, or extends the other (IOM-STORE-009)."""
    shorter, longer = (left, right) if len(left) <= len(right) else (right, left)
    return tuple(longer[: len(shorter)]) == tuple(shorter)


def directory_kinds(spec: OutputSpec) -> dict[tuple[str, ...], str]:
    """The parent sequences ``spec`` occupies, each with the kind it needs there
    (IOM-STORE-009): an op output needs its parent to hold op outputs; an unpartitioned asset
    (or a partitioned asset's own key) needs its parent to hold assets; a partition needs its
    asset's key (and, for multi-partitions, each inner level) to hold partitions."""
    sequence = component_sequence(spec)
    if sequence is None:
        return {}
    if spec.asset_key is None:
        return {sequence[:-1]: "op output"}
    asset = tuple(spec.asset_key)
    kinds = {asset[:-1]: "asset"}
    for depth in range(len(asset), len(sequence)):
        kinds[sequence[:depth]] = "partition"
    return kinds


def kinds_clash(left: OutputSpec, right: OutputSpec) -> bool:
    """Whether ``left`` and ``right`` need one parent sequence to hold different kinds."""
    right_kinds = directory_kinds(right)
    return any(
        parent in right_kinds and right_kinds[parent] != kind
        for parent, kind in directory_kinds(left).items()
    )


def _same_asset_other_kind(stored: Identity, new: Identity) -> bool:
    """IOM-ID-012: ``stored`` is the other kind (unpartitioned vs partition) of ``new``'s asset."""
    if stored[0] != "asset" or new[0] != "asset" or stored[1] != new[1]:
        return False
    return (stored[2] is None) != (new[2] is None)


def _absolute_inside(component: str, sandbox: pathlib.Path) -> str:
    """An absolute-path component, re-rooted into ``sandbox`` (outside the storage root)."""
    if not component.startswith("/"):
        return component
    return str(sandbox / "absolute") + component


@dataclass
class StoredEntry:
    """One identifier the harness model holds: the unscoped spec and the value stored."""

    spec: OutputSpec
    value: object
    partitioning: Partitioning | None = None
    """The partitioning the store gave its asset's data (:func:`partitioning_of`)."""


Partitioning = tuple[str, str | None]
"""How an asset's stored partitions are laid out (IOM-STORE-009): the partitions definition's
family (``static``, ``time window`` or ``multi``) and its ``partition_expr`` definition
metadata (``repr``; ``None`` when absent)."""


def _family(partitions_def: PartitionsSpec) -> str:
    if partitions_def.kind in ("static", "multi"):
        return partitions_def.kind
    return "time window"


def partitioning_of(spec: OutputSpec, context: Any = None) -> Partitioning | None:
    """The partitioning a partition (or range) output gives its asset's stored data, or
    ``None`` for an op output or an unpartitioned asset. ``partition_expr`` is read from the
    built ``context``'s definition metadata when given (a context factory may add it), else from
    ``spec``."""
    if spec.asset_key is None or spec.partitions_def is None:
        return None
    if spec.partition_key is None and spec.partition_key_range is None:
        return None
    metadata: Mapping[str, object] = spec.definition_metadata
    if context is not None:
        try:
            found = context.definition_metadata
        except Exception:
            found = None
        if isinstance(found, Mapping):
            metadata = found
    expr = metadata.get("partition_expr")
    return (_family(spec.partitions_def), None if expr is None else repr(expr))


# --------------------------------------------------------------------------- harness


@dataclass
class Harness:
    """One example's world: fresh storage, the manager, and a trace of calls."""

    subject: Subject
    contexts: ContextFactory
    root: pathlib.Path | None
    manager: Any
    trace: list[dict[str, object]] = field(default_factory=list)
    namespace: str | None = None
    sandbox: pathlib.Path | None = None
    """A private directory around the storage root: absolute-path key components are re-rooted
    into it, so a manager that treats them as paths writes there (seen by IOM-SEC-001), never
    to the real ``/``."""
    on_note: Callable[[str, str], None] | None = None
    stored: dict[Identity, StoredEntry] = field(default_factory=dict)
    """The model: identifiers (scoped) whose value must load back unchanged."""
    maybe_lost: dict[Identity, StoredEntry] = field(default_factory=dict)
    """Identifiers whose value may be gone (IOM-ID-012: the other kind of the same asset was
    stored later): loading returns this value or raises."""

    def new_instance(self) -> Any:
        """Replace :attr:`manager` with a fresh instance on the same storage."""
        self.trace.append({"op": "new_instance"})
        self.manager = self.subject.make(self.root)
        return self.manager

    def _rerooted(self, spec: OutputSpec | InputSpec) -> Any:
        """``spec`` with absolute-path components re-rooted into :attr:`sandbox`."""
        sandbox = self.sandbox
        if sandbox is None:
            return spec

        def fix(text: str) -> str:
            return _absolute_inside(text, sandbox)

        changes: dict[str, Any] = {}
        if spec.asset_key is not None and any(c.startswith("/") for c in spec.asset_key):
            changes["asset_key"] = tuple(map(fix, spec.asset_key))
        if spec.partition_key is not None and spec.partition_key.startswith("/"):
            changes["partition_key"] = fix(spec.partition_key)
        if spec.partition_key_range is not None:
            start, end = spec.partition_key_range
            if start.startswith("/") or end.startswith("/"):
                changes["partition_key_range"] = (fix(start), fix(end))
        pdef = spec.partitions_def
        if pdef is not None and pdef.kind == "static" and any(k.startswith("/") for k in pdef.keys):
            changes["partitions_def"] = replace(pdef, keys=tuple(map(fix, pdef.keys)))
        if isinstance(spec, OutputSpec):
            for name in ("run_id", "step_key", "name", "mapping_key", "version"):
                text = getattr(spec, name)
                if text is not None and text.startswith("/"):
                    changes[name] = fix(text)
        elif spec.name is not None and spec.name.startswith("/"):
            changes["name"] = fix(spec.name)
        return replace(spec, **changes) if changes else spec

    def _scoped(self, spec: OutputSpec) -> OutputSpec:
        spec = self._rerooted(spec)
        if self.namespace is None:
            return spec
        return replace(
            spec,
            run_id=None if spec.run_id is None else f"{self.namespace}-{spec.run_id}",
            asset_key=None if spec.asset_key is None else (self.namespace, *spec.asset_key),
        )

    def _scoped_input(self, spec: InputSpec) -> InputSpec:
        spec = self._rerooted(spec)
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
        for other in [i for i in self.stored if _same_asset_other_kind(i, ident)]:
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
        shares = value if isinstance(value, Mapping) and set(value) == set(keys) else None
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
                f"conflicts with stored {_describe_spec(first.spec)}"
                if structural
                else f"stored {_describe_spec(first.spec)} is partitioned differently: "
                f"{_describe_partitioning(first.partitioning)}, not "
                f"{_describe_partitioning(partitioning)}"
            )
            self.on_note(
                "IOM-STORE-009",
                f"refused {_describe_spec(spec)} ({why}): {_describe_error(error)[:160]}",
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
                "value": _brief(value),
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
            self.trace[-1]["context_refused"] = _describe_error(error)
            return False
        partitioning = partitioning_of(spec, context)
        try:
            self.manager.handle_output(context, value)
        except BaseException as error:
            if isinstance(error, _CONTROL):
                raise
            self.trace[-1]["raised"] = _describe_error(error)
            if _raised_in(error, "add_output_metadata"):
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
                    f"handle_output raised {_describe_error(error)} for a plain output "
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
            return self.manager.load_input(context)
        except BaseException as error:
            if isinstance(error, _CONTROL):
                raise
            self.trace[-1]["raised"] = _describe_error(error)
            raise RequirementViolation(
                requirement, f"load_input raised {_describe_error(error)}"
            ) from error

    def load_outcome(self, spec: InputSpec) -> tuple[bool, object]:
        """``(True, value)`` when loading succeeds, ``(False, error)`` when it raises."""
        self.trace.append({"op": "load", "input": spec.to_json()})
        context = self.input_context(spec)  # a context error is not the manager's
        try:
            return True, self.manager.load_input(context)
        except BaseException as error:
            if isinstance(error, _CONTROL):
                raise
            self.trace[-1]["raised"] = _describe_error(error)
            return False, error

    def counterexample(self, **extra: object) -> dict[str, object]:
        """The JSON-able counterexample: the call trace plus ``extra``."""
        return {"steps": list(self.trace), **{k: _brief(v) for k, v in extra.items()}}


def _describe_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _describe_partitioning(partitioning: Partitioning | None) -> str:
    if partitioning is None:
        return "unpartitioned"
    family, expr = partitioning
    return family if expr is None else f"{family} by partition_expr {expr}"


def _describe_spec(spec: OutputSpec) -> str:
    if spec.asset_key is not None:
        text = f"asset {list(spec.asset_key)}"
        return text if spec.partition_key is None else f"{text} partition {spec.partition_key!r}"
    return f"op output {list(component_sequence(spec) or ())}"


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


def _brief(value: object) -> object:
    """A JSON-able rendering of ``value`` (repr for non-JSON types, truncated)."""
    if value is None or isinstance(value, bool | int | str):
        return value if not isinstance(value, str) or len(value) < 200 else value[:200] + "..."
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else repr(value)
    text = repr(value)
    return text if len(text) < 200 else text[:200] + "..."


# --------------------------------------------------------------------------- environment

_DISTINCT: dict[tuple[Subject, int], tuple[object, ...]] = {}
"""Cache of :meth:`CheckEnv.n_distinct_values` (a search over frames takes up to a second)."""


@dataclass
class CheckEnv:
    """What a check runs against, and the side channel that records examples."""

    subject: Subject
    contexts: ContextFactory
    settings: HypothesisSettings
    stateful_settings: HypothesisSettings
    examples: int = 0
    last_harness: Harness | None = None
    last_extra: dict[str, object] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    """Observations per requirement ID that are not failures (e.g. IOM-STORE-009 refusals)."""
    _distinct: tuple[object, object] | None = field(default=None, repr=False)

    def note(self, requirement_id: str, text: str) -> None:
        """Record an observation for ``requirement_id`` (shown in the report's message)."""
        self.notes.setdefault(requirement_id, []).append(text)

    def distinct_values(self) -> tuple[object, object]:
        """Two values of the subject's ``values`` strategy that are not ``None``, not callable
        and not equal under its ``equals`` (deterministic: the simplest such pair), for explicit
        examples that must tell two stored values apart."""
        if self._distinct is None:
            pairs = st.tuples(self.subject.values, self.subject.values)
            self._distinct = find(
                pairs,
                lambda p: (
                    all(v is not None and not callable(v) for v in p)
                    and not self.subject.equals(p[0], p[1])
                ),
                settings=settings(
                    database=None,
                    derandomize=True,
                    max_examples=500,
                    deadline=None,
                    phases=[Phase.generate],
                ),
            )
        return self._distinct

    def n_distinct_values(self, n: int) -> tuple[object, ...]:
        """``n`` values of the subject's ``values`` strategy, none ``None`` or callable, no two
        equal under its ``equals`` (deterministic, and computed once per subject and ``n``), for
        explicit examples: a probe stores what the subject stores, never a fixed Python value
        a typed manager (a DataFrame manager) would refuse."""
        key: tuple[Subject, int] | None = (self.subject, n)
        try:
            cached = _DISTINCT.get((self.subject, n))
        except TypeError:  # an unhashable field: compute every time
            key, cached = None, None
        if cached is not None:
            return cached
        equals = self.subject.equals
        found = tuple(
            find(
                st.lists(self.subject.values, min_size=n, max_size=n),
                lambda vs: (
                    all(v is not None and not callable(v) for v in vs)
                    and not any(equals(vs[i], vs[j]) for i in range(n) for j in range(i))
                ),
                settings=settings(
                    database=None,
                    derandomize=True,
                    max_examples=1000,
                    deadline=None,
                    phases=[Phase.generate],
                ),
            )
        )
        if key is not None:
            _DISTINCT[key] = found
        return found

    def new_world(self) -> tuple[pathlib.Path, pathlib.Path | None]:
        """A fresh sandbox directory and, for directory subjects, the storage root inside it.

        The root sits five levels below the sandbox, so keys made of ``..`` components that a
        careless manager follows still land inside the sandbox, where IOM-SEC-001 sees them.
        """
        sandbox = pathlib.Path(tempfile.mkdtemp(prefix="iomanager-conformance-"))
        root = None
        if self.subject.takes_directory:
            root = sandbox / "l1" / "l2" / "l3" / "l4" / "root"
            root.mkdir(parents=True)
        return sandbox, root

    def new_harness(self, sandbox: pathlib.Path, root: pathlib.Path | None) -> Harness:
        """A harness on ``root`` (namespaced for shared-instance subjects)."""
        namespace = f"ns{uuid.uuid4().hex[:8]}" if self.subject.shared_instance else None
        harness = Harness(
            self.subject,
            self.contexts,
            root,
            self.subject.make(root),
            namespace=namespace,
            sandbox=sandbox,
            on_note=self.note,
        )
        self.last_harness = harness
        return harness

    @contextmanager
    def harness(self) -> Iterator[Harness]:
        """A fresh world for one example (storage removed afterwards)."""
        self.examples += 1
        sandbox, root = self.new_world()
        try:
            yield self.new_harness(sandbox, root)
        finally:
            shutil.rmtree(sandbox, ignore_errors=True)

    def _examples(
        self, test: Callable[..., None], explicit: Sequence[Mapping[str, Any]]
    ) -> Callable[..., None]:
        for case in reversed(explicit):  # decorators apply bottom-up: keep the listed order
            test = example(**case)(test)
        return test

    def run(
        self,
        body: Callable[..., None],
        *,
        explicit: Sequence[Mapping[str, Any]] = (),
        **strategies: st.SearchStrategy[Any],
    ) -> None:
        """Run ``body(harness, **drawn)`` as a hypothesis test under the profile's settings.

        ``explicit`` cases (keyword arguments for ``body``) always run first, in every profile.
        """

        def test(**drawn: Any) -> None:
            self.last_extra = dict(drawn)
            with self.harness() as harness:
                body(harness, **drawn)

        settings(self.settings)(self._examples(given(**strategies)(test), explicit))()

    def run_contexts(
        self,
        body: Callable[..., None],
        *,
        explicit: Sequence[Mapping[str, Any]] = (),
        **strategies: st.SearchStrategy[Any],
    ) -> None:
        """Run ``body(**drawn)`` (no manager) as a hypothesis test; for context checks."""

        def test(**drawn: Any) -> None:
            self.examples += 1
            self.last_harness = None
            self.last_extra = dict(drawn)
            body(**drawn)

        settings(self.settings)(self._examples(given(**strategies)(test), explicit))()


def outputs_for(subject: Subject, *, exotic: bool = False) -> st.SearchStrategy[OutputSpec]:
    """Outputs within the subject's declared capabilities (op, asset, asset-partition)."""
    from conformance.strategies.contexts import (
        asset_output_specs,
        op_output_specs,
        partitioned_output_specs,
    )

    caps = subject.capabilities
    options: list[st.SearchStrategy[OutputSpec]] = []
    if caps.op_outputs:
        options.append(op_output_specs(exotic=exotic))
    if caps.assets:
        options.append(asset_output_specs(exotic=exotic))
        if caps.partitions:
            options.append(partitioned_output_specs(multi=caps.multi_partitions))
    if not options:
        raise NotApplicable("the subject declares neither op_outputs nor assets")
    return st.one_of(options)
