"""Child processes for the multi-process checks (IOM-STORE-012..015): fork, start together,
stop or kill a writer at its N-th C call inside ``handle_output``, bounded waits, cleanup.

A child is a ``fork`` of the process running the check, so it has the subject, the context
factory and the probe values already (nothing is pickled or re-imported: this works the same
in a kit worker, under ``--isolation none`` and through ``check_io_manager``). Each child builds
its own manager instance on the shared storage directory. Where ``fork`` is unavailable the
checks are not applicable (:func:`fork_unavailable`). Every wait has a deadline; a child still
running at its deadline, or when the check ends, is killed with SIGKILL and reaped.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from conformance.checks.signals import NotApplicable
from conformance.isolation.calls import listen

__all__ = [
    "Child",
    "Children",
    "Tripwire",
    "children",
    "fork_unavailable",
]

CHILD_DEADLINE = 20.0
"""Seconds a child may take before it is killed and reported as hung."""


def native_threads() -> int:
    """Threads of this process that Python did not start (a native pool such as polars' or
    pyarrow's): ``/proc/self/task`` less :func:`threading.active_count`; 0 where the platform
    does not list its threads."""
    try:
        tasks = len(os.listdir("/proc/self/task"))
    except OSError:
        return 0
    return max(tasks - threading.active_count(), 0)


_BASELINE = native_threads()
"""Threads Python did not start that ran before the kit was imported (e.g. pytest-xdist's
channel thread, started with ``_thread``); only threads started since count as a risk."""


def fork_unsafe() -> str | None:
    """Why forking this process now could deadlock the child (``None`` when it cannot): native
    threads started since the kit was imported (a library's pool the target started)."""
    count = native_threads() - _BASELINE
    if count <= 0:
        return None
    return (
        f"the process runs {count} native thread(s) (a library's thread pool, such as polars' or "
        "duckdb's), so a forked child can deadlock on a lock one of them held; the "
        "multi-process checks cannot judge this manager in this process (the kit forks its "
        "writers; run it with fewer native threads, e.g. POLARS_MAX_THREADS=1)"
    )


def fork_unavailable() -> str | None:
    """Why these checks cannot run here (``None`` when they can)."""
    if not hasattr(os, "fork") or sys.platform in ("win32", "emscripten", "wasi"):
        return f"separate writer processes need os.fork, which {sys.platform} does not offer"
    return None


@dataclass
class Child:
    """A forked child: ``outcome`` is ``("ok", value)``, ``("raised", text)``, ``("died",
    signal_or_status)`` or ``("hung", seconds)`` once :meth:`finish` has run."""

    pid: int
    results: int
    outcome: tuple[str, object] | None = None
    unsafe: str | None = None
    """Why the fork was unsafe (:func:`fork_unsafe`), when it was."""
    _data: bytearray = field(default_factory=bytearray)

    def stopped(self, timeout: float) -> bool:
        """Wait until the child has stopped itself (SIGSTOP); False when it exited first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WUNTRACED | os.WNOHANG)
            if pid == 0:
                self._drain(0.005)
                continue
            if os.WIFSTOPPED(status):
                return True
            self._reaped(status)
            return False
        if self.unsafe is not None:  # neither stopped nor exited: it may be deadlocked
            self.kill()
            raise NotApplicable(f"a child hung for {timeout:.0f} s, and {self.unsafe}")
        return False

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

    def finish(self, timeout: float = CHILD_DEADLINE) -> tuple[str, object]:
        """Wait for the child (killing it at the deadline) and return its outcome."""
        if not self.done(timeout):
            self.kill()
            self.outcome = ("hung", timeout)
            if self.unsafe is not None:  # the fork's fault as likely as the manager's
                raise NotApplicable(f"a child hung for {timeout:.0f} s, and {self.unsafe}")
        assert self.outcome is not None
        return self.outcome

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
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            outcome: tuple[str, object]
            try:
                listen(None)  # the worker's call board belongs to the parent
                os.close(read)
                if gated:
                    os.read(self._gate_read, 1)
                outcome = ("ok", body())
            except BaseException as error:  # the child reports everything, then exits
                outcome = ("raised", f"{type(error).__name__}: {error}")
            try:
                data = _dumps(outcome)
                view = memoryview(data)
                while view:
                    view = view[os.write(write, view):]
            finally:
                os._exit(0)
        os.close(write)
        child = Child(pid, read, unsafe=unsafe)
        self.all.append(child)
        return child

    def release(self) -> None:
        """Let every gated child start at once."""
        os.write(self._gate_write, b"x" * max(1, len(self.all)))

    def close(self) -> None:
        """Kill and reap every child still running; close the gate."""
        for child in self.all:
            child.kill()
        for fd in (self._gate_read, self._gate_write):
            os.close(fd)


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
    pause there, so another process can look at the storage). ``calls`` is the count seen."""

    def __init__(self, manager: Any, at: int | None, sig: signal.Signals) -> None:
        self._manager = manager
        self._at = at
        self._sig = sig
        self.calls = 0

    def _profile(self, frame: Any, event: str, arg: Any) -> None:
        if event == "c_call":
            self.calls += 1
            if self.calls == self._at:
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
