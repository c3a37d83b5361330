"""Asset-key domains: the asset keys a subject declares it accepts (IOM-ID-014).

A manager may accept only some asset keys (a table manager needs a schema and a table name, each
a SQL identifier). Its :class:`~conformance.subject.Subject` declares that with
``accepts_asset_key(key) -> bool``; ``None`` means every key. The domain must contain at least
every key of one or two components matching ``[A-Za-z0-9_]+`` (what ``@asset`` produces for a
name with one key prefix): :data:`MINIMUM_ASSET_KEYS` are the representatives a Subject is
validated against.

The runner wraps the context factory of every manager check in :class:`DomainContexts`: a
*plain* asset key (one every manager must accept, :func:`conformance.strategies.keys.is_plain`)
outside the domain is discarded with ``hypothesis.reject()``, never counted as a pass.
Adversarial (non-plain) keys are always built: the manager must store them as data or refuse
them clearly (IOM-SEC-002/003). The IOM-ID-014 check builds out-of-domain keys on purpose
through :func:`without_domain`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hypothesis import reject

from conformance.contexts import ContextFactory, InputSpec, OutputSpec
from conformance.strategies.keys import is_plain
from spec.contexts import InputContextLike, OutputContextLike

__all__ = [
    "MINIMUM_ASSET_KEYS",
    "MINIMUM_COMPONENT",
    "AssetKeyDomain",
    "DomainContexts",
    "in_domain",
    "in_minimum_domain",
    "missing_from_domain",
    "with_domain",
    "without_domain",
]

AssetKeyDomain = Callable[[tuple[str, ...]], bool]
"""``accepts_asset_key(key)``: whether the manager accepts the asset key (a tuple of its path
components)."""

MINIMUM_COMPONENT = re.compile(r"[A-Za-z0-9_]+")
"""A component every domain accepts (in keys of one or two components)."""

MINIMUM_ASSET_KEYS: tuple[tuple[str, ...], ...] = (
    ("a",),
    ("Z",),
    ("0",),
    ("_",),
    ("a_b",),
    ("x1",),
    ("Sales_2024",),
    ("a" * 64,),
    ("a", "b"),
    ("public", "t"),
    ("A", "z9"),
    ("_", "0"),
)
"""Representative keys of the minimum domain (one or two ``[A-Za-z0-9_]+`` components); a
declared domain must accept every one."""


def in_minimum_domain(key: tuple[str, ...]) -> bool:
    """Whether ``key`` has one or two components, each matching ``[A-Za-z0-9_]+``."""
    return 1 <= len(key) <= 2 and all(MINIMUM_COMPONENT.fullmatch(part) for part in key)


def in_domain(accepts: AssetKeyDomain | None, key: tuple[str, ...]) -> bool:
    """Whether ``key`` is in the domain (``None``: every key is)."""
    return accepts is None or bool(accepts(tuple(key)))


def missing_from_domain(accepts: AssetKeyDomain) -> list[str]:
    """The representative minimum keys the domain does not accept (a raise counts), described."""
    missing: list[str] = []
    for key in MINIMUM_ASSET_KEYS:
        try:
            accepted = bool(accepts(key))
        except Exception as error:
            missing.append(f"{list(key)} ({type(error).__name__}: {error})")
            continue
        if not accepted:
            missing.append(str(list(key)))
    return missing


def _guard(accepts: AssetKeyDomain, key: tuple[str, ...] | None) -> None:
    if key is not None and all(is_plain(part) for part in key) and not accepts(tuple(key)):
        reject()


class DomainContexts:
    """A context factory that discards plain asset keys outside a declared domain.

    Builds every context with ``inner``; an output or input (or its upstream output) whose asset
    key is plain but not accepted by ``accepts`` is discarded (``hypothesis.reject()``) before
    any context is built. Other attributes are the inner factory's.
    """

    def __init__(self, inner: ContextFactory, accepts: AssetKeyDomain) -> None:
        self.inner = inner
        self.accepts = accepts

    @property
    def name(self) -> str:
        """The inner factory's name."""
        return self.inner.name

    def output_context(self, spec: OutputSpec) -> OutputContextLike:
        """The inner factory's output context, for an asset key in the domain."""
        _guard(self.accepts, spec.asset_key)
        return self.inner.output_context(spec)

    def input_context(self, spec: InputSpec) -> InputContextLike:
        """The inner factory's input context, for asset keys (its own and its upstream's) in
        the domain."""
        _guard(self.accepts, spec.asset_key)
        if spec.upstream is not None:
            _guard(self.accepts, spec.upstream.asset_key)
        return self.inner.input_context(spec)

    def materialization(self, asset_key: tuple[str, ...]) -> object:
        """The inner factory's materialization event."""
        return self.inner.materialization(asset_key)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("inner", "accepts"):
            raise AttributeError(name)
        return getattr(self.inner, name)


def with_domain(contexts: ContextFactory, accepts: AssetKeyDomain | None) -> ContextFactory:
    """``contexts`` guarded by the domain ``accepts`` (unchanged when ``accepts`` is None)."""
    if accepts is None:
        return contexts
    return DomainContexts(without_domain(contexts), accepts)


def without_domain(contexts: ContextFactory) -> ContextFactory:
    """The factory under any domain guard: builds contexts for every key (IOM-ID-014 probes)."""
    while isinstance(contexts, DomainContexts):
        contexts = contexts.inner
    return contexts
