"""``python -m conformance``: check an IO manager (or every reference built-in) from the shell.

Exit codes are a contract for CI, one meaning each:

* ``0``: every applicable MUST requirement passed and every check ran to the end;
* ``1``: a MUST requirement failed (the report shows which, with its counterexample);
* ``2``: usage error: bad arguments, a target that is not found or is not a manager, a
  missing optional dependency (e.g. dagster for ``--contexts dagster``);
* ``3``: the kit could not judge: the target's import failed, the target crashed, exited,
  hung or tampered with the worker, a deadline passed, or the kit itself failed.

The target runs in worker processes (``--isolation process``, the default), never in the
kit's process; the report is written in every case but a usage error.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from conformance.checkers import CHECKERS
from conformance.isolation.protocol import SubjectRef
from conformance.report import Report, Verdict

__all__ = [
    "EXIT_FAILED",
    "EXIT_NOT_JUDGED",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "build_parser",
    "exit_code_for",
    "main",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_JUDGED = 3

_CONTEXTS = ("reference", "dagster")
_PROFILES = ("pr", "dev", "thorough")
DEFAULT_CALL_TIMEOUT = 60.0
"""Seconds one manager call may take; correct managers (S3 through moto included) take well
under a second per call."""
DEFAULT_RUN_TIMEOUT = 3600.0


class UsageError(Exception):
    """A problem with how the kit was invoked; reported on stderr with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m conformance``."""
    parser = argparse.ArgumentParser(
        prog="python -m conformance",
        description="Check IO managers against the iomanager-spec requirements.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="run the behavioural conformance checks",
        description="Run the conformance checks on TARGET, or on every reference built-in "
        "when TARGET is omitted. Exit codes: 0 pass, 1 a MUST failed, 2 usage error, "
        "3 the kit could not judge.",
    )
    check.add_argument(
        "target",
        nargs="?",
        metavar="TARGET",
        help="'package.module:attr' or 'path/to/file.py:attr': a manager, a manager class, an "
        "IO manager definition or factory, a callable returning one (no argument, or a fresh "
        "directory), or a conformance Subject",
    )
    check.add_argument("--contexts", choices=_CONTEXTS, default="reference",
                       help="which contexts to drive the manager with (default: reference)")
    check.add_argument("--profile", choices=_PROFILES, default="pr",
                       help="example budget: pr (seconds), dev, thorough (default: pr)")
    check.add_argument("--only", metavar="ID_PREFIX",
                       help="only requirements whose ID starts with this, e.g. IOM-STORE")
    check.add_argument("--seed", type=int, metavar="N",
                       help="seed every hypothesis run (default: pr is derandomized; dev and "
                       "thorough pick a seed and print it in the report header)")
    check.add_argument("--values", metavar="FAMILY|MODULE:STRATEGY", default=None,
                       help="the values the manager stores: pickle (default), json, msgpack, "
                       "pandas, polars, arrow, or a hypothesis strategy (or a function "
                       "returning one)")
    check.add_argument("--equals", metavar="MODULE:FUNC", default=None,
                       help="how a loaded value compares with the stored one (default: the "
                       "values family's equality, else strict equality)")
    check.add_argument("--fatal-context-defects", action="store_true",
                       help="let defects of the context provider (e.g. Dagster's contexts "
                       "violating IOM-PART-001) fail the run like the manager's own failures")
    check.add_argument("--hypothesis-database", metavar="PATH|none", default="none",
                       help="a hypothesis example database directory, or none (default)")
    _add_isolation_options(check)
    check.add_argument("--repro-dir", metavar="DIR", type=Path,
                       help="write one standalone pytest file per failing requirement to DIR")
    check.add_argument("--failures-dir", metavar="DIR|none", default=None,
                       help="where failures are stored for 'replay' (default: "
                       ".conformance/failures; none: do not store)")
    _add_output_options(check)
    replay = commands.add_parser(
        "replay",
        help="rerun stored failures and say which are FIXED or STILL FAILING",
        description="Rerun every failure stored by 'check' (in --failures-dir) on its recorded "
        "example. Exit codes: 0 all fixed, 1 some still failing, 2 usage error, 3 some could "
        "not be replayed.",
    )
    replay.add_argument("--failures-dir", metavar="DIR", type=Path, default=None,
                        help="where the failures are stored (default: .conformance/failures)")
    _add_isolation_options(replay)
    typecheck = commands.add_parser(
        "typecheck",
        help="check with a type checker that TARGET satisfies the spec protocols",
        description="Type-check TARGET against spec.IOManager / spec.IOManagerFactory with "
        "mypy --strict or another checker (docs/TYPING.md). Exit codes: 0 conforms, 1 does "
        "not, 2 usage error (bad target, unknown or uninstalled checker), 3 the checker could "
        "not judge.",
    )
    typecheck.add_argument("target", metavar="TARGET",
                           help="'package.module:attr' or 'path/to/file.py:attr'")
    typecheck.add_argument("--checker", choices=CHECKERS, default=None,
                           help="the type checker (default: mypy if installed, else the first "
                           "installed of " + ", ".join(CHECKERS) + ")")
    _add_output_options(typecheck)
    return parser


def _add_isolation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                        help="run checks in N worker processes at once (default: 1)")
    parser.add_argument("--call-timeout", type=float, default=DEFAULT_CALL_TIMEOUT,
                        metavar="SECONDS",
                        help=f"deadline of one manager call (default: {DEFAULT_CALL_TIMEOUT:g})")
    parser.add_argument("--timeout", type=float, default=DEFAULT_RUN_TIMEOUT, metavar="SECONDS",
                        help=f"deadline of the whole run (default: {DEFAULT_RUN_TIMEOUT:g})")
    parser.add_argument("--isolation", choices=("process", "none"), default="process",
                        help="run the target in worker processes (default) or, for debugging, "
                        "in the kit's own process")


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", metavar="PATH", type=Path,
                        help="also write the report as JSON to PATH")
    parser.add_argument("--markdown", metavar="PATH", type=Path,
                        help="also write a Markdown summary to PATH (e.g. $GITHUB_STEP_SUMMARY)")
    parser.add_argument("--junit", metavar="PATH", type=Path,
                        help="also write JUnit XML to PATH (one testcase per requirement)")


def exit_code_for(reports: Sequence[Report]) -> int:
    """1 when a MUST failed anywhere, else 3 when anything could not be judged, else 0."""
    verdicts = {report.verdict for report in reports}
    if Verdict.FAIL in verdicts:
        return EXIT_FAILED
    if Verdict.ERROR in verdicts or not reports:
        return EXIT_NOT_JUDGED
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse reports usage errors (and --help) by exiting
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        _absolute_paths(args)
        _ensure_writable_outputs(args)
        if args.command == "replay":
            from conformance.replay_command import run_replay

            return run_replay(args, sys.stdout)
        reports = (_typecheck(args.target, args.checker) if args.command == "typecheck"
                   else _check(args))
        if getattr(args, "fatal_context_defects", False):
            from dataclasses import replace

            reports = [replace(report, context_defects_fatal=True) for report in reports]
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # the kit's own failure: never 0 or 1
        print("internal error in the conformance kit (please report it):", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        return EXIT_NOT_JUDGED
    return _finish(args, reports)


def _absolute_paths(args: argparse.Namespace) -> None:
    """Resolve every output path now, before any target code could change the directory."""
    for name in ("json", "markdown", "junit", "repro_dir"):
        value = getattr(args, name, None)
        if value is not None:
            setattr(args, name, Path(os.path.abspath(value)))
    failures = getattr(args, "failures_dir", None)
    if args.command == "check":
        if failures is None:
            from conformance.failures import DEFAULT_FAILURES_DIR

            args.failures_dir = Path(os.path.abspath(DEFAULT_FAILURES_DIR))
        elif str(failures).lower() == "none":
            args.failures_dir = None
        else:
            args.failures_dir = Path(os.path.abspath(failures))
        database = args.hypothesis_database
        args.hypothesis_database = (
            None if str(database).lower() == "none" else os.path.abspath(database)
        )
    elif args.command == "replay":
        from conformance.failures import DEFAULT_FAILURES_DIR

        args.failures_dir = Path(os.path.abspath(failures or DEFAULT_FAILURES_DIR))
    if getattr(args, "jobs", 1) < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    for name in ("call_timeout", "timeout"):
        if getattr(args, name, 1.0) <= 0:
            raise UsageError(f"--{name.replace('_', '-')} must be positive")


def _finish(args: argparse.Namespace, reports: list[Report]) -> int:
    from conformance.render import render_json, render_markdown, render_terminal

    print(render_terminal(reports, color=_wants_color(sys.stdout)), end="")
    try:
        _write(args.json, lambda: render_json(reports))
        _write(args.markdown, lambda: render_markdown(reports))
        if args.junit is not None:
            from conformance.junit import render_junit

            _write(args.junit, lambda: render_junit(reports))
    except OSError as exc:
        print(f"error: cannot write the report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        _keep_failures(args, reports)
    return exit_code_for(reports)


def _keep_failures(args: argparse.Namespace, reports: list[Report]) -> None:
    from conformance.failures import failure_records, store_failures
    from conformance.replay import write_reproduction

    for report in reports:
        target = report.header.get("target", report.subject)
        try:
            if args.failures_dir is not None:
                store_failures(args.failures_dir, report, target, args.seed_used)
            if args.repro_dir is not None:
                for record in failure_records(report, target, args.seed_used):
                    path = write_reproduction(args.repro_dir, record)
                    print(f"reproduction of {record.requirement_id}: {path}")
        except OSError as exc:
            print(f"warning: cannot store failures: {exc}", file=sys.stderr)


def _check(args: argparse.Namespace) -> list[Report]:
    from conformance.header import run_header
    from conformance.isolation.pool import SubjectProblem, WorkerPool
    from conformance.isolation.session import check_in_workers

    if args.only is not None:
        _validate_prefix(args.only)
    seed = args.seed
    if seed is None and args.profile != "pr":
        seed = secrets.randbelow(2**32)
    args.seed_used = seed
    if args.contexts == "dagster":
        _require_dagster()
    refs = _with_values(args, _refs(args.target))
    if args.isolation == "none":
        return _check_in_process(args, refs, seed)
    progress = _Progress(sys.stderr) if sys.stderr.isatty() else None
    reports = []
    try:
        with WorkerPool(args.jobs, call_timeout=args.call_timeout,
                        run_timeout=args.timeout, start="auto") as pool:
            pool.start()  # the workers import the target while the kit plans
            for ref, target in refs:
                header = run_header(target=target, contexts=args.contexts,
                                    profile=args.profile, seed=seed, isolation="process",
                                    jobs=args.jobs, values=args.values)
                reports.append(check_in_workers(
                    ref, pool, contexts=args.contexts, profile=args.profile, only=args.only,
                    seed=seed, database=args.hypothesis_database, header=header,
                    on_progress=None if progress is None else progress.update,
                ))
    except SubjectProblem as problem:
        raise UsageError(str(problem)) from problem
    finally:
        if progress is not None:
            progress.clear()
    return reports


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

    from conformance.api import check_io_manager
    from conformance.contexts import ContextFactoryError
    from conformance.header import run_header
    from conformance.subject import SubjectError
    from conformance.target import TargetError, resolve_target

    reports = []
    for ref, target in refs:
        try:
            if ref.builtin is not None:
                from conformance.builtins import builtin_subjects

                subject: object = next(s for s in builtin_subjects() if s.name == ref.builtin)
            else:
                subject = resolve_target(target)
            report = check_io_manager(subject, name=None if ref.builtin else target,
                                      contexts=args.contexts, profile=args.profile,
                                      only=args.only, seed=seed, values=ref.values,
                                      equals=ref.equals)
        except (TargetError, SubjectError, ContextFactoryError) as exc:
            raise UsageError(str(exc)) from exc
        header = run_header(target=target, contexts=args.contexts, profile=args.profile,
                            seed=seed, isolation="none", values=args.values)
        reports.append(replace(report, header=header))
    return reports


def _require_dagster() -> None:
    import importlib.util

    if importlib.util.find_spec("dagster") is None:
        raise UsageError(
            "missing optional dependency 'dagster' for --contexts dagster; install the "
            "extra: pip install 'iomanager-spec[dagster]'"
        )


def _typecheck(target: str, checker: str | None) -> list[Report]:
    from conformance.target import TargetError
    from conformance.typecheck import TypecheckError, typecheck_target

    try:
        return [typecheck_target(target, checker)]
    except (TargetError, TypecheckError) as exc:
        raise UsageError(str(exc)) from exc


def _validate_prefix(prefix: str) -> None:
    from spec.requirements import iter_requirements

    if next(iter_requirements(prefix), None) is None:
        raise UsageError(
            f"--only {prefix!r} matches no requirement; IDs look like 'IOM-STORE-001' and "
            f"prefixes like 'IOM-STORE' or 'IOM-PART-00'"
        )


def _ensure_writable_outputs(args: argparse.Namespace) -> None:
    """Refuse an unwritable report path now, not after a long run (exit 2)."""
    for name in ("json", "markdown", "junit"):
        path = getattr(args, name, None)
        if path is None:
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot write the report to {str(path)!r} (--{name}): {exc}") from exc
        if path.is_dir() or not os.access(path.parent, os.W_OK):
            raise UsageError(
                f"cannot write the report to {str(path)!r} (--{name}): "
                "give a writable file path"
            )


def _write(path: Path | None, render: object) -> None:
    if path is not None:
        assert callable(render)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(str(render()), encoding="utf-8")


def _wants_color(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


class _Progress:
    """A one-line progress indicator for an interactive stderr."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._width = 0

    def update(self, check_name: str, done: int, total: int) -> None:
        line = f"[{done}/{total}] {check_name}"[:100]
        self._stream.write("\r" + line.ljust(self._width))
        self._stream.flush()
        self._width = len(line)

    def clear(self) -> None:
        self._stream.write("\r" + " " * self._width + "\r")
        self._stream.flush()
