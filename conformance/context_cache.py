"""The per-process cache of context-binding checks: a check that judges the context provider
(not the manager) gives the same result for every manager under one stateless factory,
profile and seed, so it runs once per process and every later subject reuses its run."""

from __future__ import annotations

from collections.abc import Callable

from conformance.checks import Check
from conformance.contexts import ContextFactory
from conformance.execution import CheckRun
from conformance.profiles import Profile

__all__ = ["cached_context_run", "cached_run", "clear_context_cache", "store_context_run"]

_CACHEABLE_FACTORIES: frozenset[str] = frozenset(
    {
        "conformance.contexts.ReferenceContextFactory",
        "conformance.bridges.dagster.factory.DagsterContextFactory",
    }
)
"""Context factories known to be stateless: every instance builds the same contexts, so the
results of context checks can be shared between instances (exact types only: a subclass may
change what it builds)."""

_CONTEXT_RUNS: dict[tuple[str, str, str, str, int | None], tuple[Profile | str, CheckRun]] = {}
"""Results of context-binding checks per (factory, factory name, check, profile, seed) in this
process. Other factories (subclasses, user factories, which may hold state) are not cached."""


def clear_context_cache() -> None:
    """Forget the cached results of context-binding checks (they are rerun on next use)."""
    _CONTEXT_RUNS.clear()


def _cache_key(
    check: Check, contexts: ContextFactory | str, profile: Profile | str, seed: int | None
) -> tuple[str, str, str, str, int | None] | None:
    if check.target != "context":
        return None
    if isinstance(contexts, str):
        kind, name = "named", contexts
    else:
        kind = f"{type(contexts).__module__}.{type(contexts).__qualname__}"
        name = str(contexts.name)
        if kind not in _CACHEABLE_FACTORIES:
            return None
    profile_name = profile if isinstance(profile, str) else profile.name
    return (kind, name, check.name, profile_name, seed)


def cached_context_run(
    check: Check, contexts: ContextFactory | str, profile: Profile | str, seed: int | None
) -> CheckRun | None:
    """The cached run of a context-binding check for this context factory (or factory name,
    for workers), profile and seed, if any."""
    key = _cache_key(check, contexts, profile, seed)
    cached = None if key is None else _CONTEXT_RUNS.get(key)
    if cached is None or (cached[0] is not profile and cached[0] != profile):
        return None
    return cached[1]


def store_context_run(
    check: Check,
    contexts: ContextFactory | str,
    profile: Profile | str,
    seed: int | None,
    run: CheckRun,
) -> None:
    """Remember ``run`` of a context-binding check (only finished runs are remembered)."""
    key = _cache_key(check, contexts, profile, seed)
    if key is not None and run.kind in ("pass", "not_applicable", "violation"):
        _CONTEXT_RUNS[key] = (profile, run)


def cached_run(
    check: Check,
    contexts: ContextFactory | str,
    profile: Profile | str,
    seed: int | None,
    run: Callable[[], CheckRun],
) -> CheckRun:
    """``run()``, or the cached run of a context-binding check (:func:`cached_context_run`)."""
    cached = cached_context_run(check, contexts, profile, seed)
    if cached is not None:
        return cached
    result = run()
    store_context_run(check, contexts, profile, seed, result)
    return result
