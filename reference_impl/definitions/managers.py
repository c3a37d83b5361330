"""The abstract base classes users subclass: ``IOManager`` and ``InputManager``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from spec.contexts import InputContextLike, OutputContextLike

__all__ = ["IOManager", "InputManager", "OutputManager"]


class InputManager(ABC):
    """Base class for objects that load op inputs."""

    @abstractmethod
    def load_input(self, context: InputContextLike) -> Any:
        """Return the value for the input described by ``context``."""


class OutputManager(ABC):
    """Base class for objects that store op outputs."""

    @abstractmethod
    def handle_output(self, context: OutputContextLike, obj: Any) -> None:
        """Store ``obj``, the value of the output described by ``context``."""


class IOManager(InputManager, OutputManager):
    """Base class for user-provided IO managers: implement ``handle_output`` and ``load_input``.

    Subclasses satisfy :class:`spec.IOManager`; the contexts are typed with the spec protocols so
    a subclass works with reference contexts and with Dagster's alike.
    """
