"""Type-narrowing predicates for values of unknown type, with the element types spelled out.

``isinstance(value, Mapping)`` on an ``object`` gives a mapping of unknown keys and values to
pyright (strict mode reports every use) and of ``Any`` to mypy. These predicates are the same
``isinstance`` checks, typed as :data:`TypeIs` guards to containers of ``object``, so the
elements must be narrowed before use. Use them on ``object`` or ``Any`` values only: on a value
already typed as, say, ``Mapping[str, int]``, pyright treats ``Mapping[object, object]`` as
unrelated (the key type is invariant) and the guarded branch as unreachable.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager

from typing_extensions import TypeIs

__all__ = [
    "is_context_manager",
    "is_dict",
    "is_iterable",
    "is_list",
    "is_list_or_tuple",
    "is_mapping",
    "is_path_like",
    "is_sequence",
    "is_tuple",
]


def is_mapping(value: object) -> TypeIs[Mapping[object, object]]:
    """``isinstance(value, Mapping)``."""
    return isinstance(value, Mapping)


def is_dict(value: object) -> TypeIs[dict[object, object]]:
    """``isinstance(value, dict)``."""
    return isinstance(value, dict)


def is_iterable(value: object) -> TypeIs[Iterable[object]]:
    """``isinstance(value, Iterable)``."""
    return isinstance(value, Iterable)


def is_list(value: object) -> TypeIs[list[object]]:
    """``isinstance(value, list)``."""
    return isinstance(value, list)


def is_list_or_tuple(value: object) -> TypeIs[list[object] | tuple[object, ...]]:
    """``isinstance(value, (list, tuple))``."""
    return isinstance(value, (list, tuple))


def is_path_like(value: object) -> TypeIs[os.PathLike[str] | os.PathLike[bytes]]:
    """``isinstance(value, os.PathLike)``."""
    return isinstance(value, os.PathLike)


def is_sequence(value: object) -> TypeIs[Sequence[object]]:
    """``isinstance(value, Sequence)`` (``str`` and ``bytes`` included, as for ``isinstance``)."""
    return isinstance(value, Sequence)


def is_context_manager(value: object) -> TypeIs[AbstractContextManager[object, bool | None]]:
    """``isinstance(value, AbstractContextManager)`` (has ``__enter__`` and ``__exit__``)."""
    return isinstance(value, AbstractContextManager)


def is_tuple(value: object) -> TypeIs[tuple[object, ...]]:
    """``isinstance(value, tuple)``."""
    return isinstance(value, tuple)
