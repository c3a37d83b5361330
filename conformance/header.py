"""The report header: what was checked, with what, and how to reproduce the run.

Versions are read from installed distributions' metadata (Dagster's without importing it).
"""

from __future__ import annotations

import importlib.metadata
import platform
from typing import Final

import hypothesis

from spec.changelog import SPEC_VERSION

__all__ = ["HYPOTHESIS_VERSION", "kit_version", "run_header"]

# hypothesis.__version__, joined from its typed parts (hypothesis leaves __version__ untyped).
HYPOTHESIS_VERSION: Final = ".".join(map(str, hypothesis.__version_info__))


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def kit_version() -> str:
    """The installed iomanager-spec version (``unknown`` when run from a bare checkout)."""
    return _version("iomanager-spec") or "unknown"


def run_header(
    *,
    target: str,
    contexts: str,
    profile: str,
    seed: int | None,
    isolation: str,
    jobs: int = 1,
    values: str | None = None,
) -> dict[str, str]:
    """The header of a report (all values strings; ``seed`` ``None`` means derandomized;
    ``values`` is the value family or strategy given, when one was)."""
    header = {
        "target": target,
        "kit": kit_version(),
        "spec": SPEC_VERSION,
        "hypothesis": HYPOTHESIS_VERSION,
        "python": platform.python_version(),
        "contexts": contexts,
        "profile": profile,
        "seed": "derandomized" if seed is None else str(seed),
        "isolation": isolation if isolation == "none" else f"{isolation} (jobs={jobs})",
    }
    if values is not None:
        header["values"] = values
    if contexts == "dagster":
        header["dagster"] = _version("dagster") or "not installed"
    return header
