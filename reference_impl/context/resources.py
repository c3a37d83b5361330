"""Resources on a context: attribute access, and the lifecycle of scoped resources.

A resource value that is a context manager (has ``__enter__`` and ``__exit__``) or a zero-argument
generator function is *scoped*: it is entered when the context's ``with`` block starts and exited
when it ends (IOM-CTX-007). Every other value is exposed as is.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator, Mapping
from types import MappingProxyType, TracebackType
from typing import Any

from reference_impl.errors import (
    InvalidContextArgumentError,
    ResourceScopeError,
    UnknownResourceError,
)

__all__ = ["ResourceSet", "Resources"]


class Resources:
    """Read-only attribute access to resources: ``resources.db``.

    Reading a name that was not provided raises ``UnknownResourceError`` (an ``AttributeError``,
    so ``hasattr`` works).
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_values", MappingProxyType(dict(values)))

    def __getattr__(self, name: str) -> Any:
        values: Mapping[str, Any] = object.__getattribute__(self, "_values")
        try:
            return values[name]
        except KeyError:
            available = ", ".join(sorted(values)) or "none"
            raise UnknownResourceError(
                f"Unknown resource {name!r}. Available resources: {available}. Pass it in "
                f"resources={{{name!r}: ...}} when building the context."
            ) from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Resources are read-only; pass them when building the context.")

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __dir__(self) -> list[str]:
        return sorted(self._values)

    def __repr__(self) -> str:
        return f"Resources({', '.join(sorted(self._values))})"


_EMPTY_RESOURCES = Resources({})


def _is_scoped(value: object) -> bool:
    return inspect.isgeneratorfunction(value) or (
        hasattr(value, "__enter__") and hasattr(value, "__exit__")
    )


def _as_context_manager(key: str, value: Any) -> contextlib.AbstractContextManager[Any]:
    if not inspect.isgeneratorfunction(value):
        manager: contextlib.AbstractContextManager[Any] = value
        return manager
    required = [
        p
        for p in inspect.signature(value).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if required:
        raise InvalidContextArgumentError(
            f"Generator resource {key!r} takes arguments; a context can only set up zero-argument "
            "generator functions. Bind its arguments first (functools.partial) or pass the value."
        )
    return contextlib.contextmanager(value)()


class ResourceSet:
    """The resources given to a builder, with the state of the scoped ones.

    ``resources`` must be a mapping of str keys (``InvalidContextArgumentError`` otherwise).
    :meth:`view` raises ``ResourceScopeError`` when scoped resources exist and the context is
    not inside its ``with`` block.
    """

    __slots__ = ("_builder", "_plain", "_scoped", "_stack", "_view")

    def __init__(self, resources: Mapping[str, Any] | None, builder: str) -> None:
        self._builder = builder
        self._plain: dict[str, Any] = {}
        self._scoped: dict[str, Any] = {}
        self._stack: contextlib.ExitStack | None = None
        self._view: Resources | None = None
        if resources is None:
            self._view = _EMPTY_RESOURCES
            return
        if not isinstance(resources, Mapping):
            raise InvalidContextArgumentError(
                f"resources must be a mapping of resource name to value, got "
                f"{type(resources).__name__}. Pass a dict such as {{'db': my_db}}."
            )
        for key, value in resources.items():
            if not isinstance(key, str):
                raise InvalidContextArgumentError(f"Resource names must be str, got {key!r}.")
            (self._scoped if _is_scoped(value) else self._plain)[key] = value
        if not self._scoped:
            self._view = Resources(self._plain)

    @property
    def has_scoped(self) -> bool:
        """Whether some resource needs the context's ``with`` block."""
        return bool(self._scoped)

    def view(self) -> Resources:
        """The resources as attributes. Raises ``ResourceScopeError`` outside the scope."""
        if self._view is None:
            raise ResourceScopeError(
                "At least one provided resource is a context manager or generator, and resources "
                "are read outside the context's scope. Use the context as a context manager: "
                f"`with {self._builder}(...) as context:`."
            )
        return self._view

    def enter(self) -> None:
        """Enter the scoped resources (in the given order). Raises when already entered."""
        if self._stack is not None:
            raise ResourceScopeError("This context is already entered; enter it only once.")
        if not self._scoped:
            return
        stack = contextlib.ExitStack()
        try:
            entered = {
                key: stack.enter_context(_as_context_manager(key, value))
                for key, value in self._scoped.items()
            }
        except BaseException:
            stack.close()
            raise
        self._stack = stack
        self._view = Resources({**self._plain, **entered})

    def exit(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        """Exit the scoped resources in reverse order; returns whether an exception was handled."""
        stack, self._stack = self._stack, None
        if stack is None:
            return False
        self._view = None
        return bool(stack.__exit__(exc_type, exc, traceback))
