"""``python -m conformance``: check an IO manager (or every reference built-in) from the shell.

Exit codes are a contract for CI:

* ``0``: every applicable MUST requirement passed;
* ``1``: a MUST requirement failed (the terminal report shows which, with its counterexample);
* ``2``: usage error: bad arguments, a target that cannot be imported or is not a manager, or a
  missing optional dependency (e.g. dagster for ``--contexts dagster``); the message is on
  stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from conformance.render import render_json, render_markdown, render_terminal
from conformance.report import Report
from conformance.target import TargetError, resolve_target

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "UsageError", "build_parser", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

_CONTEXTS = ("reference", "dagster")
_PROFILES = ("pr", "dev", "thorough")


class UsageError(Exception):
    """A problem with how the kit was invoked; reported on stderr with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m conformance`` (``check`` and ``typecheck``)."""
    parser = argparse.ArgumentParser(
        prog="python -m conformance",
        description="Check IO managers against the iomanager-spec requirements.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="run the behavioural conformance checks",
        description="Run the conformance checks on TARGET, or on every reference built-in "
        "when TARGET is omitted.",
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
    _add_output_options(check)
    typecheck = commands.add_parser(
        "typecheck",
        help="check with mypy that TARGET satisfies the spec protocols",
        description="Type-check TARGET against spec.IOManager / spec.IOManagerFactory with "
        "mypy --strict.",
    )
    typecheck.add_argument("target", metavar="TARGET",
                           help="'package.module:attr' or 'path/to/file.py:attr'")
    _add_output_options(typecheck)
    return parser


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", metavar="PATH", type=Path,
                        help="also write the report as JSON to PATH")
    parser.add_argument("--markdown", metavar="PATH", type=Path,
                        help="also write a Markdown summary to PATH (e.g. $GITHUB_STEP_SUMMARY)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse reports usage errors (and --help) by exiting
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        if args.command == "typecheck":
            reports = _typecheck(args.target)
        else:
            reports = _check(args.target, args.contexts, args.profile, args.only)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(render_terminal(reports, color=_wants_color(sys.stdout)), end="")
    try:
        _write(args.json, render_json(reports))
        _write(args.markdown, render_markdown(reports))
    except OSError as exc:
        print(f"error: cannot write the report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if all(report.ok for report in reports) else EXIT_FAILED


def _check(target: str | None, contexts: str, profile: str, only: str | None) -> list[Report]:
    from conformance.api import check_io_manager
    from conformance.contexts import ContextFactoryError
    from conformance.profiles import UnknownProfileError
    from conformance.subject import Subject, SubjectError

    if only is not None:
        _validate_prefix(only)
    if target is None:
        from conformance.builtins import builtin_subjects

        subjects: list[object] = list(builtin_subjects())
    else:
        subjects = [_resolve(target)]
    names = [None if target is None or isinstance(s, Subject) else target for s in subjects]
    progress = _Progress(sys.stderr) if sys.stderr.isatty() else None
    reports = []
    try:
        for subject, name in zip(subjects, names, strict=True):
            reports.append(check_io_manager(
                subject,
                name=name,
                contexts=contexts,
                profile=profile,
                only=only,
                on_progress=None if progress is None else progress.update,
            ))
    except (SubjectError, ContextFactoryError, UnknownProfileError) as exc:
        raise UsageError(str(exc)) from exc
    except ModuleNotFoundError as exc:
        raise UsageError(
            f"missing optional dependency {exc.name!r}: {exc}; for --contexts dagster install "
            f"the extra: pip install 'iomanager-spec[dagster]'"
        ) from exc
    finally:
        if progress is not None:
            progress.clear()
    return reports


def _typecheck(target: str) -> list[Report]:
    from conformance.typecheck import TypecheckError, typecheck_target

    try:
        return [typecheck_target(target)]
    except (TargetError, TypecheckError) as exc:
        raise UsageError(str(exc)) from exc


def _resolve(target: str) -> object:
    try:
        return resolve_target(target)
    except TargetError as exc:
        raise UsageError(str(exc)) from exc


def _validate_prefix(prefix: str) -> None:
    from spec.requirements import iter_requirements

    if next(iter_requirements(prefix), None) is None:
        raise UsageError(
            f"--only {prefix!r} matches no requirement; IDs look like 'IOM-STORE-001' and "
            f"prefixes like 'IOM-STORE' or 'IOM-PART-00'"
        )


def _write(path: Path | None, text: str) -> None:
    if path is not None:
        path.write_text(text, encoding="utf-8")


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
