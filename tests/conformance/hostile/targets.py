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


class Hangs(_OnFirstStore):
    def misbehave(self) -> None:
        time.sleep(3600)


_LOCK = threading.Lock()


class Deadlocks(_OnFirstStore):
    def misbehave(self) -> None:
        _LOCK.acquire()  # never released: the second store waits forever
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
