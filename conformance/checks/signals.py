"""The signals a check raises: :class:`RequirementViolation` (a law does not hold),
:class:`NotApplicable` (the check cannot apply to this subject) and :class:`ForkedCallFailed`
(a manager call in a process the check forked hung or died: an error, never a verdict)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ForkedCallFailed", "NotApplicable", "RequirementViolation"]


class RequirementViolation(AssertionError):
    """A law of requirement ``requirement_id`` does not hold; ``counterexample`` is JSON-able."""

    def __init__(
        self, requirement_id: str, message: str, counterexample: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(f"{requirement_id}: {message}")
        self.requirement_id = requirement_id
        self.message = message
        self.counterexample = counterexample


class NotApplicable(Exception):
    """Raised by a check that cannot apply to this subject; the message is the reason."""


class ForkedCallFailed(Exception):
    """A manager call in a child process the check forked overran the per-call deadline or
    died; ``call`` is the call in flight (``op(detail)``, ``None`` when none was), ``cause``
    what happened. The check cannot judge the manager: its requirements are errors."""

    def __init__(self, call: str | None, cause: str) -> None:
        super().__init__(f"{cause} (in a process the check forked)"
                         + ("" if call is None else f", during {call}"))
        self.call = call
        self.cause = cause
