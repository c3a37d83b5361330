"""The per-call deadline inside a worker: the pool hands its ``--call-timeout`` to the worker in
:data:`CALL_DEADLINE_VARIABLE`, so code that runs manager calls out of the pool's sight (the
multi-process checks' forked children) holds them to the same deadline.
"""

from __future__ import annotations

import os

__all__ = ["CALL_DEADLINE_VARIABLE", "DEFAULT_CALL_DEADLINE", "call_deadline", "idle_deadline"]

CALL_DEADLINE_VARIABLE = "IOM_CONFORMANCE_CALL_DEADLINE"
DEFAULT_CALL_DEADLINE = 60.0
"""Seconds, where no pool set the variable (``--isolation none``, ``check_io_manager``)."""


def call_deadline() -> float:
    """Seconds one manager call may take (the pool's ``--call-timeout``)."""
    try:
        value = float(os.environ.get(CALL_DEADLINE_VARIABLE, ""))
    except ValueError:
        return DEFAULT_CALL_DEADLINE
    return value if value > 0 else DEFAULT_CALL_DEADLINE


def idle_deadline() -> float:
    """Seconds without any manager call or return before code is judged hung (the pool's rule:
    four call deadlines, at least two minutes)."""
    return max(4 * call_deadline(), 120.0)
