"""The ``[tool.iomanager-conformance]`` table of ``pyproject.toml``: found, parsed, validated.

Example (every key optional; command-line flags override the table)::

    [tool.iomanager-conformance]
    target = "my_project.io:ParquetIOManager"
    profile = "pr"                 # pr | dev | thorough
    contexts = "reference"         # reference | dagster
    values = "json"                # a family, or "MODULE:STRATEGY"
    equals = "my_project.testing:frames_equal"
    seed = 1234
    jobs = 2
    call-timeout = 30              # seconds per manager call
    timeout = 1800                 # seconds for the whole run
    select = ["IOM-STORE", "IOM-ID"]
    fatal-context-defects = false
    failures-dir = ".conformance/failures"   # or "none"
    hypothesis-database = "none"              # or a directory
    repro-dir = "conformance-repros"

    [tool.iomanager-conformance.ignore]
    "IOM-PART-015" = "our back-end stores no partition ranges"

Relative paths are relative to the directory of the ``pyproject.toml``. An unknown key, a
value of the wrong type and a ``select``/``ignore`` prefix that names no requirement are each a
:class:`ConfigError` that names the key and the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from typing_extensions import TypeIs

from conformance.selection import Selection, SelectionError
from reference_impl.narrowing import is_list

__all__ = ["TABLE", "ConfigError", "KitConfig", "find_pyproject", "load_config"]

TABLE = "tool.iomanager-conformance"
_CHOICES: Mapping[str, tuple[str, ...]] = {
    "profile": ("pr", "dev", "thorough"),
    "contexts": ("reference", "dagster"),
}
_STRINGS = ("target", "profile", "contexts", "values", "equals")
_PATHS = ("failures-dir", "hypothesis-database", "repro-dir")
_POSITIVE = ("call-timeout", "timeout")
KEYS = (*_STRINGS, "seed", "jobs", *_POSITIVE, "select", "ignore", "fatal-context-defects",
        *_PATHS)
"""Every key the table may hold."""


class ConfigError(ValueError):
    """A ``[tool.iomanager-conformance]`` table the kit cannot use; the message names the key."""


@dataclass(frozen=True)
class KitConfig:
    """The validated table: ``values`` maps each given key (``call-timeout`` as
    ``call_timeout``) to its value, paths made absolute; ``selection`` from select/ignore."""

    source: Path | None = None
    values: Mapping[str, object] = field(default_factory=dict[str, object])
    selection: Selection = field(default_factory=Selection)

    def get(self, key: str, default: object = None) -> object:
        """The value of ``key`` (dashes or underscores), else ``default``."""
        return self.values.get(key.replace("-", "_"), default)


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or a parent directory, as ruff finds it."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> KitConfig:
    """The table in ``path`` (an empty config when ``path`` is None or has no table)."""
    if path is None:
        return KitConfig()
    try:
        with path.open("rb") as stream:
            document = tomllib.load(stream)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    table = document.get("tool", {}).get("iomanager-conformance")
    if table is None:
        return KitConfig(source=path)
    if not _is_table(table):
        raise ConfigError(f"{path}: [{TABLE}] must be a table")
    return _validated(path, table)


def _is_table(value: object) -> TypeIs[dict[str, object]]:
    """A TOML table (``tomllib`` gives a ``dict`` with ``str`` keys)."""
    return isinstance(value, dict)


def _is_strings(value: object) -> TypeIs[list[str]]:
    """A TOML array of strings."""
    return is_list(value) and all(isinstance(p, str) for p in value)


def _validated(path: Path, table: Mapping[str, object]) -> KitConfig:
    where = f"{path} [{TABLE}]"
    unknown = [key for key in table if key not in KEYS]
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; the keys are: "
                          + ", ".join(KEYS))
    values: dict[str, object] = {}
    for key, value in table.items():
        if key in ("select", "ignore"):
            continue
        values[key.replace("-", "_")] = _value(where, path, key, value)
    select = table.get("select", [])
    if not _is_strings(select):
        raise ConfigError(f"{where}: 'select' must be a list of requirement ID prefixes")
    ignore = table.get("ignore", {})
    if not _is_table(ignore):
        raise ConfigError(f"{where}: 'ignore' must be a table of requirement ID prefix = "
                          "\"the reason it is ignored\"")
    try:
        selection = Selection.build(select, ignore, origin=where)
    except SelectionError as exc:
        raise ConfigError(str(exc)) from exc
    return KitConfig(source=path, values=values, selection=selection)


def _value(where: str, path: Path, key: str, value: object) -> object:
    if key in _STRINGS:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}: {key!r} must be a non-empty string")
        choices = _CHOICES.get(key)
        if choices is not None and value not in choices:
            raise ConfigError(f"{where}: {key} = {value!r}; choose one of {', '.join(choices)}")
        return value
    if key == "fatal-context-defects":
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {key!r} must be true or false")
        return value
    if key in ("seed", "jobs"):
        if isinstance(value, bool) or not isinstance(value, int) or value < (key == "jobs"):
            least = "1" if key == "jobs" else "0"
            raise ConfigError(f"{where}: {key!r} must be an integer of at least {least}")
        return value
    if key in _POSITIVE:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{where}: {key!r} must be a positive number of seconds")
        return float(value)
    if not isinstance(value, str) or not value:  # a path
        raise ConfigError(f"{where}: {key!r} must be a path (a string)")
    if value.lower() == "none" and key != "repro-dir":
        return "none"
    return os.path.abspath(path.parent / value)
