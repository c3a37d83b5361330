"""Concurrent writers in separate processes (IOM-STORE-012, IOM-STORE-013).

Each writer is a forked child (:mod:`conformance.checks.processes`) with its own manager
instance on the one storage directory; the writers are released together, so their writes
overlap. Afterwards a fresh instance in the checking process loads what they stored. The sizes
grow with the profile's example budget (``pr``: a few hundred writes in all).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import cast

from conformance.checks.base import CheckEnv, Harness, NotApplicable, RequirementViolation, check
from conformance.checks.processes import children, fork_unavailable
from conformance.checks.signals import ForkedCallFailed
from conformance.contexts import OutputSpec, PartitionsSpec
from conformance.strategies.contexts import input_spec_for

__all__ = ["one_key_output", "require_processes", "require_shared_storage", "sibling"]

WRITERS = 4


def require_processes(env: CheckEnv) -> None:
    """Raise :class:`NotApplicable` unless separate processes can share the subject's storage."""
    reason = fork_unavailable()
    if reason is not None:
        raise NotApplicable(reason)
    if not env.subject.takes_directory or env.subject.shared_instance:
        raise NotApplicable(
            "separate processes need a factory that takes the storage directory (each builds "
            "its own manager on it); this subject's factory takes none"
        )


def one_key_output(env: CheckEnv, tag: str) -> OutputSpec:
    """One plain output every process stores under: an asset when the subject declares assets,
    else an op output."""
    if env.subject.capabilities.assets:
        return OutputSpec(run_id="run-1", step_key="asset_op", name="result",
                          asset_key=(f"concurrent_{tag}",))
    return OutputSpec(run_id="run-1", step_key=f"concurrent_{tag}", name="result")


def sibling(env: CheckEnv, h: Harness) -> Harness:
    """A harness with a new manager instance on ``h``'s storage (for a child process)."""
    assert h.sandbox is not None
    return env.new_harness(h.sandbox, h.root)


def require_shared_storage(env: CheckEnv, h: Harness, requirement: str) -> None:
    """Raise :class:`NotApplicable` unless a value another process stores on ``h``'s storage
    loads here (storage kept in process memory, such as ``memory://``, is not shared).

    The probe is first stored and loaded in the checking process, judged on ``requirement``
    like every store and load of the check: a manager whose plain store raises, or whose value
    does not load back, fails the check here instead of looking like storage that is not
    shared. Only then does a child store a second probe for this process to load."""
    probe = one_key_output(env, "probe")
    value = env.distinct_values()[0]
    if not h.store(probe, value, requirement=requirement):
        raise NotApplicable("the subject refused the plain probe output; nothing to race on")
    loaded = h.load(input_spec_for(probe), requirement=requirement)
    if not h.subject.equals(loaded, value):
        raise RequirementViolation(
            requirement, f"the probe value stored in this process loaded back as {loaded!r}, "
            f"not the {value!r} stored", h.counterexample(stored=value, loaded=loaded))
    shared = one_key_output(env, "probe_shared")
    with children() as group:
        child = group.fork(lambda: sibling(env, h).store(shared, value))
        kind, detail = child.finish()
        if kind == "died":  # not the storage's sharing: the manager killed its process
            raise ForkedCallFailed(child.call_in_flight(), child.death())
        if kind == "exited" and isinstance(detail, tuple):  # sys.exit() through the target
            exception, call = cast(tuple[str, str | None], detail)
            raise ForkedCallFailed(call, f"the target raised {exception}")
    h.new_instance()
    ok, loaded = h.load_outcome(input_spec_for(shared))
    if kind == "ok" and ok and h.subject.equals(loaded, value):
        return
    seen = f"storing there raised {detail}" if kind != "ok" else (
        f"loading raised {loaded!r}" if not ok else f"it loaded {loaded!r}")
    raise NotApplicable(
        "the subject's storage is not shared between processes: a value another process "
        f"stored on the same storage directory did not load here ({seen}), although the same "
        "store and load in this process round-tripped, so there is nothing several processes "
        "could race on"
    )


def _writer_failures(outcomes: list[tuple[str, object]]) -> list[str]:
    return [f"writer {i}: {kind} {detail}" for i, (kind, detail) in enumerate(outcomes)
            if kind != "ok" or detail is not None]


@check("IOM-STORE-012", needs=("durable", "partitions", "concurrent_writers"))
def concurrent_partition_writers(env: CheckEnv) -> None:
    """Law: several processes, each with its own manager instance on the same storage, store
    different partitions of one asset at the same time; afterwards every partition loads the
    value its writer stored (no update is lost) and every write succeeded. IOM-STORE-012."""
    require_processes(env)
    per_writer = min(100, max(24, 2 * env.settings.max_examples or 0))
    keys = tuple(f"p{i:04d}" for i in range(WRITERS * per_writer))
    spec = PartitionsSpec("static", keys=keys)
    values = env.n_distinct_values(WRITERS)

    def output(index: int) -> OutputSpec:
        return OutputSpec(run_id=f"run-{index % WRITERS}", step_key="asset_op", name="result",
                          asset_key=("concurrent_partitions",), partition_key=keys[index],
                          partitions_def=spec)

    with env.harness() as h, children() as group:
        require_shared_storage(env, h, "IOM-STORE-012")

        def writer(first: int) -> object:
            own = sibling(env, h)
            for index in range(first, len(keys), WRITERS):
                if not own.store(output(index), values[first], requirement="IOM-STORE-012"):
                    return f"refused partition {keys[index]!r}"
            return None

        for first in range(WRITERS):
            group.fork(partial(writer, first), gated=True)
        group.release()
        failures = _writer_failures([child.finish() for child in group.all])
        if failures:
            raise RequirementViolation(
                "IOM-STORE-012", "a concurrent partition writer failed: " + "; ".join(failures),
                {"writers": WRITERS, "partitions": len(keys), "failures": failures[:4]})
        _expect_all(h, keys, output, values)


def _expect_all(h: Harness, keys: tuple[str, ...], output: Callable[[int], OutputSpec],
                values: tuple[object, ...]) -> None:
    h.new_instance()
    lost: list[str] = []
    for index, key in enumerate(keys):
        ok, loaded = h.load_outcome(input_spec_for(output(index)))
        if not ok or not h.subject.equals(loaded, values[index % WRITERS]):
            lost.append(f"{key}: " + (f"raised {loaded!r}" if not ok else f"loaded {loaded!r}"))
    if lost:
        raise RequirementViolation(
            "IOM-STORE-012",
            f"{len(lost)} of {len(keys)} partitions written by {WRITERS} concurrent processes "
            f"lost their update (first: {lost[0]})",
            h.counterexample(writers=WRITERS, partitions=len(keys), lost=lost[:5]),
        )


@check("IOM-STORE-013", needs=("durable", "concurrent_writers"))
def concurrent_writers_of_one_key(env: CheckEnv) -> None:
    """Law: several processes, each with its own manager instance on the same storage, store
    different values under one identifier at the same time, many times over; every write
    succeeds, and after each round the identifier loads one of the values written, never a mix
    of them or an error. IOM-STORE-013."""
    require_processes(env)
    rounds = min(10, max(3, env.settings.max_examples // 4))
    writes = 20
    values = env.n_distinct_values(WRITERS)
    out = one_key_output(env, "key")
    with env.harness() as h:
        require_shared_storage(env, h, "IOM-STORE-013")
        for round_ in range(rounds):
            with children() as group:
                def writer(mine: object) -> object:
                    own = sibling(env, h)
                    for _ in range(writes):
                        if not own.store(out, mine, requirement="IOM-STORE-013"):
                            return "refused the write"
                    return None

                for value in values:
                    group.fork(partial(writer, value), gated=True)
                group.release()
                failures = _writer_failures([child.finish() for child in group.all])
            if failures:
                raise RequirementViolation(
                    "IOM-STORE-013",
                    f"round {round_ + 1}: a concurrent writer of one key failed: "
                    + "; ".join(failures),
                    {"writers": WRITERS, "writes_each": writes, "failures": failures[:4]})
            h.new_instance()
            ok, loaded = h.load_outcome(input_spec_for(out))
            if not ok or not any(h.subject.equals(loaded, v) for v in values):
                raise RequirementViolation(
                    "IOM-STORE-013",
                    f"round {round_ + 1}: after {WRITERS} processes stored one key at once, it "
                    + (f"failed to load: {loaded!r}" if not ok else
                       f"loaded {loaded!r}, none of the values written"),
                    h.counterexample(writers=WRITERS, written=list(values), loaded=loaded))
