"""The settings of one CLI run: flags over ``[tool.iomanager-conformance]`` over defaults.

:func:`settle` fills every option the user did not give from the config table (found from the
working directory, or ``--config``), then the kit's defaults; resolves every path to an absolute
one before any target code runs (a target that calls ``os.chdir`` cannot move the reports);
builds the :class:`~conformance.selection.Selection`; and refuses unwritable report paths now,
not after a long run. Every problem is a :class:`UsageError` (exit code 2).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from conformance.config import ConfigError, KitConfig, find_pyproject, load_config
from conformance.selection import Selection, SelectionError

__all__ = ["DEFAULT_CALL_TIMEOUT", "DEFAULT_RUN_TIMEOUT", "UsageError", "settle"]

DEFAULT_CALL_TIMEOUT = 60.0
"""Seconds one manager call may take; correct managers (S3 through moto included) take well
under a second per call."""
DEFAULT_RUN_TIMEOUT = 3600.0

_DEFAULTS: dict[str, object] = {
    "contexts": "reference",
    "profile": "pr",
    "jobs": 1,
    "call_timeout": DEFAULT_CALL_TIMEOUT,
    "timeout": DEFAULT_RUN_TIMEOUT,
    "hypothesis_database": "none",
}
_FROM_CONFIG = ("contexts", "profile", "seed", "values", "equals", "jobs", "call_timeout",
                "timeout", "hypothesis_database", "failures_dir", "repro_dir")
IGNORED_ON_COMMAND_LINE = "ignored on the command line (--ignore)"


class UsageError(Exception):
    """A problem with how the kit was invoked; reported on stderr with exit code 2."""


def settle(args: argparse.Namespace) -> KitConfig:
    """Complete ``args`` in place (see the module docstring) and return the config used."""
    config = _config(args)
    for name in _FROM_CONFIG:
        if hasattr(args, name) and getattr(args, name) is None:
            setattr(args, name, config.get(name, _DEFAULTS.get(name)))
    if args.command == "check":
        if args.target is None:
            target = config.get("target")
            args.target = None if target is None else str(target)
        if config.get("fatal_context_defects"):
            args.fatal_context_defects = True
        args.selection = _selection(args, config)
    _absolute_paths(args)
    _check_numbers(args)
    _ensure_writable_outputs(args)
    return config


def _config(args: argparse.Namespace) -> KitConfig:
    given = getattr(args, "config", None)
    if given is not None and str(given).lower() == "none":
        return KitConfig()
    path = Path(given) if given is not None else find_pyproject(Path.cwd())
    if given is not None and not Path(given).is_file():
        raise UsageError(f"--config {given}: no such file")
    try:
        return load_config(path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc


def _selection(args: argparse.Namespace, config: KitConfig) -> Selection:
    """``--select`` (or ``--only``) replaces the config's ``select``; ``--ignore`` adds to its
    ``ignore`` (reason: given on the command line)."""
    select: list[str] = list(config.selection.select)
    if args.select is not None or args.only is not None:
        select = [*_prefixes(args.select), *_prefixes(args.only)]
    ignore = dict(config.selection.ignore)
    for prefix in _prefixes(args.ignore):
        ignore.setdefault(prefix, IGNORED_ON_COMMAND_LINE)
    try:
        return Selection.build(select, ignore, origin="command line / config")
    except SelectionError as exc:
        raise UsageError(str(exc)) from exc


def _prefixes(value: str | None) -> list[str]:
    return [] if value is None else [p.strip() for p in value.split(",") if p.strip()]


def _absolute_paths(args: argparse.Namespace) -> None:
    for name in ("json", "markdown", "junit", "repro_dir"):
        value = getattr(args, name, None)
        if value is not None:
            setattr(args, name, Path(os.path.abspath(value)))
    from conformance.failures import DEFAULT_FAILURES_DIR

    failures = getattr(args, "failures_dir", None)
    if args.command == "check":
        if failures is None:
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
        args.failures_dir = Path(os.path.abspath(failures or DEFAULT_FAILURES_DIR))


def _check_numbers(args: argparse.Namespace) -> None:
    if getattr(args, "jobs", 1) < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    for name in ("call_timeout", "timeout"):
        if getattr(args, name, 1.0) <= 0:
            raise UsageError(f"--{name.replace('_', '-')} must be positive")


def _ensure_writable_outputs(args: argparse.Namespace) -> None:
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
