"""Protocols for IO managers, input managers and IO-manager factories.

``IOManager`` is generic in two contravariant context type variables with PEP 696 defaults:

* plain ``IOManager`` means a manager that accepts the spec contexts;
* ``IOManager[dagster.InputContext, dagster.OutputContext]`` is satisfied by Dagster's managers;
* the conformance kit accepts ``IOManager[Any, Any]``.
"""

from __future__ import annotations

from typing import Any

from typing_extensions import Protocol, TypeVar, runtime_checkable

from spec.contexts import InputContextLike, OutputContextLike

__all__ = ["IOManager", "IOManagerFactory", "InCtx", "InitContextLike", "InputManager", "OutCtx"]

InCtx = TypeVar("InCtx", contravariant=True, default=InputContextLike)
OutCtx = TypeVar("OutCtx", contravariant=True, default=OutputContextLike)


@runtime_checkable
class InputManager(Protocol[InCtx]):
    """Loads op inputs, from upstream outputs or from elsewhere."""

    def load_input(self, context: InCtx) -> Any:
        """Return the value for the input described by ``context``.

        Raises when there is nothing stored for the input (see ``IOM-STORE-005``).
        """
        ...


@runtime_checkable
class IOManager(Protocol[InCtx, OutCtx]):
    """Stores op outputs and loads them back as inputs of downstream ops."""

    def handle_output(self, context: OutCtx, obj: Any) -> None:
        """Store ``obj``, the value of the output described by ``context``.

        Storing again under the same identifier overwrites (``IOM-STORE-003``).
        """
        ...

    def load_input(self, context: InCtx) -> Any:
        """Return the value stored for the output upstream of ``context``."""
        ...


@runtime_checkable
class InitContextLike(Protocol):
    """The context a resource (and so an IO-manager factory) is initialised with."""

    @property
    def resource_config(self) -> Any:
        """The resource's validated config."""
        ...

    @property
    def resources(self) -> Any:
        """The resources this resource required."""
        ...


@runtime_checkable
class IOManagerFactory(Protocol[InCtx, OutCtx]):
    """Something that builds an IO manager at resource-initialisation time.

    ``dagster.FilesystemIOManager`` is a factory, not a manager. The context parameter is typed
    ``Any`` because frameworks pass their own, narrower init context.
    """

    def create_io_manager(self, context: Any) -> IOManager[InCtx, OutCtx]:
        """Return a ready IO manager for the run that ``context`` initialises."""
        ...
