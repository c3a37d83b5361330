"""``python -m conformance check``: run the kit on the target (or every built-in) from settled
arguments, in worker processes or (``--isolation none``) here, with progress on stderr."""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from typing import TextIO

from conformance.cli_settings import UsageError
from conformance.isolation.protocol import SubjectRef
from conformance.report import Report

__all__ = ["run_check"]

PROGRESS_AFTER = 3.0
"""Seconds after which a non-interactive run starts printing progress lines."""
PROGRESS_EVERY = 2.0
"""Least seconds between two progress lines on a log (the last check always gets one)."""


def run_check(args: argparse.Namespace) -> list[Report]:
    """One report per subject; usage problems raise :class:`UsageError`."""
    from conformance.isolation.pool import SubjectProblem, WorkerPool
    from conformance.isolation.session import check_in_workers

    seed = args.seed
    if seed is None and args.profile != "pr":
        seed = secrets.randbelow(2**32)
    args.seed_used = seed
    if args.contexts == "dagster":
        _require_dagster()
    refs = _with_values(args, _refs(args.target))
    if args.isolation == "none":
        return _check_in_process(args, refs, seed)
    reports: list[Report] = []
    try:
        with WorkerPool(args.jobs, call_timeout=args.call_timeout,
                        run_timeout=args.timeout, start="auto") as pool:
            pool.start()  # the workers import the target while the kit plans
            for ref, target in refs:
                header = _header(args, target, seed, "process")
                progress = progress_for(sys.stderr, target)
                try:
                    reports.append(check_in_workers(
                        ref, pool, contexts=args.contexts, profile=args.profile,
                        only=args.selection, seed=seed, database=args.hypothesis_database,
                        header=header, on_progress=progress.update,
                    ))
                finally:
                    progress.clear()
    except SubjectProblem as problem:
        raise UsageError(str(problem)) from problem
    return reports


def _header(args: argparse.Namespace, target: str, seed: int | None,
            isolation: str) -> dict[str, str]:
    from conformance.header import run_header

    header = run_header(target=target, contexts=args.contexts, profile=args.profile,
                        seed=seed, isolation=isolation, jobs=args.jobs, values=args.values)
    if args.selection.select or args.selection.ignore:
        header["selection"] = args.selection.describe()
    return header


def _with_values(
    args: argparse.Namespace, refs: list[tuple[SubjectRef, str]]
) -> list[tuple[SubjectRef, str]]:
    """``refs`` with ``--values``/``--equals`` (a family name is checked here; a
    ``MODULE:ATTR`` is imported by the worker, like the target)."""
    from dataclasses import replace

    from conformance.families import ValuesError, family

    if args.values is not None and ":" not in args.values:
        try:
            family(args.values)
        except ValuesError as exc:
            raise UsageError(str(exc)) from exc
    if args.equals is not None and ":" not in args.equals:
        raise UsageError(f"--equals {args.equals}: expected 'MODULE:FUNC'")
    return [(replace(ref, values=args.values, equals=args.equals), t) for ref, t in refs]


def _refs(target: str | None) -> list[tuple[SubjectRef, str]]:
    if target is not None:
        from conformance.target import TargetError, split_target

        try:
            split_target(target)
        except TargetError as exc:
            raise UsageError(str(exc)) from exc
        return [(SubjectRef(target=target), target)]
    from conformance.builtins import builtin_names

    return [(SubjectRef(builtin=name), f"builtin:{name}") for name in builtin_names()]


def _check_in_process(
    args: argparse.Namespace, refs: list[tuple[SubjectRef, str]], seed: int | None
) -> list[Report]:
    from dataclasses import replace

    from hypothesis.configuration import set_hypothesis_home_dir

    from conformance.api import check_io_manager
    from conformance.contexts import ContextFactoryError
    from conformance.isolation.pool import hypothesis_storage
    from conformance.subject import SubjectError
    from conformance.target import TargetError, resolve_target

    set_hypothesis_home_dir(hypothesis_storage())  # never ./.hypothesis, as in the workers
    reports: list[Report] = []
    for ref, target in refs:
        try:
            if ref.builtin is not None:
                from conformance.builtins import builtin_subjects

                subject: object = next(s for s in builtin_subjects() if s.name == ref.builtin)
            else:
                subject = resolve_target(target)
            progress = progress_for(sys.stderr, target)
            try:
                report = check_io_manager(subject, name=None if ref.builtin else target,
                                          contexts=args.contexts, profile=args.profile,
                                          only=args.selection, seed=seed, values=ref.values,
                                          equals=ref.equals, on_progress=progress.update)
            finally:
                progress.clear()
        except (TargetError, SubjectError, ContextFactoryError) as exc:
            raise UsageError(str(exc)) from exc
        reports.append(replace(report, header=_header(args, target, seed, "none")))
    return reports


def _require_dagster() -> None:
    import importlib.util

    if importlib.util.find_spec("dagster") is None:
        raise UsageError(
            "missing optional dependency 'dagster' for --contexts dagster; install the "
            "extra: pip install 'iomanager-spec[dagster]'"
        )


class Progress:
    """Progress of one subject's run on ``stream``: a self-rewriting line on a terminal; on a
    log (CI), after :data:`PROGRESS_AFTER` seconds, a line when the run moves on to another
    area of the spec (IOM-STORE, IOM-PART, ...; at most one per :data:`PROGRESS_EVERY`
    seconds), and one after the last check."""

    def __init__(self, stream: TextIO, subject: str, *, interactive: bool) -> None:
        self._stream = stream
        self._subject = subject
        self._interactive = interactive
        self._width = 0
        self._started = time.monotonic()
        self._last_area: str | None = None
        self._last_line = 0.0

    def update(self, check_name: str, done: int, total: int) -> None:
        """Called after each check with the number of checks done of ``total``."""
        if self._interactive:
            line = f"[{done}/{total}] {self._subject}: {check_name}"[:99]
            self._stream.write("\r" + line.ljust(self._width))
            self._stream.flush()
            self._width = len(line)
            return
        now = time.monotonic()
        elapsed = now - self._started
        area = _area_of(check_name)
        if done < total and (elapsed < PROGRESS_AFTER or area == self._last_area
                             or now - self._last_line < PROGRESS_EVERY):
            return
        if elapsed < PROGRESS_AFTER:  # a short run stays quiet
            return
        self._last_area, self._last_line = area, now
        line = f"conformance: {self._subject}: {done}/{total} checks, {area} ({elapsed:.0f} s)"
        self._stream.write(line[:100] + "\n")
        self._stream.flush()

    def clear(self) -> None:
        """Erase the interactive line (a log keeps its lines)."""
        if self._interactive and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()


def progress_for(stream: TextIO, subject: str) -> Progress:
    """The progress reporter for ``subject`` on ``stream`` (interactive when it is a tty)."""
    return Progress(stream, subject, interactive=stream.isatty())


def _area_of(check_name: str) -> str:
    """The spec area (e.g. ``IOM-STORE``) of the first requirement a check covers."""
    from conformance.checks import CHECKS

    check = CHECKS.get(check_name)
    if check is None or not check.requirements:
        return "checks"
    return "-".join(next(iter(check.requirements)).split("-")[:2])
