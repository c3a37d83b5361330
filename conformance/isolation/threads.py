"""Threads this process runs that Python did not start, and whether forking it is safe.

A fork copies only the calling thread; a lock another thread held at that moment stays held in
the child forever, and a native pool (polars', duckdb's, pyarrow's, OpenBLAS') that the child
then calls into is gone: the child deadlocks or crashes (SIGSEGV). Python's own threads are
counted by :func:`threading.active_count`; the native ones only by the operating system.
"""

from __future__ import annotations

import os
import threading

__all__ = ["native_threads", "native_threads_started"]


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


def native_threads_started() -> int:
    """Native threads started since the kit was imported (0 when none, or where the platform
    does not list its threads)."""
    return max(native_threads() - _BASELINE, 0)
