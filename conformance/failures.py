"""Stored failures: one JSON record per failing requirement of a run, so that
``python -m conformance replay`` (and a written reproduction) can rerun exactly that example.

A record names the target as the user gave it (plus the working directory it was given in),
the contexts, profile and seed, the requirement and the check that failed, how to replay the
example (:class:`~conformance.checks.replaying.Replay`), the message and counterexample, and
the versions of the run (the report header). Records live in one directory (default
``.conformance/failures``, which gets a ``.gitignore`` of its own); a run replaces the records
of the requirements it judged for its target.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.report import Report, RequirementResult, Status

__all__ = [
    "DEFAULT_FAILURES_DIR",
    "FailureRecord",
    "failure_records",
    "load_failures",
    "store_failures",
]

DEFAULT_FAILURES_DIR = Path(".conformance") / "failures"
_SCHEMA = "iomanager-conformance-failure"
_VERSION = 1


@dataclass(frozen=True)
class FailureRecord:
    """One stored failure (JSON-able through :meth:`to_dict`)."""

    target: str
    cwd: str
    contexts: str
    profile: str
    seed: int | None
    requirement_id: str
    level: str
    title: str
    check: str
    status: str
    replay: Mapping[str, Any]
    message: str
    counterexample: Mapping[str, Any] | None
    header: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        """The JSON document stored on disk."""
        return {
            "schema": _SCHEMA,
            "version": _VERSION,
            "target": self.target,
            "cwd": self.cwd,
            "contexts": self.contexts,
            "profile": self.profile,
            "seed": self.seed,
            "requirement_id": self.requirement_id,
            "level": self.level,
            "title": self.title,
            "check": self.check,
            "status": self.status,
            "replay": dict(self.replay),
            "message": self.message,
            "counterexample": None if self.counterexample is None else dict(self.counterexample),
            "header": dict(self.header),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FailureRecord:
        """Parse a stored document; raises ``ValueError`` naming what is wrong."""
        if data.get("schema") != _SCHEMA:
            raise ValueError(f"not a stored conformance failure (schema {data.get('schema')!r})")
        try:
            return cls(
                target=str(data["target"]),
                cwd=str(data["cwd"]),
                contexts=str(data["contexts"]),
                profile=str(data["profile"]),
                seed=None if data["seed"] is None else int(data["seed"]),
                requirement_id=str(data["requirement_id"]),
                level=str(data["level"]),
                title=str(data["title"]),
                check=str(data["check"]),
                status=str(data["status"]),
                replay=dict(data["replay"]),
                message=str(data["message"]),
                counterexample=data.get("counterexample"),
                header=dict(data.get("header") or {}),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"malformed stored failure: {error!r}") from error

    @property
    def file_name(self) -> str:
        """``<target slug>-<hash>--<requirement>.json`` (stable per target and requirement)."""
        return f"{target_slug(self.target)}--{self.requirement_id}.json"


def target_slug(target: str) -> str:
    """A file-name-safe, stable name for ``target``."""
    readable = re.sub(r"[^A-Za-z0-9_.]+", "_", target.rsplit("/", 1)[-1])[-60:].strip("_.")
    digest = hashlib.sha256(target.encode()).hexdigest()[:10]
    return f"{readable or 'target'}-{digest}"


def failure_records(report: Report, target: str, seed: int | None) -> list[FailureRecord]:
    """The records of ``report``'s replayable failures (FAIL, or ERROR with a replay)."""
    records: list[FailureRecord] = []
    for result in report.results:
        if not _replayable(result):
            continue
        assert result.replay is not None
        records.append(FailureRecord(
            target=target,
            cwd=os.getcwd(),
            contexts=report.contexts,
            profile=report.profile,
            seed=seed,
            requirement_id=result.requirement_id,
            level=result.level,
            title=result.title,
            check=result.failed_check or (result.checks[0] if result.checks else ""),
            status=result.status.value,
            replay=result.replay,
            message=result.message,
            counterexample=result.counterexample,
            header=report.header,
        ))
    return records


def _replayable(result: RequirementResult) -> bool:
    return result.status in (Status.FAIL, Status.ERROR) and result.replay is not None


def store_failures(
    directory: Path, report: Report, target: str, seed: int | None
) -> list[Path]:
    """Replace the stored failures of ``target`` for the requirements ``report`` judged by
    its current failures; returns the files written."""
    judged = {r.requirement_id for r in report.results}
    slug = target_slug(target)
    if directory.is_dir():
        for old in directory.glob(f"{slug}--*.json"):
            if old.stem.split("--", 1)[1] in judged:
                old.unlink()
    records = failure_records(report, target, seed)
    if not records:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    _ignore_folder(directory)
    written: list[Path] = []
    for record in records:
        path = directory / record.file_name
        temporary = path.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(record.to_dict(), indent=2, default=repr) + "\n",
                             encoding="utf-8")
        os.replace(temporary, path)
        written.append(path)
    return written


def _ignore_folder(directory: Path) -> None:
    """Put a ``.gitignore`` of ``*`` in the top ``.conformance`` folder (or ``directory``)."""
    top = directory.parent if directory.parent.name == ".conformance" else directory
    ignore = top / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# written by python -m conformance; safe to delete\n*\n",
                          encoding="utf-8")


def load_failures(directory: Path) -> Sequence[tuple[Path, FailureRecord]]:
    """Every stored failure in ``directory`` (sorted by file name); raises ``ValueError``
    naming a file that is not a stored failure."""
    found: list[tuple[Path, FailureRecord]] = []
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found.append((path, FailureRecord.from_dict(data)))
        except (OSError, ValueError) as error:
            raise ValueError(f"{path}: {error}") from error
    return found
