"""The worker process: ``python -m conformance.isolation.worker IN_FD OUT_FD BOARD_FD``.

It reads requests from ``IN_FD`` and answers on ``OUT_FD`` (frames, :mod:`.frames`); its own
stdout goes to its stderr (a target printing megabytes never blocks or corrupts the protocol).
Requests: ``("describe", SubjectRef)`` answers ``("subject", SubjectInfo)`` or
``("subject_error", kind, message)`` (``kind`` is ``usage`` or ``import``); ``RunCheck``
answers ``("result", CheckRun)``. While the target runs, the call in flight is published on the
call board whose descriptor is ``BOARD_FD`` (:mod:`.board`), not sent. Process state the target
has no business changing (working directory, recursion limit, signal handlers, umask) is
compared around every call into the
target: a change made inside a call is the target's, the result says so in
``diagnostics["tampered"]`` and the worker exits (the kit starts a fresh one). Changes made
outside the target's calls are the context provider's (Dagster installs a SIGTERM handler while
it builds resources) and are undone silently, as are warning filters and ``sys.path``.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import warnings
from typing import Any, cast

from conformance.isolation.frames import ChannelClosed, FrameReader, write_frame
from conformance.isolation.protocol import RunCheck, SubjectInfo, SubjectRef

__all__ = ["main"]


class _SubjectProblem(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _resolve(ref: SubjectRef) -> Any:
    from conformance.subject import Subject, SubjectError
    from conformance.target import TargetError, resolve_target

    try:
        if ref.builtin is not None:
            from conformance.builtins import builtin_subjects

            for subject in builtin_subjects():
                if subject.name == ref.builtin:
                    return Subject.from_object(subject, values=ref.values, equals=ref.equals)
            raise _SubjectProblem("usage", f"no reference built-in is called {ref.builtin!r}")
        if ref.target is not None:
            obj = resolve_target(ref.target)
            return Subject.from_object(obj, name=ref.name or ref.target, values=ref.values,
                                       equals=ref.equals)
        assert ref.pickled is not None
        return Subject.from_object(pickle.loads(ref.pickled), name=ref.name, values=ref.values,
                                   equals=ref.equals)
    except TargetError as error:
        cause = error.cause
        missing_itself = isinstance(cause, ModuleNotFoundError) and "not found" in str(error)
        kind = "import" if cause is not None and not missing_itself else "usage"
        raise _SubjectProblem(kind, str(error)) from error
    except SubjectError as error:
        raise _SubjectProblem("usage", str(error)) from error


def _state() -> dict[str, object]:
    mask = os.umask(0o22)
    os.umask(mask)
    return {
        "working directory": os.getcwd(),
        "recursion limit": sys.getrecursionlimit(),
        "SIGINT handler": signal.getsignal(signal.SIGINT),
        "SIGTERM handler": signal.getsignal(signal.SIGTERM),
        "umask": oct(mask),
    }


def _restore(state: dict[str, object]) -> None:
    """Put back the process state recorded by :func:`_state`."""
    if os.getcwd() != state["working directory"]:
        os.chdir(cast(str, state["working directory"]))
    sys.setrecursionlimit(cast(int, state["recursion limit"]))
    for name, number in (("SIGINT handler", signal.SIGINT), ("SIGTERM handler", signal.SIGTERM)):
        handler = state[name]
        if handler is not None and signal.getsignal(number) != handler:
            signal.signal(number, cast(Any, handler))
    os.umask(int(cast(str, state["umask"]), 8))


class _StateWatch:
    """Compare process state around each tracked call into the target."""

    def __init__(self, board: Any) -> None:
        self.board = board
        self.open: list[tuple[str, str, dict[str, object]]] = []
        self.changed: list[str] = []

    def event(self, message: tuple[str, ...]) -> None:
        if message[0] == "call":
            self.open.append((message[1], message[2], _state()))
        elif message[0] == "return" and self.open:
            op, detail, before = self.open.pop()
            after = _state()
            self.changed.extend(
                f"{name} during {op}({detail}): {before[name]!r} -> {after[name]!r}"
                for name in before if before[name] != after[name]
            )
        top = self.open[-1] if self.open else None
        self.board.publish(None if top is None else f"{top[0]}({top[1]})")


class _Worker:
    def __init__(self, out_fd: int, board: Any) -> None:
        self.out_fd = out_fd
        self.subjects: dict[SubjectRef, Any] = {}
        self.contexts: dict[str, Any] = {}
        self.watch = _StateWatch(board)

    def send(self, message: object) -> None:
        write_frame(self.out_fd, message)

    def subject(self, ref: SubjectRef) -> Any:
        if ref not in self.subjects:
            from conformance.isolation.calls import tracked

            with tracked("import", ref.describe()):
                self.subjects[ref] = _resolve(ref)
        return self.subjects[ref]

    def describe(self, ref: SubjectRef) -> None:
        try:
            subject = self.subject(ref)
        except _SubjectProblem as problem:
            self.send(("subject_error", problem.kind, str(problem)))
            return
        except BaseException as error:  # the target's import raised or exited
            self.send(("subject_error", "import", f"importing the target raised "
                       f"{type(error).__name__}: {error}"))
            return
        self.send(("subject", SubjectInfo(subject.name, subject.capabilities,
                                          subject.takes_directory)))

    def run(self, task: RunCheck) -> bool:
        """Run one check; False when the worker must not be reused."""
        from dataclasses import replace

        from hypothesis import settings
        from hypothesis.database import DirectoryBasedExampleDatabase

        from conformance.checks import CHECKS
        from conformance.contexts import resolve_context_factory
        from conformance.execution import as_declared, execute_check
        from conformance.profiles import get_profile

        subject = as_declared(self.subject(task.subject))
        if task.contexts not in self.contexts:
            self.contexts[task.contexts] = resolve_context_factory(task.contexts)
        profile = get_profile(task.profile)
        if task.database is not None:
            database = DirectoryBasedExampleDatabase(task.database)
            profile = replace(
                profile,
                settings=settings(profile.settings, database=database),
                stateful=settings(profile.stateful, database=database),
            )
        before = _state()
        filters = list(warnings.filters)
        path = list(sys.path)
        self.watch.changed = []
        self.watch.open = []
        result = execute_check(
            CHECKS[task.check], subject, self.contexts[task.contexts], profile,
            seed=task.seed, replay=task.replay, in_worker=True,
        )
        cast(list[Any], warnings.filters)[:] = filters
        sys.path[:] = path
        changed = list(dict.fromkeys(self.watch.changed))
        _restore(before)
        if changed:
            diagnostics = dict(result.diagnostics or {})
            diagnostics["tampered"] = changed
            result = replace(result, diagnostics=diagnostics)
        self.send(("result", result))
        return not changed


def main(argv: list[str] | None = None) -> int:
    """Serve requests until the kit closes the request pipe."""
    args = sys.argv[1:] if argv is None else argv
    in_fd, out_fd, board_fd = int(args[0]), int(args[1]), int(args[2])
    os.dup2(2, 1)  # the target's prints go to the log, never into the protocol
    sys.stdout = sys.stderr
    from conformance.isolation.board import CallBoard
    from conformance.isolation.calls import listen

    worker = _Worker(out_fd, CallBoard(board_fd))
    listen(worker.watch.event)
    reader = FrameReader(in_fd)
    while True:
        try:
            request = reader.read(None)
        except ChannelClosed:
            return 0
        if isinstance(request, tuple) and request[0] == "describe":
            worker.describe(cast(SubjectRef, request[1]))  # ("describe", ref) from the parent
        elif isinstance(request, RunCheck):
            if not worker.run(request):
                return 0
        else:
            worker.send(("protocol_error", f"unknown request {request!r}"))


if __name__ == "__main__":
    sys.exit(main())
