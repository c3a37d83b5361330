"""Static conformance: does a target type-check against the spec protocols?

The target is imported to learn what it is, then a type checker (``mypy --strict`` by default;
any of :data:`conformance.checkers.CHECKERS`) checks a generated snippet that imports it and
assigns it to the matching protocol:

* a manager instance (or instances of a manager class) to ``spec.IOManager[Any, Any]``
  (``IOM-DEF-001``);
* a factory instance or class (``create_io_manager``) to ``spec.IOManagerFactory[Any, Any]``
  (``IOM-DEF-002``);
* an ``@io_manager`` definition's ``resource_fn`` to ``Callable[[Any], spec.IOManager[Any, Any]]``;
* a factory callable to ``Callable[[], P]`` or ``Callable[[Path], P]``, ``P`` being what it
  returns when called.

Only errors in the snippet count (the target's own module is not judged). The result is an
ordinary :class:`~conformance.report.Report` so the usual renderers and exit codes apply: a
checker that cannot run or crashes gives an ERROR result (exit code 3); the failure message
starts with the mismatched protocol members in plain words, then the checker's own words.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from conformance.checkers import (
    CheckerError,
    Diagnostic,
    checker_version,
    default_checker,
    run_checker,
)
from conformance.report import Report, RequirementResult, Status
from conformance.target import is_path_target, resolve_target, split_target

__all__ = [
    "SnippetPlan",
    "TypecheckError",
    "explain_mismatch",
    "plan_snippet",
    "typecheck_target",
]

_SNIPPET_NAME = "_iomanager_conformance_typecheck.py"
_MANAGER = ("IOM-DEF-001", "spec.IOManager[Any, Any]")
_FACTORY = ("IOM-DEF-002", "spec.IOManagerFactory[Any, Any]")
_MEMBERS = ("handle_output", "load_input", "create_io_manager")
_UNRESOLVED_CODES = frozenset({
    "import-not-found", "import-untyped", "reportMissingImports", "reportMissingModuleSource",
    "missing-import", "unresolved-import", "import-error", "missing-module-attribute",
})


class TypecheckError(RuntimeError):
    """The static check cannot be asked: unsupported target, module invisible to the checker,
    checker unknown or not installed (a usage error, exit code 2)."""


@dataclass(frozen=True)
class SnippetPlan:
    """The generated snippet and what it checks."""

    requirement_id: str
    protocol: str
    source: str
    search_path: tuple[str, ...]


def typecheck_target(target: str, checker: str | None = None) -> Report:
    """Run ``checker`` (default: mypy if installed, else the first installed) on the snippet
    for ``target``; one result for its protocol: PASS, FAIL, or ERROR when the checker could
    not judge.

    Raises :class:`~conformance.target.TargetError` for a target that does not resolve and
    :class:`TypecheckError` for a usage error (see the class).
    """
    started = time.perf_counter()
    try:
        name = checker or default_checker()
        version = checker_version(name)
    except CheckerError as exc:
        raise TypecheckError(str(exc)) from exc
    plan = plan_snippet(target)
    status, message = Status.PASS, ""
    try:
        errors = _run(name, plan)
    except CheckerError as exc:
        status, message = Status.ERROR, f"{name} could not judge the target: {exc}"
    else:
        if errors:
            status = Status.FAIL
            message = "\n".join([explain_mismatch(errors), f"{name} {version} says:",
                                 *(f"line {e.line}: {e.message}" for e in errors)])
    result = RequirementResult(
        requirement_id=plan.requirement_id,
        level="MUST",
        title=f"statically assignable to {plan.protocol}",
        status=status,
        checks=(f"{name} {version}",),
        message=message,
        reproduction=plan.source if status is Status.FAIL else None,
    )
    return Report(
        subject=target,
        contexts="static",
        profile=name,
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
        search_path=(*extra_path, *_search_path()),
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


def _run(checker: str, plan: SnippetPlan) -> list[Diagnostic]:
    """The checker's errors in the snippet (errors in modules it imports are not counted)."""
    with tempfile.TemporaryDirectory(prefix="iomanager-typecheck-") as directory:
        snippet = Path(directory) / _SNIPPET_NAME
        snippet.write_text(plan.source, encoding="utf-8")
        errors = run_checker(checker, [Path(_SNIPPET_NAME)], cwd=Path(directory),
                             search_path=plan.search_path)
    errors = [e for e in errors if Path(e.path).name == _SNIPPET_NAME]
    unresolved = [e for e in errors if e.code in _UNRESOLVED_CODES]
    if unresolved:
        raise TypecheckError(
            f"{checker} cannot see the target's module (install it with a py.typed marker, or "
            f"run from the directory that contains it): "
            + "; ".join(e.message.splitlines()[0] for e in unresolved)
        )
    return errors


_MISSING = re.compile(r"\b(?:is missing|not present|not defined|requires attribute)\b")
_MISSING_SECTION = re.compile(r"missing following .*protocol member", re.IGNORECASE)
_CONFLICT_SECTION = re.compile(r"have conflicts", re.IGNORECASE)


def explain_mismatch(errors: list[Diagnostic]) -> str:
    """Which protocol members mismatched, in plain words, read from any checker's messages."""
    missing: list[str] = []
    incompatible: list[str] = []
    for error in errors:
        section = ""
        for line in error.message.splitlines():
            if _MISSING_SECTION.search(line):
                section = "missing"
            elif _CONFLICT_SECTION.search(line):
                section = "conflict"
            for member in _MEMBERS:
                if not re.search(rf"\b{member}\b", line):
                    continue
                bucket = (missing if section == "missing" or _MISSING.search(line)
                          else incompatible)
                if member not in missing and member not in incompatible:
                    bucket.append(member)
    words = [f"`{m}` is missing" for m in missing]
    words += [f"`{m}` does not match the protocol's signature (parameters or return type)"
              for m in incompatible]
    if not words:
        return "The target is not assignable to the protocol."
    return "Protocol members that do not match: " + "; ".join(words) + "."
