"""Exhaustive run-time checks of config values against type hints.

beartype checks one sampled item of a container (a bad item among many is usually missed), so
:func:`find_type_errors` walks every item of lists, tuples, sets and mappings, unions and
literals, and leaves the leaves to beartype. :func:`check_value` adds beartype's own
``die_if_unbearable`` as a final net for hint forms the walker does not take apart.
"""

from __future__ import annotations

import collections.abc as abc
import types
import typing
import warnings
from typing import Any, cast

from beartype.door import die_if_unbearable, is_bearable
from beartype.roar import BeartypeDecorHintPep585DeprecationWarning, BeartypeException

from reference_impl.errors import ConfigError
from reference_impl.narrowing import is_iterable, is_mapping

__all__ = ["check_value", "find_type_errors"]

_SEQUENCES: tuple[Any, ...] = (list, abc.Sequence, abc.MutableSequence, abc.Collection,
                               abc.Iterable, set, frozenset, abc.Set, abc.MutableSet)
_MAPPINGS: tuple[Any, ...] = (dict, abc.Mapping, abc.MutableMapping)


def _hint_name(hint: object) -> str:
    return hint.__name__ if isinstance(hint, type) else repr(hint)


def _leaf_errors(value: object, hint: object, path: str) -> list[str]:
    try:
        ok = is_bearable(value, hint)  # type: ignore[arg-type]
    except BeartypeException:
        return []  # not checkable leaf-by-leaf; the final die_if_unbearable decides
    return [] if ok else [f"{path}: {type(value).__name__} {value!r} is not {_hint_name(hint)}"]


def find_type_errors(value: object, hint: object, path: str = "") -> list[str]:
    """Every place where ``value`` violates ``hint``, as ``"<path>: <what>"`` strings.

    Paths use ``[i]`` for sequence items and ``[key]`` for mapping values. An empty list means
    no violation was found.
    """
    if hint is Any or hint is object:
        return []
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        branches = [find_type_errors(value, arg, path) for arg in args]
        if any(not errors for errors in branches):
            return []
        return [f"{path}: {type(value).__name__} {value!r} is not {_hint_name(hint)}"]
    if origin is typing.Literal:
        if value in args:
            return []
        return [f"{path}: {value!r} is not one of {list(args)}"]
    if origin is typing.Annotated:
        return find_type_errors(value, args[0], path)
    if origin in _SEQUENCES or origin is tuple:
        return _container_errors(value, hint, origin, args, path)
    if origin in _MAPPINGS:
        return _mapping_errors(value, hint, args, path)
    return _leaf_errors(value, hint, path)


def _container_errors(
    value: object, hint: object, origin: object, args: tuple[Any, ...], path: str
) -> list[str]:
    shell = _leaf_errors(value, origin, path)
    if shell or not args:
        return shell
    assert is_iterable(value)
    items = list(value)
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        if len(items) != len(args):
            return [f"{path}: expected {len(args)} items for {_hint_name(hint)}, got {len(items)}"]
        item_hints: list[object] = list(args)
    else:
        item_hints = [args[0]] * len(items)
    errors: list[str] = []
    for index, (item, item_hint) in enumerate(zip(items, item_hints, strict=True)):
        errors.extend(find_type_errors(item, item_hint, f"{path}[{index}]"))
    return errors


def _mapping_errors(value: object, hint: object, args: tuple[Any, ...], path: str) -> list[str]:
    shell = _leaf_errors(value, typing.get_origin(hint), path)
    if shell or not args:
        return shell
    assert is_mapping(value)
    key_hint, value_hint = args
    errors: list[str] = []
    for key, item in value.items():
        errors.extend(find_type_errors(key, key_hint, f"{path}[{key!r}] (key)"))
        errors.extend(find_type_errors(item, value_hint, f"{path}[{key!r}]"))
    return errors


def check_value(value: object, hint: object, where: str) -> None:
    """Raise ``ConfigError`` naming ``where`` (e.g. ``MyIOManager.path_prefix``) and the first
    offending index when ``value`` does not match ``hint``; return ``None`` when it does.
    """
    with warnings.catch_warnings():  # `typing.List[str]` is the seed's spelling: don't nag
        warnings.simplefilter("ignore", BeartypeDecorHintPep585DeprecationWarning)
        _check_value(value, hint, where)


def _check_value(value: object, hint: object, where: str) -> None:
    errors = find_type_errors(value, hint, where)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(f"{errors[0]}{more}. Pass a value of the declared type.")
    try:
        # A hint read at run time (get_type_hints) is typed object; beartype takes any hint
        # and raises BeartypeException for what it cannot check.
        die_if_unbearable(value, cast("Any", hint))
    except BeartypeException as error:
        raise ConfigError(f"{where}: {error}. Pass a value of the declared type.") from None
