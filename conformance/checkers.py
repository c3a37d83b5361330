"""Run one static type checker (mypy, pyright, basedpyright, pyrefly, ty, zuban) on files.

Each checker runs as a subprocess of the current interpreter's environment, at the settings a
user would type-check a manager with (mypy and zuban ``--strict``, pyright and basedpyright
standard mode, pyrefly's ``default`` preset, ty's defaults), and its errors come back as
:class:`Diagnostic` rows: the file, the 1-based line and the checker's whole message (notes
included). Warnings and notes on their own are not errors and are dropped.

``python`` names the interpreter whose installed packages the checker resolves imports from;
``search_path`` adds source directories (the first-party code) before them.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CHECKERS",
    "CheckerError",
    "Diagnostic",
    "checker_version",
    "default_checker",
    "installed_checkers",
    "is_installed",
    "run_checker",
]

CHECKERS = ("mypy", "pyright", "basedpyright", "pyrefly", "ty", "zuban")
"""The supported checkers, in the order the default is picked."""

_DISTRIBUTION = {name: name for name in CHECKERS}
_TIMEOUT_SECONDS = 600


class CheckerError(RuntimeError):
    """The checker could not judge (not installed, crashed, unreadable output)."""


@dataclass(frozen=True)
class Diagnostic:
    """One error a checker reported: ``path`` as the checker printed it, ``line`` 1-based."""

    path: str
    line: int
    code: str
    message: str


def is_installed(name: str) -> bool:
    """Whether the checker ``name`` is installed in this environment."""
    _require_known(name)
    module = "basedpyright" if name == "basedpyright" else name
    return importlib.util.find_spec(module) is not None


def installed_checkers() -> tuple[str, ...]:
    """The installed checkers, in :data:`CHECKERS` order."""
    return tuple(name for name in CHECKERS if is_installed(name))


def default_checker() -> str:
    """mypy when installed, else the first installed checker; CheckerError when none is."""
    found = installed_checkers()
    if not found:
        raise CheckerError(
            "no type checker is installed; install one, e.g. pip install 'iomanager-spec"
            "[typecheckers]'"
        )
    return found[0]


def checker_version(name: str) -> str:
    """The installed distribution version of checker ``name``."""
    _require_known(name)
    if not is_installed(name):
        raise CheckerError(_not_installed(name))
    try:
        return importlib.metadata.version(_DISTRIBUTION[name])
    except importlib.metadata.PackageNotFoundError as exc:
        raise CheckerError(_not_installed(name)) from exc


def run_checker(
    name: str,
    files: Sequence[Path],
    *,
    cwd: Path,
    python: str | None = None,
    search_path: Sequence[str] = (),
) -> list[Diagnostic]:
    """The errors checker ``name`` reports on ``files`` (run from ``cwd``).

    Raises :class:`CheckerError` when the checker is unknown, not installed, or fails to run.
    """
    _require_known(name)
    if not is_installed(name):
        raise CheckerError(_not_installed(name))
    interpreter = python or sys.executable
    with tempfile.TemporaryDirectory(prefix=f"iomanager-{name}-") as scratch:
        command, env = _COMMANDS[name](
            [str(f) for f in files], interpreter, list(search_path), Path(scratch)
        )
        try:
            done = subprocess.run(
                command, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True,
                timeout=_TIMEOUT_SECONDS, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CheckerError(f"{name} could not run: {exc}") from exc
    if done.returncode not in (0, 1):
        raise CheckerError(
            f"{name} exited with status {done.returncode}: "
            f"{(done.stderr or done.stdout).strip()[-2000:]}"
        )
    try:
        return _PARSERS[name](done.stdout)
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckerError(f"cannot read {name}'s output: {exc}: {done.stdout[:500]!r}") from exc


def _require_known(name: str) -> None:
    if name not in CHECKERS:
        raise CheckerError(f"unknown checker {name!r}; choose one of {', '.join(CHECKERS)}")


def _not_installed(name: str) -> str:
    return (
        f"checker {name!r} is not installed; pip install {name} (or the extra: "
        f"pip install 'iomanager-spec[typecheckers]')"
    )


Command = tuple[list[str], dict[str, str]]


def _mypy_like(*tool: str, mypy: bool) -> Callable[[list[str], str, list[str], Path], Command]:
    def build(files: list[str], python: str, search: list[str], scratch: Path) -> Command:
        own = ["--hide-error-context", "--cache-dir", str(scratch / "cache")] if mypy else []
        config = scratch / "mypy.ini"
        config.write_text(f"[mypy]\nmypy_path = {','.join(search)}\n", encoding="utf-8")
        return [
            *tool, "--config-file", str(config), "--strict", "--python-executable", python,
            "--show-error-codes", "--no-pretty", "--no-error-summary", *own, *files,
        ], {"MYPYPATH": os.pathsep.join(search)}
    return build


def _pyright_like(script: str) -> Callable[[list[str], str, list[str], Path], Command]:
    def build(files: list[str], python: str, search: list[str], scratch: Path) -> Command:
        config = scratch / "pyrightconfig.json"
        config.write_text(json.dumps({"extraPaths": search}), encoding="utf-8")
        return [
            _script(script), "--outputjson", "--project", str(config), "--pythonpath", python,
            *files,
        ], {"PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"}
    return build


def _script(name: str) -> str:
    """The console script ``name`` installed beside this interpreter (else found on PATH)."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or name


def _pyrefly(files: list[str], python: str, search: list[str], scratch: Path) -> Command:
    paths = [arg for entry in search for arg in ("--search-path", entry)]
    return [
        sys.executable, "-m", "pyrefly", "check", "--preset", "default", "--output-format",
        "json", "--python-interpreter-path", python, *paths, *files,
    ], {}


def _ty(files: list[str], python: str, search: list[str], scratch: Path) -> Command:
    paths = [arg for entry in search for arg in ("--extra-search-path", entry)]
    return [
        sys.executable, "-m", "ty", "check", "--output-format", "full", "--color", "never",
        "--no-progress",
        "--python", python, *paths, *files,
    ], {}


def _parse_mypy(stdout: str) -> list[Diagnostic]:
    """``file:line: error: message  [code]`` lines; following ``note:`` lines join the error."""
    found: list[Diagnostic] = []
    pattern = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?:\d+:)? (?P<kind>error|note): "
                         r"(?P<text>.*?)(?:\s+\[(?P<code>[\w-]+)\])?$")
    for raw in stdout.splitlines():
        match = pattern.match(raw)
        if match is None:
            continue
        if match["kind"] == "error":
            found.append(Diagnostic(match["path"], int(match["line"]), match["code"] or "",
                                    match["text"]))
        elif found and found[-1].path == match["path"] and found[-1].line == int(match["line"]):
            last = found[-1]
            found[-1] = Diagnostic(last.path, last.line, last.code,
                                   f"{last.message}\n{match['text']}")
    return found


def _parse_pyright(stdout: str) -> list[Diagnostic]:
    report = json.loads(stdout)
    return [
        Diagnostic(item["file"], item["range"]["start"]["line"] + 1, item.get("rule", ""),
                   item["message"])
        for item in report["generalDiagnostics"]
        if item["severity"] == "error"
    ]


def _parse_pyrefly(stdout: str) -> list[Diagnostic]:
    report: dict[str, Any] = (
        json.loads(stdout[stdout.index("{"):]) if stdout.strip() else {"errors": []}
    )
    return [
        Diagnostic(item["path"], item["line"], item["name"], item["description"])
        for item in report["errors"]
        if item.get("severity", "error") == "error"
    ]


def _parse_ty(stdout: str) -> list[Diagnostic]:
    """ty's full format: ``error[code]: text``, ``--> path:line:col``, then ``info:`` lines."""
    found: list[Diagnostic] = []
    head = re.compile(r"^(?P<kind>\w+)\[(?P<code>[\w-]+)\]: (?P<text>.*)$")
    where = re.compile(r"^\s*--> (?P<path>.+?):(?P<line>\d+):\d+$")
    pending: tuple[str, str] | None = None
    for raw in stdout.splitlines():
        if (match := head.match(raw)) is not None:
            pending = (match["code"], match["text"]) if match["kind"] == "error" else None
        elif pending is not None and (match := where.match(raw)) is not None:
            found.append(Diagnostic(match["path"], int(match["line"]), *pending))
            pending = None
        elif raw.startswith("info: ") and found and not raw.startswith("info: rule "):
            last = found[-1]
            found[-1] = Diagnostic(last.path, last.line, last.code,
                                   f"{last.message}\n{raw.removeprefix('info: ')}")
    return found


_COMMANDS: Mapping[str, Callable[[list[str], str, list[str], Path], Command]] = {
    "mypy": _mypy_like(sys.executable, "-m", "mypy", mypy=True),
    "zuban": _mypy_like(_script("zuban"), "mypy", mypy=False),
    "pyright": _pyright_like("pyright"),
    "basedpyright": _pyright_like("basedpyright"),
    "pyrefly": _pyrefly,
    "ty": _ty,
}
_PARSERS: Mapping[str, Callable[[str], list[Diagnostic]]] = {
    "mypy": _parse_mypy,
    "zuban": _parse_mypy,
    "pyright": _parse_pyright,
    "basedpyright": _parse_pyright,
    "pyrefly": _parse_pyrefly,
    "ty": _parse_ty,
}
