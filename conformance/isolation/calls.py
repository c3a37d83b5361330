"""Which manager call is in flight: the kit brackets every call into the target with
:func:`tracked`, so a worker that dies or hangs is reported with the call and key it was in.

In the kit's own process nothing listens and :func:`tracked` costs one global lookup; the worker
installs a listener (:func:`listen`) that receives ``("call", op, detail)`` and ``("return",)``
and publishes the call in flight on its call board (:mod:`.board`) for the kit, which runs the
per-call deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from contextlib import contextmanager

__all__ = ["forget_raised", "last_raised", "listen", "tracked"]

_listener: Callable[[tuple[str, ...]], None] | None = None
_last_raised: str | None = None


def forget_raised() -> None:
    """Forget the last raising call (at the start of each check)."""
    global _last_raised
    _last_raised = None


def last_raised() -> str | None:
    """The last tracked call that raised, as ``op(detail)`` (``None`` when none did)."""
    return _last_raised


def listen(listener: Callable[[tuple[str, ...]], None] | None) -> None:
    """Send every call event to ``listener`` (``None`` stops listening)."""
    global _listener
    _listener = listener


@contextmanager
def tracked(op: str, detail: str = "") -> Generator[None, None, None]:
    """Bracket one call into the target: ``op`` is e.g. ``handle_output``, ``detail`` the key."""
    global _last_raised
    listener = _listener
    if listener is not None:
        listener(("call", op, detail))
    try:
        yield
    except BaseException:
        _last_raised = f"{op}({detail})"
        raise
    finally:
        if listener is not None:
            listener(("return",))
