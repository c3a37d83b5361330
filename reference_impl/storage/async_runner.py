"""Run a coroutine to completion from synchronous code, inside or outside an event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Coroutine
from typing import Any, TypeVar

__all__ = ["run_sync"]

T = TypeVar("T")


def run_sync(awaitable: Awaitable[T]) -> T:
    """Await ``awaitable`` and return its result (or raise its exception).

    Without a running event loop in this thread, it uses ``asyncio.run``. Inside a running loop
    (a notebook, an async framework) ``asyncio.run`` would fail, so the awaitable runs on a
    helper thread with its own loop and this thread blocks until it is done.
    """
    coroutine = _as_coroutine(awaitable)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    return _run_in_helper_thread(coroutine)


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _as_coroutine(awaitable: Awaitable[T]) -> Coroutine[Any, Any, T]:
    if asyncio.iscoroutine(awaitable):
        return awaitable
    return _await(awaitable)


def _run_in_helper_thread(coroutine: Coroutine[Any, Any, T]) -> T:
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the calling thread below
            outcome["error"] = error

    helper = threading.Thread(target=target, name="reference_impl-run_sync", daemon=True)
    helper.start()
    helper.join()
    if "error" in outcome:
        raise outcome["error"]
    result: T = outcome["value"]
    return result
