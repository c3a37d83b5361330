"""``python -m conformance``: check an IO manager (or every reference built-in) from the shell.

Exit codes are a contract for CI, one meaning each:

* ``0``: every applicable MUST requirement passed and every check ran to the end;
* ``1``: a MUST requirement failed (the report shows which, with its counterexample);
* ``2``: usage error: bad arguments, a target that is not found or is not a manager, a
  missing optional dependency (e.g. dagster for ``--contexts dagster``);
* ``3``: the kit could not judge: the target's import failed, the target crashed, exited,
  hung or tampered with the worker, a deadline passed, or the kit itself failed.

The target runs in worker processes (``--isolation process``, the default), never in the
kit's process; the report is written in every case but a usage error. Options not given on the
command line come from ``[tool.iomanager-conformance]`` in the nearest ``pyproject.toml``
(:mod:`conformance.config`), then the defaults.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from conformance.checkers import CHECKERS
from conformance.cli_settings import DEFAULT_CALL_TIMEOUT, DEFAULT_RUN_TIMEOUT, UsageError, settle
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
    check.add_argument("--config", metavar="PYPROJECT|none", default=None,
                       help="the pyproject.toml whose [tool.iomanager-conformance] table gives "
                       "the defaults (default: the nearest one from the working directory)")
    check.add_argument("--contexts", choices=_CONTEXTS, default=None,
                       help="which contexts to drive the manager with (default: reference)")
    check.add_argument("--profile", choices=_PROFILES, default=None,
                       help="example budget: pr (seconds), dev, thorough (default: pr)")
    check.add_argument("--select", metavar="PREFIXES",
                       help="judge only requirements whose ID starts with one of these "
                       "comma-separated prefixes, e.g. IOM-STORE,IOM-PART-00 (replaces the "
                       "config's select)")
    check.add_argument("--ignore", metavar="PREFIXES",
                       help="do not run these comma-separated ID prefixes (added to the "
                       "config's ignore; the report lists them)")
    check.add_argument("--only", metavar="ID_PREFIX",
                       help="the same as --select with one prefix")
    check.add_argument("--list-checks", action="store_true",
                       help="list the selected requirements and the checks that judge them, "
                       "then exit")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="list every requirement with its checks, not only the failures")
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
    check.add_argument("--hypothesis-database", metavar="PATH|none", default=None,
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
    replay.add_argument("--config", metavar="PYPROJECT|none", default=None,
                        help="the pyproject.toml with [tool.iomanager-conformance] (default: "
                        "the nearest one)")
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
    parser.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                        help="run checks in N worker processes at once (default: 1)")
    parser.add_argument("--call-timeout", type=float, default=None,
                        metavar="SECONDS",
                        help=f"deadline of one manager call (default: {DEFAULT_CALL_TIMEOUT:g})")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
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
        if args.command != "typecheck":
            settle(args)
        else:
            _output_paths(args)
        if args.command == "check" and args.list_checks:
            from conformance.listing import list_checks

            print(list_checks(args.selection), end="")
            return EXIT_OK
        if args.command == "replay":
            from conformance.replay_command import run_replay

            return run_replay(args, sys.stdout)
        if args.command == "typecheck":
            reports = _typecheck(args.target, args.checker)
        else:
            from conformance.cli_check import run_check

            reports = run_check(args)
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


def _output_paths(args: argparse.Namespace) -> None:
    for name in ("json", "markdown", "junit"):
        value = getattr(args, name, None)
        if value is not None:
            setattr(args, name, Path(os.path.abspath(value)))


def _finish(args: argparse.Namespace, reports: list[Report]) -> int:
    from conformance.render import render_json, render_markdown
    from conformance.terminal import render_terminal

    print(render_terminal(reports, color=_wants_color(sys.stdout),
                          verbose=getattr(args, "verbose", False)), end="")
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


def _typecheck(target: str, checker: str | None) -> list[Report]:
    from conformance.target import TargetError
    from conformance.typecheck import TypecheckError, typecheck_target

    try:
        return [typecheck_target(target, checker)]
    except (TargetError, TypecheckError) as exc:
        raise UsageError(str(exc)) from exc


def _write(path: Path | None, render: object) -> None:
    if path is not None:
        assert callable(render)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(str(render()), encoding="utf-8")


def _wants_color(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ
