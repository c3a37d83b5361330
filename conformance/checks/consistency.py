"""A reader during a write, and a writer killed mid-write (IOM-STORE-014, IOM-STORE-015).

The writer is a forked child (:mod:`conformance.checks.processes`) whose ``handle_output`` is
wrapped in a :class:`Tripwire`: a first, untripped run counts the C calls it makes (open, write,
flush, rename, commit, ...); then, for each chosen point N, a new writer stops itself (SIGSTOP)
or kills itself (SIGKILL) just before its N-th C call. Stopped there, a reader in another
process loads the key; killed there, a fresh instance loads it afterwards. Every point is
tried when there are at most the profile's budget of them (``pr``: 40); else the points just
before and after every call that may change storage (:data:`STORAGE_CALLS`) are always tried,
and the rest of the budget is a sample drawn with a fixed seed (the run's ``--seed`` when
given), so a run is reproducible and does not depend on how many C calls a warm or cold process
makes.
"""

from __future__ import annotations

import random
import signal
import time
from typing import cast

from conformance.checks.base import CheckEnv, Harness, RequirementViolation, check
from conformance.checks.concurrency import (
    one_key_output,
    require_processes,
    require_shared_storage,
    sibling,
)
from conformance.checks.processes import Child, Children, Tripwire, children
from conformance.contexts import OutputSpec
from conformance.strategies.contexts import input_spec_for

__all__ = ["STORAGE_CALLS", "kill_points", "reader_wait", "storage_points"]

READER_BLOCKED = 1.0
"""At most this many seconds a reader may wait on a stopped writer (a lock) before the writer
is resumed."""

READER_PATIENCE = 5.0
"""A reader may wait this many times as long as an unimpeded reader took (its fork and load,
measured once per check, before any writer is paused), at least :data:`READER_MIN_WAIT` and at
most :data:`READER_BLOCKED` seconds. Resuming the writer early cannot fail a correct manager
(the reader then runs alongside the writer, which it must survive too); it only spares a
manager whose reader waits on a lock the second that ends the same way."""

READER_MIN_WAIT = 0.2
"""Seconds a reader may always wait on a stopped writer."""


def reader_wait(unimpeded: float) -> float:
    """Seconds a reader may wait on a stopped writer, given how long an unimpeded reader took
    (:data:`READER_PATIENCE`)."""
    return min(READER_BLOCKED, max(READER_MIN_WAIT, READER_PATIENCE * unimpeded))


STORAGE_CALLS = frozenset({
    "open", "write", "writelines", "flush", "close", "truncate", "ftruncate", "fsync",
    "fdatasync", "rename", "replace", "link", "symlink", "unlink", "remove", "rmdir", "mkdir",
    "makedirs", "dump", "copyfile", "copyfileobj", "sendfile", "copy_file_range", "write_bytes",
    "write_text", "commit", "execute", "executemany", "put", "put_object", "upload_fileobj",
})
"""Names of C calls that may change what storage holds: the points around them are always
tried (a window between two of them, such as a truncating open before the write, can be a
single C call wide and is easily missed by a sample)."""


def storage_points(names: list[str]) -> list[int]:
    """The 1-based C-call indices just before and just after each call named in
    :data:`STORAGE_CALLS`, within ``1..len(names)``."""
    points: set[int] = set()
    for index, name in enumerate(names, start=1):
        if name in STORAGE_CALLS:
            points.update(p for p in (index, index + 1) if p <= len(names))
    return sorted(points)


def kill_points(total: int, budget: int, seed: int | None,
                preferred: list[int] | None = None) -> list[int]:
    """The C-call indices to trip at: all of ``1..total`` when there are at most ``budget``,
    else every ``preferred`` point (:func:`storage_points`) and the first and the last, filled
    up to ``budget`` with points drawn with ``seed`` (0 when ``None``)."""
    if total <= budget:
        return list(range(1, total + 1))
    kept = {1, total, *(p for p in preferred or () if 1 <= p <= total)}
    rest = sorted(set(range(1, total + 1)) - kept)
    extra = max(0, budget - len(kept))
    return sorted(kept | set(random.Random(seed or 0).sample(rest, min(extra, len(rest)))))


def _verdict(h: Harness, out: OutputSpec, old: object, new: object) -> str:
    """``old``/``new`` for a load equal to one of them, else what was seen instead."""
    ok, loaded = h.load_outcome(input_spec_for(out))
    if not ok:
        return f"load raised {type(loaded).__name__}: {loaded}"
    if h.subject.equals(loaded, old):
        return "old"
    if h.subject.equals(loaded, new):
        return "new"
    return f"loaded {loaded!r}, neither the old nor the new value"


def _calls_in_store(env: CheckEnv, h: Harness, group: Children, out: OutputSpec,
                    value: object, requirement: str) -> list[str]:
    """The names of the C calls one untripped ``handle_output`` of ``value`` makes (in a
    child)."""

    def dry() -> object:
        own = sibling(env, h)
        wire = Tripwire(own.manager, None, signal.SIGKILL)
        own.manager = wire
        own.store(out, value, requirement=requirement)
        return wire.names

    kind, detail = group.fork(dry).finish()
    if kind != "ok" or not isinstance(detail, list):
        raise RequirementViolation(requirement, f"storing in a child process failed: {detail}")
    names: list[object] = cast(list[object], detail)
    return [str(name) for name in names]


def _unimpeded_reader(env: CheckEnv, h: Harness, group: Children, out: OutputSpec,
                      stored: object) -> float:
    """Seconds a reader in a child took to fork and load ``out`` (which holds ``stored``) with
    no writer running; a reader that fails here is judged in the loop, not here."""
    started = time.monotonic()
    group.fork(lambda: _verdict(sibling(env, h), out, stored, stored)).finish()
    return time.monotonic() - started


def _tripped_writer(env: CheckEnv, h: Harness, group: Children, out: OutputSpec,
                    value: object, at: int, sig: signal.Signals, requirement: str) -> Child:
    def write() -> object:
        own = sibling(env, h)
        own.manager = Tripwire(own.manager, at, sig)
        own.store(out, value, requirement=requirement)
        return None

    return group.fork(write)


def _budget(env: CheckEnv) -> int:
    return max(40, env.settings.max_examples or 0)


@check("IOM-STORE-014", needs=("durable",))
def reader_during_write(env: CheckEnv) -> None:
    """Law: while one process overwrites an identifier's value, a reader in another process
    (its own manager instance on the same storage) loads the old value or the new one, never a
    part, a mix or an error; the reader may wait for the writer. The writer is paused before
    each of its C calls in turn, and resumed when the reader is done or has waited
    :func:`reader_wait` seconds. IOM-STORE-014."""
    require_processes(env)
    old, new = env.distinct_values()
    out = one_key_output(env, "read")
    with env.harness() as h, children() as group:
        require_shared_storage(env, h, "IOM-STORE-014")
        if not h.store(out, old, requirement="IOM-STORE-014"):
            return
        names = _calls_in_store(env, h, group, out, new, "IOM-STORE-014")
        total = len(names)
        wait = reader_wait(_unimpeded_reader(env, h, group, out, old))
        for at in kill_points(total, _budget(env), env.seed, storage_points(names)):
            h.new_instance()
            if not h.store(out, old, requirement="IOM-STORE-014"):
                return
            writer = _tripped_writer(env, h, group, out, new, at, signal.SIGSTOP,
                                     "IOM-STORE-014")
            if not writer.stopped():
                continue  # this run made fewer C calls: nothing to look at
            reader = group.fork(lambda: _verdict(sibling(env, h), out, old, new))
            if not reader.done(wait):
                writer.resume()
            _, seen = reader.finish()
            writer.resume()
            writer.finish()
            if seen not in ("old", "new"):
                raise RequirementViolation(
                    "IOM-STORE-014",
                    f"a reader in another process, while the writer was paused before its C "
                    f"call {at} of {total} inside handle_output: {seen}",
                    h.counterexample(paused_at_c_call=at, c_calls=total, old=old, new=new,
                                     reader=seen))


@check("IOM-STORE-015", needs=("durable",))
def killed_writer(env: CheckEnv) -> None:
    """Law: when the process storing a value is killed (SIGKILL) at any point inside
    ``handle_output``, a fresh instance on the same storage afterwards loads the value stored
    earlier or the new one; for an identifier never stored before it loads the new value or
    raises the missing-data error (a ``LookupError`` or ``OSError``). Never a part, a mix or
    another error. The writer is killed before each of its C calls in turn; the points
    alternate between an identifier stored before and a fresh one. IOM-STORE-015."""
    require_processes(env)
    old, new = env.distinct_values()
    base = one_key_output(env, "crash")
    with env.harness() as h, children() as group:
        require_shared_storage(env, h, "IOM-STORE-015")
        names = _calls_in_store(env, h, group, base, new, "IOM-STORE-015")
        total = len(names)
        for number, at in enumerate(kill_points(total, _budget(env), env.seed,
                                                storage_points(names))):
            fresh = number % 2 == 1
            out = one_key_output(env, f"crash{number}") if fresh else base
            if not fresh:
                h.new_instance()
                if not h.store(out, old, requirement="IOM-STORE-015"):
                    return
            child = _tripped_writer(env, h, group, out, new, at, signal.SIGKILL,
                                    "IOM-STORE-015")
            child.finish()
            h.new_instance()
            seen = _verdict(h, out, old, new)
            allowed = {"new"} if fresh else {"old", "new"}
            if seen in allowed or (fresh and _missing(h, out)):
                continue
            raise RequirementViolation(
                "IOM-STORE-015",
                f"after the writer was killed before its C call {at} of {total} inside "
                f"handle_output ({'a fresh identifier' if fresh else 'an earlier value stored'})"
                f", a fresh instance: {seen}",
                h.counterexample(killed_at_c_call=at, c_calls=total, old=None if fresh else old,
                                 new=new, seen=seen))


def _missing(h: Harness, out: OutputSpec) -> bool:
    """Whether loading ``out`` raises the missing-data error (IOM-SEC-004's types)."""
    ok, error = h.load_outcome(input_spec_for(out))
    return not ok and isinstance(error, LookupError | OSError)
