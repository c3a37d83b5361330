"""Longest first: the order in which the pool hands checks to its workers.

With several workers, a run ends when the last worker finishes; handing out the longest checks
first leaves only short ones for the end, so no worker idles long while another finishes a
stateful model test. Durations are learned: the pool records how long each check took (per
check name, an average of the last runs) in ``durations.json`` in the kit's cache directory
(``$XDG_CACHE_HOME/iomanager-spec``, else ``~/.cache/iomanager-spec``), never in the working
directory. A check with no record goes first. The order never changes a verdict: each check's
examples depend on the seed and the check alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["DurationLog", "cache_directory", "longest_first"]

_WEIGHT_OF_NEW = 0.5
"""How much a new duration counts against the recorded average."""


def cache_directory() -> Path:
    """The kit's own cache directory (created on first write)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "iomanager-spec"


def longest_first(names: Sequence[str], seconds: Mapping[str, float]) -> list[int]:
    """Indices of ``names``, checks without a record first, then by recorded time descending
    (ties keep their order)."""
    return sorted(range(len(names)), key=lambda i: -seconds.get(names[i], float("inf")))


class DurationLog:
    """Recorded check durations, read once and merged back on :meth:`save`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_directory() / "durations.json"
        self.seconds: dict[str, float] = {}
        self._new: dict[str, float] = {}
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            self.seconds = {str(k): float(v) for k, v in loaded.items()}

    def record(self, check: str, seconds: float) -> None:
        """Note that ``check`` took ``seconds`` in this run."""
        self._new[check] = seconds

    def save(self) -> None:
        """Merge this run's durations into the file (atomically; an unwritable cache is not an
        error: the next run just orders by what it has)."""
        if not self._new:
            return
        merged = dict(self.seconds)
        for check, seconds in self._new.items():
            old = merged.get(check)
            merged[check] = seconds if old is None else (
                old + _WEIGHT_OF_NEW * (seconds - old))
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".durations-")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(dict(sorted(merged.items())), stream, indent=0)
                os.replace(temporary, self.path)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
        self.seconds = merged
        self._new = {}
