"""Read-only definition metadata that records every write attempt (for IOM-META-006).

:func:`watch_definition_metadata` makes a context hand out, as ``definition_metadata`` (and its
deprecated alias ``metadata``), a read-only view of its metadata whose nested dicts and lists are
read-only too. Any write (``__setitem__``, ``update``, ``pop``, ``append``, ...) on the view or a
nested value raises ``TypeError``, as the reference contexts do, *and* is recorded as a
:class:`WriteAttempt`, so a manager that swallows the error is still seen. Reads, equality,
``isinstance`` (nested values stay ``dict``/``list`` subclasses), copies and pickling behave as for
plain containers; a copy is a plain, writable container (writing to one's own copy is fine).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, cast

from reference_impl.narrowing import is_list, is_list_or_tuple, is_mapping, is_tuple

__all__ = ["WriteAttempt", "watch_definition_metadata", "watched_view"]


@dataclass(frozen=True)
class WriteAttempt:
    """One attempt to change definition metadata: where, and the call made."""

    where: str
    """The context whose metadata it was (``"output"``, ``"input"``, ...)."""
    call: str
    """The write, e.g. ``definition_metadata['nested']['dict']['k'] = 1``."""

    def describe(self) -> str:
        """``"<call> on the <where> context"``."""
        return f"{self.call} on the {self.where} context"


def _brief(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Recorder:
    """Where a view sits (its path) and the shared list attempts go to."""

    __slots__ = ("attempts", "path", "where")

    def __init__(self, where: str, path: str, attempts: list[WriteAttempt]) -> None:
        self.where, self.path, self.attempts = where, path, attempts

    def refuse(self, method: str, *args: object, **kwargs: object) -> NoReturn:
        if method == "__setitem__":
            call = f"{self.path}[{_brief(args[0])}] = {_brief(args[1])}"
        elif method == "__delitem__":
            call = f"del {self.path}[{_brief(args[0])}]"
        else:
            shown = [_brief(a) for a in args] + [f"{k}={_brief(v)}" for k, v in kwargs.items()]
            call = f"{self.path}.{method}({', '.join(shown)})"
            keys = _written_keys(method, args, kwargs)
            if keys:
                call += f" (writing key{'s' if len(keys) > 1 else ''} {', '.join(keys)})"
        self.attempts.append(WriteAttempt(self.where, call))
        raise TypeError(f"definition metadata is read-only: {call}")

    def child(self, key: object) -> _Recorder:
        return _Recorder(self.where, f"{self.path}[{_brief(key)}]", self.attempts)


def _written_keys(method: str, args: tuple[object, ...], kwargs: Mapping[str, object]) -> list[str]:
    """The keys a mapping write names (``update``/``setdefault``/``pop``/``__ior__``)."""
    if method in ("setdefault", "pop") and args:
        return [_brief(args[0])]
    if method not in ("update", "__ior__"):
        return []
    keys: list[object] = list(kwargs)
    other = args[0] if args else None
    if isinstance(other, Mapping):
        keys = [*other.keys(), *keys]
    elif is_list_or_tuple(other):
        firsts = [_first_of_pair(pair) for pair in other]
        keys = [key for key in firsts if key is not _NOT_A_PAIR] + keys
    return [_brief(key) for key in keys]


_NOT_A_PAIR = object()


def _first_of_pair(pair: object) -> object:
    """The key of a ``(key, value)`` pair passed to ``update``; :data:`_NOT_A_PAIR` otherwise."""
    if is_tuple(pair) and len(pair) == 2:
        return pair[0]
    return _NOT_A_PAIR


def _wrap(value: object, recorder: _Recorder) -> object:
    """A watched copy of a dict or list (recursively); other values as they are."""
    if is_mapping(value) and isinstance(value, dict):
        return _WatchedDict({k: _wrap(v, recorder.child(k)) for k, v in value.items()}, recorder)
    if is_list(value):
        return _WatchedList([_wrap(v, recorder.child(i)) for i, v in enumerate(value)], recorder)
    return value


def _refusing(name: str) -> Any:
    def method(self: Any, *args: object, **kwargs: object) -> NoReturn:
        recorder: _Recorder = self._recorder
        recorder.refuse(name, *args, **kwargs)

    method.__name__ = name
    return method


_MAPPING_WRITES = (
    "__setitem__", "__delitem__", "update", "pop", "popitem", "setdefault", "clear", "__ior__",
)
_LIST_WRITES = (
    "__setitem__", "__delitem__", "append", "extend", "insert", "pop", "remove", "clear", "sort",
    "reverse", "__iadd__", "__imul__",
)


class _WatchedDict(dict[Any, Any]):
    """A nested dict whose writes raise ``TypeError`` and are recorded."""

    __slots__ = ("_recorder",)

    def __init__(self, items: dict[Any, Any], recorder: _Recorder) -> None:
        super().__init__(items)
        self._recorder = recorder

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        return {copy.deepcopy(k, memo): copy.deepcopy(v, memo) for k, v in self.items()}

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (dict, (dict(self),))


class _WatchedList(list[Any]):
    """A nested list whose writes raise ``TypeError`` and are recorded."""

    __slots__ = ("_recorder",)

    def __init__(self, items: list[Any], recorder: _Recorder) -> None:
        super().__init__(items)
        self._recorder = recorder

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return [copy.deepcopy(v, memo) for v in self]

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (list, (list(self),))


for _name in _MAPPING_WRITES:
    setattr(_WatchedDict, _name, _refusing(_name))
for _name in _LIST_WRITES:
    setattr(_WatchedList, _name, _refusing(_name))


class _WatchedMapping(Mapping[str, Any]):
    """The top-level read-only view: a ``Mapping`` whose write methods refuse and record."""

    __slots__ = ("_data", "_recorder")

    def __init__(self, data: dict[str, Any], recorder: _Recorder) -> None:
        self._data, self._recorder = data, recorder

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"mappingproxy({self._data!r})"

    def __copy__(self) -> dict[str, Any]:
        return dict(self._data)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(v, memo) for k, v in self._data.items()}

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (dict, (dict(self._data),))


for _name in _MAPPING_WRITES:
    setattr(_WatchedMapping, _name, _refusing(_name))


def watched_view(
    metadata: Mapping[str, Any], where: str, attempts: list[WriteAttempt]
) -> Mapping[str, Any]:
    """A read-only view of a copy of ``metadata`` recording write attempts into ``attempts``."""
    recorder = _Recorder(where, "definition_metadata", attempts)
    return _WatchedMapping(
        {k: _wrap(v, recorder.child(k)) for k, v in metadata.items()}, recorder
    )


def _swap_class(context: Any, namespace: dict[str, Any]) -> bool:
    """Give ``context`` a subclass of its class with ``namespace``; False when impossible."""
    base: type[object] = type(cast("object", context))
    namespace = {"__slots__": (), "__module__": base.__module__,
                 "__qualname__": base.__qualname__, **namespace}
    try:
        context.__class__ = type(base.__name__, (base,), namespace)
    except TypeError:
        return False
    return True


def watch_definition_metadata(context: Any, where: str, attempts: list[WriteAttempt]) -> bool:
    """Make ``context`` (and, for an input context, its upstream output, as ``"<where>'s
    upstream output"``) hand out watched definition metadata; False when the context's class
    cannot be extended (the caller then relies on comparing snapshots alone).

    The context keeps its class's behaviour otherwise (its class is swapped for a subclass, so
    ``isinstance`` still holds); ``metadata`` still emits its deprecation warning.
    """
    base: type[object] = type(cast("object", context))
    view = watched_view(context.definition_metadata, where, attempts)
    namespace: dict[str, Any] = {"definition_metadata": property(lambda self: view)}
    alias = getattr(base, "metadata", None)
    if isinstance(alias, property) and alias.fget is not None:
        getter = alias.fget

        def metadata(self: Any) -> Mapping[str, Any]:
            getter(self)  # the deprecation warning, as the context itself emits it
            return view

        namespace["metadata"] = property(metadata)
    try:
        upstream = context.upstream_output
    except Exception:
        upstream = None
    if upstream is not None:
        watch_definition_metadata(upstream, f"{where}'s upstream output", attempts)
        namespace["upstream_output"] = property(lambda self: upstream)
    return _swap_class(context, namespace)
