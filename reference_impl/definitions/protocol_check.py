"""Readable explanations of why an object does not satisfy a protocol (IOM-DEF-001).

``isinstance`` against a runtime-checkable protocol only says yes or no, and only checks that
the members exist; :func:`explain_protocol_mismatch` names each missing member, each member that
is not callable, and each method that cannot be called with the protocol's arguments.
"""

from __future__ import annotations

import inspect
from typing import Any

from typing_extensions import get_protocol_members

__all__ = ["explain_protocol_mismatch"]


def _protocol_name(protocol: type) -> str:
    return getattr(protocol, "__name__", repr(protocol))


def _object_name(obj: object) -> str:
    return obj.__name__ if isinstance(obj, type) else type(obj).__name__


def _argument_count(member: Any) -> int | None:
    """How many positional arguments (besides ``self``) the protocol's method takes."""
    try:
        parameters = list(inspect.signature(member).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = [
        p for p in parameters
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    return max(len(positional) - 1, 0)


def _check_method(obj: object, name: str, expected: Any, protocol_name: str) -> list[str]:
    bound = getattr(obj, name)
    if not callable(bound):
        return [f"`{name}` must be a method (required by {protocol_name}), got "
                f"{type(bound).__name__}"]
    count = _argument_count(expected)
    if count is None:
        return []
    try:
        signature = inspect.signature(bound)
    except (TypeError, ValueError):
        return []
    try:
        signature.bind(*([None] * count))
    except TypeError as error:
        return [f"`{name}{signature}` cannot be called with {count} argument(s) as "
                f"{protocol_name} requires: {error}"]
    return []


def explain_protocol_mismatch(obj: object, protocol: type) -> list[str]:
    """Return the reasons ``obj`` does not satisfy ``protocol``; an empty list means it does.

    Methods are checked for presence, callability and arity (``signature.bind`` with as many
    positional arguments as the protocol's method takes); properties and attributes for
    presence. Argument and return *types* are not checked. Raises ``TypeError`` when
    ``protocol`` is not a protocol class.
    """
    protocol_name = _protocol_name(protocol)
    problems: list[str] = []
    for name in sorted(get_protocol_members(protocol)):
        try:
            inspect.getattr_static(obj, name)
        except AttributeError:
            problems.append(f"{_object_name(obj)} is missing `{name}` required by {protocol_name}")
            continue
        expected = inspect.getattr_static(protocol, name, None)
        if inspect.isfunction(expected):
            problems.extend(_check_method(obj, name, expected, protocol_name))
    return problems
