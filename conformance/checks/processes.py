"""Child processes for the multi-process checks (IOM-STORE-012..015): fork, start together,
stop or kill a writer at its N-th C call inside ``handle_output``, bounded waits, cleanup.

A child is a ``fork`` of the process running the check, so it has the subject, the context
factory and the probe values already (nothing is pickled or re-imported: this works the same
in a kit worker, under ``--isolation none`` and through ``check_io_manager``). Each child builds
its own manager instance on the shared storage directory. Where ``fork`` is unavailable the
checks are not applicable (:func:`fork_unavailable`).

Each child publishes the manager call it is in on a call board of its own
(:mod:`conformance.isolation.board`), and the parent holds it to the pool's deadlines
(:mod:`conformance.isolation.deadlines`): a call must return within the per-call deadline, and
code outside any call must reach the next call within the idle deadline. A child that overruns
is killed with SIGKILL and the check raises :class:`ForkedCallFailed` naming the call (an error,
not a verdict). A child still running when the check ends is killed and reaped; a child whose
parent dies is killed by the kernel (Linux ``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable, Generator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from conformance.checks.signals import ForkedCallFailed, NotApplicable
from conformance.isolation.board import CallBoard
from conformance.isolation.calls import last_raised, listen
from conformance.isolation.deadlines import call_deadline, idle_deadline
from conformance.isolation.threads import native_threads_started

__all__ = [
    "Child",
    "Children",
    "Tripwire",
    "children",
    "fork_unavailable",
]

_POLL = 0.01
"""Seconds between two looks at a running child's board."""

DEADLOCK_SECONDS = 2.0
"""After an unsafe fork, a child whose only thread has waited on a futex this long without
using any CPU time is deadlocked (:func:`deadlocked`)."""


def fork_unsafe() -> str | None:
    """Why forking this process now could deadlock the child (``None`` when it cannot): native
    threads started since the kit was imported (a library's pool the target started)."""
    count = native_threads_started()
    if count <= 0:
        return None
    return (
        f"the process runs {count} native thread(s) (a library's thread pool, such as polars' or "
        "duckdb's), so a forked child can deadlock on a lock one of them held; the "
        "multi-process checks cannot judge this manager in this process (the kit forks its "
        "writers, and the pool started before the fork)"
    )


def _lock_wait(pid: int) -> int | None:
    """The CPU ticks (user + system) of ``pid`` when its only thread is asleep in a futex wait
    (a lock or condition), ``None`` otherwise or where ``/proc`` cannot tell."""
    try:
        if len(os.listdir(f"/proc/{pid}/task")) != 1:
            return None
        with open(f"/proc/{pid}/wchan", encoding="ascii", errors="replace") as file:
            waiting_in = file.read()
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    if fields[0] != "S" or "futex" not in waiting_in:
        return None
    return int(fields[11]) + int(fields[12])


def deadlocked(pid: int, seen: list[tuple[float, int]]) -> bool:
    """Whether ``pid`` is deadlocked: its only thread has been asleep on a futex for
    :data:`DEADLOCK_SECONDS` without one tick of CPU time. With one thread, nothing in the
    process can release that lock: after a fork it is a lock a thread of the parent held (a
    futex shared with another process could still be released; asked only after an unsafe
    fork, where a hang is not applicable anyway, such a wait loses a verdict, never blames).
    ``seen`` holds ``(since, ticks)`` between looks (empty at first)."""
    ticks = _lock_wait(pid)
    now = time.monotonic()
    if ticks is None or (seen and seen[0][1] != ticks):
        seen.clear()
        if ticks is not None:
            seen.append((now, ticks))
        return False
    if not seen:
        seen.append((now, ticks))
        return False
    return now - seen[0][0] >= DEADLOCK_SECONDS


def fork_unavailable() -> str | None:
    """Why these checks cannot run here (``None`` when they can)."""
    if not hasattr(os, "fork") or sys.platform in ("win32", "emscripten", "wasi"):
        return f"separate writer processes need os.fork, which {sys.platform} does not offer"
    return None


@dataclass
class Child:
    """A forked child: ``outcome`` is ``("ok", value)``, ``("raised", text)``, ``("exited",
    (exception, call))`` (a ``SystemExit`` or ``KeyboardInterrupt`` raised through the target,
    and the call it came from), ``("died", signal_or_status)`` or ``("hung", seconds)`` once
    :meth:`finish` has run."""

    pid: int
    results: int
    board: CallBoard
    """Where the child publishes the manager call it is in."""
    outcome: tuple[str, object] | None = None
    unsafe: str | None = None
    """Why the fork was unsafe (:func:`fork_unsafe`), when it was."""
    _data: bytearray = field(default_factory=bytearray)
    _lock_waits: list[tuple[float, int]] = field(default_factory=list[tuple[float, int]])
    _next_look: float = 0.0

    def call_in_flight(self) -> str | None:
        """The manager call the child is (or was, when it stopped) in, ``op(detail)``."""
        return self.board.read()[1]

    def stopped(self) -> bool:
        """Wait until the child has stopped itself (SIGSTOP): True; False when it exited first.
        The wait is held to the deadlines (:meth:`_check_deadlines`)."""
        since = time.monotonic()
        while True:
            pid, status = os.waitpid(self.pid, os.WUNTRACED | os.WNOHANG)
            if pid != 0:
                if os.WIFSTOPPED(status):
                    return True
                self._reaped(status)
                return False
            self._drain(_POLL)
            self._check_deadlines(since)

    def resume(self) -> None:
        """Continue a stopped child."""
        os.kill(self.pid, signal.SIGCONT)

    def done(self, timeout: float) -> bool:
        """Whether the child finished within ``timeout`` seconds (it keeps running if not)."""
        if self.outcome is not None:
            return True
        deadline = time.monotonic() + timeout
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0 and not os.WIFSTOPPED(status):
                self._reaped(status)
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._drain(min(left, 0.01))

    def finish(self) -> tuple[str, object]:
        """Wait for the child under the deadlines (:meth:`_check_deadlines`) and return its
        outcome."""
        since = time.monotonic()
        while not self.done(_POLL):
            self._check_deadlines(since)
        assert self.outcome is not None
        return self.outcome

    def _check_deadlines(self, since: float) -> None:
        """Kill the child when its call in flight has run past the per-call deadline, or it has
        been outside any call past the idle deadline, counting from the later of ``since`` (when
        the parent began to wait) and the child's last call or return. Raises
        :class:`ForkedCallFailed`, or :class:`NotApplicable` when the fork was unsafe (the child
        may be deadlocked on a lock a native thread held, through no fault of the manager).
        After an unsafe fork a child found :func:`deadlocked` is killed at once, without
        waiting for the deadline (a deadlock never ends)."""
        if self.unsafe is not None and time.monotonic() >= self._next_look:
            self._next_look = time.monotonic() + 0.25
            if deadlocked(self.pid, self._lock_waits):
                self.kill()
                self.outcome = ("hung", DEADLOCK_SECONDS)
                raise NotApplicable(
                    f"a child deadlocked (its only thread waited on a lock for "
                    f"{DEADLOCK_SECONDS:g} s without using CPU time), and {self.unsafe}")
        started, call = self.board.read()
        limit = call_deadline() if call else idle_deadline()
        if time.monotonic() - max(since, started) <= limit:
            return
        self.kill()
        self.outcome = ("hung", limit)
        if self.unsafe is not None:
            raise NotApplicable(f"a child hung for {limit:g} s, and {self.unsafe}")
        if call is None:
            raise ForkedCallFailed(None, f"no progress for {limit:g} s outside any manager call "
                                         "(the target or the kit hung); the child was killed")
        op = call.split("(", 1)[0]
        raise ForkedCallFailed(call, f"{op} did not return within the per-call deadline of "
                                     f"{limit:g} s (--call-timeout); the child was killed")

    def kill(self) -> None:
        """SIGKILL and reap the child (no-op once it has been reaped)."""
        if self.outcome is not None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        self.outcome = ("died", "SIGKILL")
        os.close(self.results)

    def _drain(self, timeout: float) -> None:
        ready, _, _ = select.select([self.results], [], [], timeout)
        if ready:
            chunk = os.read(self.results, 65536)
            self._data.extend(chunk)

    def _reaped(self, status: int) -> None:
        while True:
            chunk = os.read(self.results, 65536)
            if not chunk:
                break
            self._data.extend(chunk)
        os.close(self.results)
        if self._data:
            self.outcome = pickle.loads(bytes(self._data))
        elif os.WIFSIGNALED(status):
            self.outcome = ("died", signal.Signals(os.WTERMSIG(status)).name)
        else:
            self.outcome = ("died", f"exit status {os.waitstatus_to_exitcode(status)}")

    def death(self) -> str:
        """What ended a child whose outcome is ``died``, in the pool's words."""
        detail = str(self.outcome[1]) if self.outcome is not None else ""
        if detail.startswith("exit status "):
            code = detail.removeprefix("exit status ")
            return (f"the child exited with code {code} while running the target (os._exit or "
                    "an exit at C level)")
        return f"the child was killed by {detail}"


class Children:
    """The children of one check: forked with :meth:`fork`, released together by
    :meth:`release` when forked ``gated``, killed and reaped by :meth:`close`."""

    def __init__(self) -> None:
        self.all: list[Child] = []
        self._gate_read, self._gate_write = os.pipe()

    def fork(self, body: Callable[[], object], *, gated: bool = False) -> Child:
        """Run ``body()`` in a child; its return value (or the error it raised) is sent back.

        A ``gated`` child waits for :meth:`release` before it starts ``body``. When forking now
        is unsafe (:func:`fork_unsafe`), a child that hangs makes the check not applicable
        instead of failing it (it may have deadlocked on a lock a native thread held); children
        that finish are judged as always."""
        unsafe = fork_unsafe()
        board = CallBoard.create()
        parent = os.getpid()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            outcome: tuple[str, object]
            try:
                _die_with(parent)
                listen(_publisher(board))  # the worker's call board belongs to the parent
                os.close(read)
                if gated:
                    os.read(self._gate_read, 1)
                outcome = ("ok", body())
            except Exception as error:  # the child reports everything, then exits
                outcome = ("raised", f"{type(error).__name__}: {error}")
            except BaseException as exit_:  # SystemExit, KeyboardInterrupt through the target
                arguments = ", ".join(repr(a) for a in exit_.args)
                outcome = ("exited", (f"{type(exit_).__name__}({arguments})", last_raised()))
            try:
                data = _dumps(outcome)
                view = memoryview(data)
                while view:
                    view = view[os.write(write, view):]
            finally:
                os._exit(0)
        os.close(write)
        child = Child(pid, read, board, unsafe=unsafe)
        self.all.append(child)
        return child

    def release(self) -> None:
        """Let every gated child start at once."""
        os.write(self._gate_write, b"x" * max(1, len(self.all)))

    def close(self) -> None:
        """Kill and reap every child still running; close the gate."""
        for child in self.all:
            child.kill()
            child.board.close()
        for fd in (self._gate_read, self._gate_write):
            os.close(fd)


def _publisher(board: CallBoard) -> Callable[[tuple[str, ...]], None]:
    """A call listener (:func:`conformance.isolation.calls.listen`) that publishes the
    innermost call in flight on ``board``."""
    in_flight: list[str] = []

    def event(message: tuple[str, ...]) -> None:
        if message[0] == "call":
            in_flight.append(f"{message[1]}({message[2]})")
        elif in_flight:
            in_flight.pop()
        board.publish(in_flight[-1] if in_flight else None)

    return event


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when ``parent`` dies (Linux), so a child whose worker
    was killed does not run on; exit at once if ``parent`` is already gone."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _find_prctl() -> Callable[[int, int], int] | None:
    if sys.platform != "linux":
        return None
    try:
        import ctypes

        function: Callable[[int, int], int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return function


_PRCTL = _find_prctl()


def _dumps(outcome: tuple[str, object]) -> bytes:
    try:
        return pickle.dumps(outcome)
    except Exception:
        return pickle.dumps((outcome[0], repr(outcome[1])))


@contextmanager
def children() -> Generator[Children, None, None]:
    """A :class:`Children` whose processes are all gone when the block ends."""
    group = Children()
    try:
        yield group
    finally:
        group.close()


class Tripwire:
    """Wraps a manager: inside ``handle_output`` it counts C calls (``sys.setprofile``) and,
    at the ``at``-th, sends its own process ``sig`` (SIGKILL: a crash there; SIGSTOP: a
    pause there, so another process can look at the storage). ``calls`` is the count seen;
    untripped (``at`` None), ``names`` lists the calls' names."""

    def __init__(self, manager: Any, at: int | None, sig: signal.Signals) -> None:
        self._manager = manager
        self._at = at
        self._sig = sig
        self.calls = 0
        self.names: list[str] = []
        """The name of every C call seen, in order (recorded only when untripped)."""

    def _profile(self, frame: Any, event: str, arg: Any) -> None:
        if event == "c_call":
            self.calls += 1
            if self._at is None:
                self.names.append(getattr(arg, "__name__", ""))
            elif self.calls == self._at:
                os.kill(os.getpid(), self._sig)

    def handle_output(self, context: Any, obj: Any) -> None:
        """The wrapped manager's ``handle_output``, tripped at the chosen C call."""
        sys.setprofile(self._profile)
        try:
            self._manager.handle_output(context, obj)
        finally:
            sys.setprofile(None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)
