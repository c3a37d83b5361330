"""The type descriptor behind ``context.dagster_type``.

``DagsterType`` records the Python type an input or output stands for, whether it is the
``Nothing`` type (an output that carries no value) and a short display name. ``Nothing`` and
``Any`` are the two ready-made descriptors; :meth:`DagsterType.from_python_type` builds the rest.
Satisfies ``spec.DagsterTypeLike``.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

from reference_impl.errors import InvalidContextArgumentError

__all__ = ["Any", "DagsterType", "Nothing"]

_BUILTIN_DISPLAY_NAMES: dict[object, str] = {
    int: "Int",
    float: "Float",
    str: "String",
    bool: "Bool",
    dict: "Dict",
    list: "List",
    set: "Set",
    tuple: "Tuple",
    bytes: "Bytes",
    typing.Any: "Any",
}


@dataclass(frozen=True, slots=True)
class DagsterType:
    """A type descriptor: ``typing_type`` is the Python type (``typing.Any`` when unknown).

    ``display_name`` must be a non-empty ``str``; ``InvalidContextArgumentError`` otherwise.
    """

    typing_type: object
    display_name: str
    is_nothing: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.display_name, str) or not self.display_name:
            raise InvalidContextArgumentError(
                f"DagsterType display_name must be a non-empty str, got {self.display_name!r}."
            )

    @staticmethod
    def from_python_type(python_type: object) -> DagsterType:
        """The descriptor of a Python type: ``None``/``NoneType`` give ``Nothing``.

        ``typing.Any`` gives ``Any``; builtins get Dagster's display names (``int`` → ``Int``,
        ``str`` → ``String``); other types use their ``__name__`` (or ``repr`` for generics).
        """
        if python_type is None or python_type is type(None):
            return Nothing
        if python_type is typing.Any:
            return Any
        try:
            builtin_name = _BUILTIN_DISPLAY_NAMES.get(python_type)
        except TypeError:  # an unhashable typing construct
            builtin_name = None
        name = builtin_name or getattr(python_type, "__name__", None) or repr(python_type)
        return DagsterType(typing_type=python_type, display_name=name)

    def __str__(self) -> str:
        return self.display_name


Any = DagsterType(typing_type=typing.Any, display_name="Any")
"""The descriptor of an untyped input or output."""

Nothing = DagsterType(typing_type=type(None), display_name="Nothing", is_nothing=True)
"""The descriptor of an output that carries no value: managers are not called for it."""
