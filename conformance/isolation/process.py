"""Starting a worker process: a fresh interpreter (``exec``) or a fork of the kit (``fork``).

A forked worker starts with the kit's modules already imported (the kit never imports the
target, so the fork holds none of it) and skips a second interpreter start-up and the import
of the kit and Hypothesis: about a quarter of a second per worker on 2 cores, paid by every
``-j`` run and again on every restart. It is used only where forking is safe: on Linux, from a
process with a single thread (a fork copies only the calling thread, and a lock another thread
holds stays held in the child forever) that runs no native thread started since the kit was
imported (a library's pool, such as polars' or OpenBLAS': a forked worker that calls into it
crashes or hangs; :mod:`conformance.isolation.threads`), and only where the caller allows it:
the CLI does (its process is the kit alone); the pytest plugin does not (a fork of a test
session would carry the session's Hypothesis profile and plugins into the worker). Elsewhere,
and when the environment variable ``IOMANAGER_CONFORMANCE_WORKER_START`` is ``exec``, a fresh
interpreter runs ``python -m conformance.isolation.worker``. Either way the worker has its own
session (a Ctrl-C reaches the kit, which stops its workers), no stdin, stdout and stderr in
``log`` and no descriptor of the kit's but the ones it is given.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from typing import IO, Protocol

from conformance.isolation.threads import native_threads_started

__all__ = [
    "START_ENVIRONMENT_VARIABLE", "WorkerHandle", "choose_start", "kill_worker", "start_worker",
]

START_ENVIRONMENT_VARIABLE = "IOMANAGER_CONFORMANCE_WORKER_START"
"""``exec``, ``fork`` or ``auto`` (the default): how worker processes are started."""


class WorkerHandle(Protocol):
    """What the pool needs of a started worker (``subprocess.Popen`` has it)."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def kill(self) -> None: ...


def choose_start(preferred: str = "auto") -> str:
    """``fork`` or ``exec``: what the environment variable asks for, else ``preferred``; ``auto``
    and ``fork`` fork only where it is safe."""
    asked = os.environ.get(START_ENVIRONMENT_VARIABLE, "").strip().lower() or preferred
    if asked not in ("auto", "exec", "fork"):
        raise ValueError(f"{START_ENVIRONMENT_VARIABLE} must be auto, exec or fork, not {asked!r}")
    safe = (sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1
            and native_threads_started() == 0)
    if asked == "fork" and not safe:
        return "exec"  # forking a threaded process can deadlock the child: never do it
    if asked == "auto":
        return "fork" if safe else "exec"
    return asked


def kill_worker(worker: WorkerHandle) -> None:
    """SIGKILL the worker and every process of its session (the children a multi-process check
    forked die with it instead of running on as orphans)."""
    if worker.returncode is None:  # not reaped: its pid (and session id) is still its own
        with contextlib.suppress(OSError):
            if os.getpgid(worker.pid) == worker.pid:
                os.killpg(worker.pid, signal.SIGKILL)
    worker.kill()


def start_worker(
    fds: tuple[int, int, int], log: IO[bytes], env: Mapping[str, str], preferred: str = "exec"
) -> WorkerHandle:
    """Start a worker serving requests on ``fds`` (request read end, result write end, call
    board); ``env`` is the environment it runs with; ``preferred`` as in :func:`choose_start`."""
    if choose_start(preferred) == "fork":
        return _ForkedWorker(fds, log, env)
    return subprocess.Popen(
        [sys.executable, "-m", "conformance.isolation.worker", *map(str, fds)],
        pass_fds=fds,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        env=dict(env),
        start_new_session=True,
    )


class _ForkedWorker:
    """A worker forked from the kit, with ``Popen``'s ``poll``/``wait``/``kill``."""

    def __init__(self, fds: tuple[int, int, int], log: IO[bytes], env: Mapping[str, str]):
        self.returncode: int | None = None
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()  # nothing buffered in the kit is written twice
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            _serve_in_child(fds, log.fileno(), env)
        self.pid = pid

    def poll(self) -> int | None:
        """The exit code (``-N``: killed by signal N) or ``None`` while it runs."""
        if self.returncode is None:
            try:
                done, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                done, status = self.pid, 0
            if done:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit code; ``subprocess.TimeoutExpired`` after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.0005
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout or 0.0)
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        return code

    def kill(self) -> None:
        """SIGKILL the worker (nothing happens when it has already been reaped)."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


def _serve_in_child(fds: tuple[int, int, int], log_fd: int, env: Mapping[str, str]) -> None:
    """The forked child: detach, keep only its own descriptors, serve, and ``os._exit``."""
    code = 1
    try:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        _close_all_but({0, 1, 2, *fds})
        os.environ.clear()
        os.environ.update(env)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a fresh interpreter
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        from hypothesis.configuration import set_hypothesis_home_dir

        set_hypothesis_home_dir(env.get("HYPOTHESIS_STORAGE_DIRECTORY"))
        from conformance.isolation.worker import main

        code = main([str(fd) for fd in fds])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(code)


def _close_all_but(keep: set[int]) -> None:
    """Close every descriptor of this process not in ``keep``."""
    try:
        open_fds = sorted(int(name) for name in os.listdir("/proc/self/fd"))
    except OSError:
        open_fds = list(range(3, 4096))
    for fd in open_fds:
        if fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)
