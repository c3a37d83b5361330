"""The :class:`CheckEnv` a check runs against: the subject, the contexts, the profile's
settings, distinct probe values, fresh worlds and harnesses, and hypothesis runs."""

from __future__ import annotations

import pathlib
import shutil
import tempfile
import uuid
from collections.abc import Callable, Generator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from hypothesis import Phase, example, find, given, reproduce_failure, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import settings as HypothesisSettings
from hypothesis import strategies as st
from hypothesis.errors import DidNotReproduce
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from conformance.checks.harness import Harness
from conformance.checks.replaying import Replay, replay_of
from conformance.checks.signals import NotApplicable
from conformance.contexts import ContextFactory, OutputSpec
from conformance.isolation.calls import tracked
from conformance.subject import Subject

__all__ = ["CheckEnv", "outputs_for"]

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
    last_extra: dict[str, object] = field(default_factory=dict[str, object])
    notes: dict[str, list[str]] = field(default_factory=dict[str, list[str]])
    """Observations per requirement ID that are not failures (e.g. IOM-STORE-009 refusals)."""
    seed: int | None = None
    """Seeds every hypothesis run (``None``: the profile decides; ``pr`` is derandomized)."""
    replay: Replay | None = None
    """When set, only the run it names runs, on its recorded example (a stored failure)."""
    failed_run: Replay | None = None
    """How to replay the run that failed (set when a run raises)."""
    _runs: int = field(default=0, repr=False)
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
            self._make(root),
            namespace=namespace,
            sandbox=sandbox,
            on_note=self.note,
        )
        self.last_harness = harness
        return harness

    def _make(self, root: pathlib.Path | None) -> object:
        with tracked("construct", self.subject.name):
            return self.subject.make(root)

    @contextmanager
    def harness(self) -> Generator[Harness, None, None]:
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

        self._drive(test, explicit, strategies, self.settings)

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

        self._drive(test, explicit, strategies, self.settings)

    def run_machine(self, machine: type[RuleBasedStateMachine]) -> None:
        """Run a state machine under the profile's stateful settings (replayable like
        :meth:`run`)."""

        def run(settings_: HypothesisSettings, wrap: Callable[[Any], Any]) -> None:
            run_state_machine_as_test(wrap(machine), settings=settings_)

        self._drive_any(run, (), self.stateful_settings)

    def _drive(
        self,
        test: Callable[..., None],
        explicit: Sequence[Mapping[str, Any]],
        strategies: Mapping[str, st.SearchStrategy[Any]],
        base: HypothesisSettings,
    ) -> None:
        def run(settings_: HypothesisSettings, wrap: Callable[[Any], Any]) -> None:
            cases = explicit
            if self.replay is not None and self.replay.explicit_index is not None:
                cases = [explicit[self.replay.explicit_index]]
            given_test = self._examples(given(**strategies)(test), cases)
            settings(settings_)(wrap(given_test))()

        self._drive_any(run, explicit, base)

    def _drive_any(
        self,
        run: Callable[[HypothesisSettings, Callable[[Any], Any]], None],
        explicit: Sequence[Mapping[str, Any]],
        base: HypothesisSettings,
    ) -> None:
        """One hypothesis run of this check: seeded, replayed when :attr:`replay` names it,
        and, when it fails, remembered in :attr:`failed_run` (how to replay it)."""
        index = self._runs
        self._runs += 1
        replay = self.replay
        settings_ = base
        wrap: Callable[[Any], Any] = _identity
        if replay is not None and replay.run_index is not None:
            if replay.run_index != index:
                return  # replaying another run of this check
            if replay.blob is not None:
                wrap = reproduce_failure(replay.hypothesis_version, replay.blob_bytes())
            else:
                settings_ = settings(base, phases=[Phase.explicit])
        elif self.seed is not None:
            wrap = hypothesis_seed(self.seed)
            settings_ = settings(base, derandomize=False)
        try:
            run(settings_, wrap)
        except DidNotReproduce:
            if replay is None or replay.blob is None:
                raise
            return  # the recorded example no longer fails: the law holds on it
        except BaseException as error:
            if self.failed_run is None:
                self.failed_run = replay_of(error, index, explicit, self.last_extra)
            raise


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


def _identity(test: Any) -> Any:
    return test
