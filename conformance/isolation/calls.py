"""Which manager call is in flight: the kit brackets every call into the target with
:func:`tracked`, so a worker that dies or hangs is reported with the call and key it was in.

In the kit's own process nothing listens and :func:`tracked` costs one global lookup; the worker
installs a listener (:func:`listen`) that forwards ``("call", op, detail)`` and ``("return",)``
to the parent, which runs the per-call deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["listen", "tracked"]

_listener: Callable[[tuple[str, ...]], None] | None = None


def listen(listener: Callable[[tuple[str, ...]], None] | None) -> None:
    """Send every call event to ``listener`` (``None`` stops listening)."""
    global _listener
    _listener = listener


@contextmanager
def tracked(op: str, detail: str = "") -> Iterator[None]:
    """Bracket one call into the target: ``op`` is e.g. ``handle_output``, ``detail`` the key."""
    listener = _listener
    if listener is None:
        yield
        return
    listener(("call", op, detail))
    try:
        yield
    finally:
        listener(("return",))
