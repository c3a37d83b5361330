"""Worker processes seen from the kit: start, exchange requests under deadlines, diagnose a
death or a hang, restart, and run many checks over ``jobs`` workers at once.

Deadlines: while a manager call is in flight (the worker publishes it on a shared page,
:mod:`.board`) it must return within ``call_timeout`` seconds; between calls the worker must
show progress within ``idle_timeout``; nothing runs past the whole-run ``deadline``
(a ``time.monotonic`` instant). A worker that dies or overruns is killed and its check becomes
a ``died`` :class:`~conformance.execution.CheckRun` whose ``diagnostics`` name the call in
flight, the cause and the tail of the worker's stderr; the next check gets a fresh worker.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from conformance.execution import CheckRun
from conformance.isolation.board import CallBoard
from conformance.isolation.deadlines import CALL_DEADLINE_VARIABLE
from conformance.isolation.frames import ChannelClosed, FrameReader, FrameTimeout, write_frame
from conformance.isolation.process import WorkerHandle, kill_worker, start_worker
from conformance.isolation.protocol import RunCheck, SubjectInfo, SubjectRef
from conformance.isolation.schedule import DurationLog, cache_directory, longest_first

__all__ = ["SubjectProblem", "WorkerDied", "WorkerPool", "WorkerProcess"]

_SIGNAL_NOTES = {
    signal.SIGSEGV: "a segmentation fault",
    signal.SIGABRT: "abort()",
    signal.SIGKILL: "SIGKILL (killed from outside, or by the kernel's out-of-memory killer)",
    signal.SIGBUS: "a bus error",
    signal.SIGFPE: "a floating-point exception",
}


class WorkerDied(RuntimeError):
    """The worker died or overran a deadline; ``diagnostics`` say where and why."""

    def __init__(self, diagnostics: dict[str, object]) -> None:
        super().__init__(str(diagnostics.get("cause", "the worker died")))
        self.diagnostics = diagnostics


class SubjectProblem(Exception):
    """The worker could not make a subject of the target: ``kind`` is ``usage`` (not found, not
    a manager) or ``import`` (importing the target raised, exited or hung)."""

    def __init__(self, kind: str, message: str, diagnostics: dict[str, object] | None = None):
        super().__init__(message)
        self.kind = kind
        self.diagnostics = diagnostics or {}


def _import_path() -> str:
    entries = [os.path.abspath(p or os.curdir) for p in sys.path]
    return os.pathsep.join(dict.fromkeys(p for p in entries if os.path.isdir(p)))


def hypothesis_storage() -> str:
    """Where workers keep Hypothesis' caches (constants, unicode data): the user's
    ``HYPOTHESIS_STORAGE_DIRECTORY`` if set, else the kit's own cache directory, never a
    ``.hypothesis`` folder in the user's working directory."""
    chosen = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
    if chosen:
        return chosen
    return str(cache_directory() / "hypothesis")


_POLL_SECONDS = 0.25
"""How often the kit looks at a busy worker's call board."""


@dataclass
class _Deadlines:
    call: float
    idle: float
    run_deadline: float | None
    start: str = "exec"


class WorkerProcess:
    """One worker process, started on first use and again after it died."""

    def __init__(self, deadlines: _Deadlines) -> None:
        self._deadlines = deadlines
        self._proc: WorkerHandle | None = None
        self._log: IO[bytes] | None = None
        self._request_fd = -1
        self._reader: FrameReader | None = None
        self._board = CallBoard.create()

    def _start(self) -> None:
        request_r, request_w = os.pipe()
        result_r, result_w = os.pipe()
        self._log = tempfile.TemporaryFile(prefix="iomanager-conformance-worker-")  # noqa: SIM115
        env = dict(os.environ, PYTHONPATH=_import_path(), PYTHONUNBUFFERED="1",
                   HYPOTHESIS_STORAGE_DIRECTORY=hypothesis_storage(),
                   **{CALL_DEADLINE_VARIABLE: repr(self._deadlines.call)})
        self._board.clear()
        try:
            self._proc = start_worker((request_r, result_w, self._board.fileno()), self._log, env,
                                      self._deadlines.start)
        finally:
            os.close(request_r)
            os.close(result_w)
        self._request_fd = request_w
        self._reader = FrameReader(result_r)

    def start(self) -> None:
        """Start the worker now if it is not running (else it starts on first use)."""
        if not self.alive:
            self.stop()
            self._start()

    @property
    def alive(self) -> bool:
        """Whether the worker process is running."""
        return self._proc is not None and self._proc.poll() is None

    def exchange(self, message: object) -> Any:
        """Send ``message`` and return the reply, enforcing the deadlines meanwhile."""
        self.start()
        assert self._reader is not None
        try:
            write_frame(self._request_fd, message)
        except OSError:
            raise self._died(self._board.read()[1], None) from None
        sent = time.monotonic()
        while True:
            started, call = self._board.read()
            since = max(sent, started)
            now = time.monotonic()
            wait = (self._deadlines.call if call else self._deadlines.idle) - (now - since)
            overran = None if wait > 0 else ("call" if call else "idle")
            if self._deadlines.run_deadline is not None:
                run_left = self._deadlines.run_deadline - now
                if run_left <= 0:
                    overran = "run"
                wait = min(wait, run_left)
            if overran is not None:
                raise self._died(call, overran)
            try:
                return self._reader.read(min(wait, _POLL_SECONDS))
            except FrameTimeout:
                continue
            except ChannelClosed:
                raise self._died(self._board.read()[1], None) from None

    def _died(self, call: str | None, overran: str | None) -> WorkerDied:
        if overran is not None:
            assert self._proc is not None
            kill_worker(self._proc)
        code = self._wait()
        if overran == "call":
            op = (call or "the call").split("(", 1)[0]
            cause = (f"{op} did not return within the per-call deadline of "
                     f"{self._deadlines.call:g} s (--call-timeout); the worker was killed")
        elif overran == "idle":
            cause = (f"no progress for {self._deadlines.idle:g} s outside any manager call "
                     f"(the target or the kit hung); the worker was killed")
        elif overran == "run":
            cause = "the whole-run deadline (--timeout) passed; the worker was killed"
        elif code is not None and code < 0:
            number = -code
            name = signal.Signals(number).name if number in signal.Signals._value2member_map_ \
                else f"signal {number}"
            note = _SIGNAL_NOTES.get(signal.Signals(number)) if name.startswith("SIG") else None
            cause = f"the worker was killed by {name}" + (f" ({note})" if note else "")
        else:
            cause = (f"the worker exited with code {code} while running the target "
                     f"(os._exit or an exit at C level)")
        diagnostics: dict[str, object] = {"call": call, "cause": cause,
                                          "stderr_tail": self._stderr_tail()}
        if code is not None:
            diagnostics["exit_code"] = code
        self.stop()
        return WorkerDied(diagnostics)

    def _wait(self) -> int | None:
        if self._proc is None:
            return None
        try:
            return self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_worker(self._proc)
            return self._proc.wait()

    def _stderr_tail(self, lines: int = 20, width: int = 300) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        size = self._log.seek(0, os.SEEK_END)
        self._log.seek(max(size - 8192, 0))
        text = self._log.read().decode("utf-8", "replace")
        tail = [line[:width] + ("..." if len(line) > width else "")
                for line in text.splitlines()[-lines:]]
        return "\n".join(tail)

    def stop(self) -> None:
        """Stop the worker (closing its request pipe; killed if it does not exit)."""
        if self._request_fd >= 0:
            os.close(self._request_fd)
            self._request_fd = -1
        if self._proc is not None:
            if self._proc.poll() is None:
                try:
                    self._proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    kill_worker(self._proc)
                    self._proc.wait()
            self._proc = None
        if self._reader is not None:
            os.close(self._reader.fd)
            self._reader = None
        if self._log is not None:
            self._log.close()
            self._log = None


    def close(self) -> None:
        """Stop the worker for good and release its call board."""
        self.stop()
        self._board.close()


class WorkerPool:
    """``jobs`` workers running checks; results come back in the order of the tasks."""

    def __init__(
        self,
        jobs: int = 1,
        *,
        call_timeout: float = 60.0,
        idle_timeout: float | None = None,
        run_timeout: float | None = None,
        start: str = "exec",
    ) -> None:
        """``start`` is how workers start (:func:`~conformance.isolation.process.choose_start`):
        ``exec`` a fresh interpreter, ``auto`` a fork of this process where that is safe."""
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        deadline = None if run_timeout is None else time.monotonic() + run_timeout
        self._deadlines = _Deadlines(call_timeout, idle_timeout or max(4 * call_timeout, 120.0),
                                     deadline, start)
        self._workers = [WorkerProcess(self._deadlines) for _ in range(jobs)]

    def start(self) -> None:
        """Start every worker now, side by side (they import the target while the kit plans)."""
        for worker in self._workers:
            worker.start()

    @property
    def jobs(self) -> int:
        """How many workers run checks at once."""
        return len(self._workers)

    def deadline_passed(self) -> bool:
        """Whether the whole-run deadline has passed."""
        deadline = self._deadlines.run_deadline
        return deadline is not None and time.monotonic() >= deadline

    def describe(self, ref: SubjectRef) -> SubjectInfo:
        """Import the target in a worker and return what it declares. The other workers import
        it at the same time (what they answer is not used: a worker that failed to import dies
        again on its first check and says so there)."""
        others = [threading.Thread(target=self._prepare, args=(w, ref), daemon=True)
                  for w in self._workers[1:] if w.alive]
        for thread in others:
            thread.start()
        try:
            reply = self._workers[0].exchange(("describe", ref))
        except WorkerDied as died:
            raise SubjectProblem(
                "import", f"importing {ref.describe()!r} killed the worker: "
                f"{died.diagnostics['cause']}", died.diagnostics
            ) from None
        finally:
            for thread in others:
                thread.join()
        if reply[0] == "subject_error":
            raise SubjectProblem(str(reply[1]), str(reply[2]))
        info = reply[1]
        assert isinstance(info, SubjectInfo)
        return info

    @staticmethod
    def _prepare(worker: WorkerProcess, ref: SubjectRef) -> None:
        with contextlib.suppress(WorkerDied):
            worker.exchange(("describe", ref))

    def run(
        self, tasks: Sequence[RunCheck], on_done: Callable[[str], None] | None = None
    ) -> list[CheckRun]:
        """Run every task over the workers; a task that could not finish is a ``died`` run.
        ``on_done(check_name)`` is called as each task finishes (from the pool's threads)."""
        results: list[CheckRun | None] = [None] * len(tasks)
        pending: queue.Queue[int] = queue.Queue()
        lock = threading.Lock()
        durations = DurationLog()
        for index in longest_first([task.check for task in tasks], durations.seconds):
            pending.put(index)

        def serve(worker: WorkerProcess) -> None:
            while True:
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                started = time.perf_counter()
                run = results[index] = self._run_one(worker, tasks[index])
                with lock:
                    if run.kind != "died":
                        durations.record(tasks[index].check, time.perf_counter() - started)
                    if on_done is not None:
                        on_done(tasks[index].check)

        used = self._workers[: max(1, min(len(self._workers), len(tasks)))]
        if len(used) == 1:
            serve(used[0])
        else:
            threads = [threading.Thread(target=serve, args=(w,), daemon=True) for w in used]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        durations.save()
        return [r for r in results if r is not None]

    def _run_one(self, worker: WorkerProcess, task: RunCheck) -> CheckRun:
        if self.deadline_passed():
            return CheckRun(task.check, "died", diagnostics={
                "call": None, "cause": "not run: the whole-run deadline (--timeout) passed",
                "stderr_tail": ""})
        try:
            reply = worker.exchange(task)
        except WorkerDied as died:
            return CheckRun(task.check, "died", diagnostics=died.diagnostics)
        if reply[0] != "result":
            return CheckRun(task.check, "crash", message=f"worker protocol error: {reply!r}")
        run = reply[1]
        assert isinstance(run, CheckRun)
        if (run.diagnostics or {}).get("tampered"):
            worker.stop()  # it exits after a tampered check: never hand it the next one
        return run

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            worker.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
