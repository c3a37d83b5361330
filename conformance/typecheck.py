"""Static conformance: does a target type-check against the spec protocols under ``mypy --strict``?

The target is imported to learn what it is, then mypy checks a generated snippet that imports
it and assigns it to the matching protocol:

* a manager instance (or instances of a manager class) to ``spec.IOManager[Any, Any]``
  (``IOM-DEF-001``);
* a factory instance or class (``create_io_manager``) to ``spec.IOManagerFactory[Any, Any]``
  (``IOM-DEF-002``);
* an ``@io_manager`` definition's ``resource_fn`` to ``Callable[[Any], spec.IOManager[Any, Any]]``;
* a factory callable to ``Callable[[], P]`` or ``Callable[[Path], P]``, ``P`` being what it
  returns when called.

Imports the snippet follows are checked silently (only the assignment is judged). The result is
an ordinary :class:`~conformance.report.Report` so the usual renderers and exit codes apply.
"""

from __future__ import annotations

import inspect
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from conformance.report import Report, RequirementResult, Status
from conformance.target import is_path_target, resolve_target, split_target

__all__ = ["SnippetPlan", "TypecheckError", "plan_snippet", "typecheck_target"]

_SNIPPET_NAME = "_iomanager_conformance_typecheck.py"
_MANAGER = ("IOM-DEF-001", "spec.IOManager[Any, Any]")
_FACTORY = ("IOM-DEF-002", "spec.IOManagerFactory[Any, Any]")


class TypecheckError(RuntimeError):
    """The static check could not run (unsupported target, module invisible to mypy, crash)."""


@dataclass(frozen=True)
class SnippetPlan:
    """The generated snippet and what it checks."""

    requirement_id: str
    protocol: str
    source: str
    mypy_path: tuple[str, ...]


def typecheck_target(target: str) -> Report:
    """Run mypy on the snippet for ``target``; one result (pass/fail) for its protocol.

    Raises :class:`~conformance.target.TargetError` for a target that does not resolve and
    :class:`TypecheckError` when mypy cannot judge it.
    """
    started = time.perf_counter()
    plan = plan_snippet(target)
    lines = _run_mypy(plan)
    failed = any(": error:" in line for line in lines)
    result = RequirementResult(
        requirement_id=plan.requirement_id,
        level="MUST",
        title=f"statically assignable to {plan.protocol}",
        status=Status.FAIL if failed else Status.PASS,
        checks=("mypy --strict",),
        message="\n".join(lines) if failed else "",
        reproduction=plan.source if failed else None,
    )
    return Report(
        subject=target,
        contexts="static",
        profile="mypy",
        results=(result,),
        duration_seconds=time.perf_counter() - started,
        examples=0,
    )


def plan_snippet(target: str) -> SnippetPlan:
    """Import ``target``, decide which protocol applies and write the snippet source."""
    source, attribute = split_target(target)
    obj = resolve_target(target)
    extra_path: tuple[str, ...]
    if is_path_target(source):
        path = Path(source).expanduser().resolve()
        if not path.stem.isidentifier():
            raise TypecheckError(
                f"cannot type-check {target!r}: the file name {path.name!r} is not a valid "
                f"module name; rename it or pass 'package.module:attribute'"
            )
        module, extra_path = path.stem, (str(path.parent),)
    else:
        extra_path = ()
        module = source
    root, dot, rest = attribute.partition(".")
    expression = f"_target{dot}{rest}"
    requirement_id, protocol, check = _check_for(obj, expression, target)
    header = [
        "from pathlib import Path",
        "from typing import Any, Callable",
        "",
        "import spec",
        f"from {module} import {root} as _target",
        "",
    ]
    return SnippetPlan(
        requirement_id=requirement_id,
        protocol=protocol,
        source="\n".join([*header, *check, ""]),
        mypy_path=(*extra_path, *_search_path()),
    )


def _check_for(obj: object, expression: str, target: str) -> tuple[str, str, list[str]]:
    """(requirement ID, protocol text, snippet lines) for the runtime kind of ``obj``."""
    if callable(getattr(obj, "resource_fn", None)) and not isinstance(obj, type):
        annotation = f"Callable[[Any], {_MANAGER[1]}]"
        return (_MANAGER[0], annotation,
                [f"_checked: {annotation} = {expression}.resource_fn"])
    kind = _protocol_of(obj)
    if kind is not None:
        if isinstance(obj, type):
            return (kind[0], kind[1], [
                f"def _check(instance: {expression}) -> {kind[1]}:",
                "    return instance",
            ])
        return kind[0], kind[1], [f"_checked: {kind[1]} = {expression}"]
    if callable(obj):
        made, params = _call_factory(obj, target)
        kind = _protocol_of(made)
        if kind is None:
            raise TypecheckError(
                f"{target!r} returned {type(made).__name__}, which is neither an IO manager "
                f"(handle_output/load_input) nor a factory (create_io_manager)"
            )
        annotation = f"Callable[[{params}], {kind[1]}]"
        return kind[0], annotation, [f"_checked: {annotation} = {expression}"]
    raise TypecheckError(
        f"{target!r} is a {type(obj).__name__}, which is neither an IO manager, a factory, an "
        f"IO manager definition nor a callable returning one of those"
    )


def _protocol_of(obj: object) -> tuple[str, str] | None:
    if callable(getattr(obj, "handle_output", None)) and callable(
        getattr(obj, "load_input", None)
    ):
        return _MANAGER
    if callable(getattr(obj, "create_io_manager", None)):
        return _FACTORY
    return None


def _call_factory(obj: object, target: str) -> tuple[object, str]:
    """Call a factory callable (with a fresh directory when it takes one argument)."""
    assert callable(obj)
    try:
        required = [
            p for p in inspect.signature(obj).parameters.values()
            if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
    except (TypeError, ValueError):
        required = []
    if len(required) > 1:
        raise TypecheckError(
            f"{target!r} takes {len(required)} arguments; a factory takes none or one "
            f"(a pathlib.Path storage directory)"
        )
    try:
        if required:
            with tempfile.TemporaryDirectory(prefix="iomanager-typecheck-") as directory:
                return obj(Path(directory)), "Path"
        return obj(), ""
    except Exception as exc:
        raise TypecheckError(
            f"calling {target!r} to learn what it returns failed: {type(exc).__name__}: {exc}"
        ) from exc


def _search_path() -> tuple[str, ...]:
    """The working directory and source directories on sys.path (never installed packages)."""
    prefixes = {str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    found: list[str] = []
    for entry in [os.getcwd(), *sys.path]:
        resolved = str(Path(entry or os.getcwd()).resolve())
        installed = "site-packages" in resolved or "dist-packages" in resolved
        if (
            Path(resolved).is_dir()
            and not installed
            and not any(resolved.startswith(prefix) for prefix in prefixes)
            and resolved not in found
        ):
            found.append(resolved)
    return tuple(found)


def _run_mypy(plan: SnippetPlan) -> list[str]:
    """mypy's error and note lines for the snippet, with the snippet path shortened."""
    from mypy import api

    with tempfile.TemporaryDirectory(prefix="iomanager-typecheck-") as directory:
        snippet = Path(directory) / _SNIPPET_NAME
        snippet.write_text(plan.source, encoding="utf-8")
        config = Path(directory) / "mypy.ini"
        config.write_text(f"[mypy]\nmypy_path = {','.join(plan.mypy_path)}\n", encoding="utf-8")
        stdout, stderr, status = api.run([
            "--config-file", str(config),
            "--strict",
            "--follow-imports=silent",
            "--show-error-codes",
            "--no-pretty",
            "--no-error-summary",
            "--cache-dir", str(Path(directory) / ".mypy_cache"),
            str(snippet),
        ])
        lines = [
            line.replace(str(snippet), "<typecheck>")
            for line in stdout.splitlines()
            if line.strip()
        ]
    if status == 2:
        raise TypecheckError(f"mypy could not run: {stderr.strip() or stdout.strip()}")
    unresolved = [line for line in lines if "[import-not-found]" in line
                  or "[import-untyped]" in line]
    if unresolved:
        raise TypecheckError(
            "mypy cannot see the target's module (install it with a py.typed marker, or run "
            "from the directory that contains it): " + "; ".join(unresolved)
        )
    return lines
