"""The messages between the kit and a worker: which subject, which check, and what the subject
declares (the kit plans the checks from that without importing the target itself)."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.checks.replaying import Replay
from conformance.subject import Capabilities

__all__ = ["RunCheck", "SubjectInfo", "SubjectRef"]


@dataclass(frozen=True)
class SubjectRef:
    """How a worker finds the subject: a ``module:attr``/``file.py:attr`` ``target``, the name
    of a reference ``builtin``, or a ``pickled`` object (pickled by reference: a module-level
    class or function). ``name`` overrides the subject's report name; ``values`` and ``equals``
    (a family name or ``MODULE:ATTR``, resolved in the worker) override the subject's."""

    target: str | None = None
    builtin: str | None = None
    pickled: bytes | None = None
    name: str | None = None
    values: str | None = None
    equals: str | None = None

    def describe(self) -> str:
        """How the user named the subject (for messages and reports)."""
        return self.target or self.builtin or self.name or "<object>"


@dataclass(frozen=True)
class SubjectInfo:
    """What the kit needs to plan and report checks for a subject."""

    name: str
    capabilities: Capabilities
    takes_directory: bool


@dataclass(frozen=True)
class RunCheck:
    """Run check ``check`` on ``subject`` with the ``contexts`` factory named, under
    ``profile``; ``database`` is a hypothesis example database directory (``None``: none)."""

    subject: SubjectRef
    contexts: str
    profile: str
    check: str
    seed: int | None = None
    replay: Replay | None = None
    database: str | None = None
