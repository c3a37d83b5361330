"""Hostile targets: correct pickle-directory managers that exit, crash, hang or tamper with
their process on the first ``handle_output``. The kit must end each in a verdict (exit code 3,
ERROR rows naming the call in flight), never in a pass, a hang or a missing report."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from typing import Any

from tests.conformance.corpus.correct import HashedPickleDirManager

__all__ = [
    "Aborts",
    "Deadlocks",
    "ExitsWithOsExit",
    "ExitsWithSysExit",
    "Hangs",
    "KilledBySignal",
    "RaisesKeyboardInterrupt",
    "RaisesMemoryError",
    "ChangesDirectory",
    "ChangesRecursionLimit",
    "PrintsMegabytes",
    "Segfaults",
]


class _OnFirstStore(HashedPickleDirManager):
    def misbehave(self) -> None:
        raise NotImplementedError

    def handle_output(self, context: Any, obj: Any) -> None:
        self.misbehave()
        super().handle_output(context, obj)


class ExitsWithSysExit(_OnFirstStore):
    def misbehave(self) -> None:
        sys.exit(0)


class ExitsWithOsExit(_OnFirstStore):
    def misbehave(self) -> None:
        os._exit(0)


class Segfaults(_OnFirstStore):
    def misbehave(self) -> None:
        ctypes.string_at(0)


class Aborts(_OnFirstStore):
    def misbehave(self) -> None:
        os.abort()


class KilledBySignal(_OnFirstStore):
    def misbehave(self) -> None:
        os.kill(os.getpid(), signal.SIGKILL)


class RaisesMemoryError(_OnFirstStore):
    def misbehave(self) -> None:
        raise MemoryError("out of memory while storing")


class RaisesKeyboardInterrupt(_OnFirstStore):
    def misbehave(self) -> None:
        raise KeyboardInterrupt


ONCE_DIRECTORY_VARIABLE = "IOM_HOSTILE_ONCE_DIR"
"""Where the hanging targets leave a marker: with it set, they hang on the first store of the
whole run only (every later worker stores normally), so a test waits for one per-call deadline
instead of one per check."""


def _first_in_run(name: str) -> bool:
    directory = os.environ.get(ONCE_DIRECTORY_VARIABLE)
    if directory is None:
        return True
    try:
        os.close(os.open(os.path.join(directory, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


class Hangs(_OnFirstStore):
    def misbehave(self) -> None:
        if _first_in_run("hangs"):
            time.sleep(3600)


_LOCK = threading.Lock()


class Deadlocks(_OnFirstStore):
    def misbehave(self) -> None:
        if _first_in_run("deadlocks"):
            _LOCK.acquire()  # never released: the second acquire waits forever
            _LOCK.acquire()


class ChangesDirectory(HashedPickleDirManager):
    def handle_output(self, context: Any, obj: Any) -> None:
        super().handle_output(context, obj)
        os.chdir("/")


class ChangesRecursionLimit(HashedPickleDirManager):
    def handle_output(self, context: Any, obj: Any) -> None:
        super().handle_output(context, obj)
        sys.setrecursionlimit(sys.getrecursionlimit() + 17)


class PrintsMegabytes(HashedPickleDirManager):
    """Correct, but writes 4 MB to stdout on its first store (it must still pass)."""

    printed = False

    def handle_output(self, context: Any, obj: Any) -> None:
        if not PrintsMegabytes.printed:
            PrintsMegabytes.printed = True
            sys.stdout.write("x" * (4 << 20) + "\n")
            sys.stdout.flush()
        super().handle_output(context, obj)
