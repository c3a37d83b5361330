"""The spec's changelog: every change to a requirement, machine-readable and rendered in SPEC.md.

A requirement's ID never changes meaning silently: adding, revising, scoping or withdrawing one
gets an entry here naming it, the version that carries the change and why. A test checks that
every ID named exists and that every requirement added after ``1.0.0`` has an ``added`` entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CHANGES", "SPEC_VERSION", "Change", "ChangeKind"]

SPEC_VERSION = "1.1.0"
"""The version of the requirement set in :mod:`spec.requirements`."""


class ChangeKind(StrEnum):
    """What a change did to a requirement."""

    ADDED = "added"
    REVISED = "revised"
    SCOPED = "scoped"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Change:
    """One changelog line: ``kind`` of change to ``requirements`` in ``version``."""

    version: str
    kind: ChangeKind
    requirements: tuple[str, ...]
    text: str
    why: str


CHANGES: tuple[Change, ...] = ()
"""Newest first."""
