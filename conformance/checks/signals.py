"""The two signals a check raises: :class:`RequirementViolation` (a law does not hold) and
:class:`NotApplicable` (the check cannot apply to this subject)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["NotApplicable", "RequirementViolation"]


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
