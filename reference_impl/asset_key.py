"""``AssetKey``: the immutable, ordered path of string components that names an asset."""

from __future__ import annotations

from collections.abc import Sequence
from functools import total_ordering
from typing import Final, TypeAlias

from reference_impl.errors import InvalidAssetKeyError
from reference_impl.narrowing import is_list_or_tuple

__all__ = ["AssetKey", "CoercibleToAssetKey"]

CoercibleToAssetKey: TypeAlias = "AssetKey | str | Sequence[str]"

_SEPARATOR: Final = "/"
_ESCAPE: Final = "\\"


def _components(path: object) -> tuple[str, ...]:
    """The components of ``path``; raises ``InvalidAssetKeyError`` for a non-string member."""
    if isinstance(path, str):
        return (path,)
    if is_list_or_tuple(path):
        components: list[str] = []
        for member in path:
            if not isinstance(member, str):
                raise InvalidAssetKeyError(
                    f"Asset key components must be str, got {member!r} "
                    f"({type(member).__name__}) in {path!r}. Convert every component to str."
                )
            components.append(member)
        return tuple(components)
    raise InvalidAssetKeyError(
        f"Cannot make an asset key from {path!r} ({type(path).__name__}). "
        "Pass an AssetKey, a str (one component) or a list/tuple of str."
    )


@total_ordering
class AssetKey:
    """An asset key: a tuple of string components, compared and hashed by that tuple.

    ``AssetKey("a/b")`` is one component (no splitting); ``AssetKey(["a", "b"])`` two. Empty keys
    and any characters are allowed, as in Dagster. Raises ``InvalidAssetKeyError`` when ``path``
    is neither a str nor a list/tuple of str.
    """

    __slots__ = ("_parts",)
    _parts: tuple[str, ...]

    def __init__(self, path: str | Sequence[str]) -> None:
        object.__setattr__(self, "_parts", _components(path))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"AssetKey is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"AssetKey is immutable; cannot delete {name!r}")

    @property
    def path(self) -> list[str]:
        """The components as a new list (Dagster returns a list)."""
        return list(self._parts)

    @property
    def parts(self) -> tuple[str, ...]:
        """The components as a tuple."""
        return self._parts

    def to_user_string(self) -> str:
        """The components joined with ``/``; lossy when a component contains ``/``."""
        return _SEPARATOR.join(self._parts)

    @staticmethod
    def from_user_string(user_string: str) -> AssetKey:
        """The key whose components are ``user_string`` split on every ``/``."""
        return AssetKey(user_string.split(_SEPARATOR))

    def to_escaped_user_string(self) -> str:
        """A lossless user string: ``\\`` becomes ``\\\\`` and ``/`` becomes ``\\/``."""
        return _SEPARATOR.join(
            part.replace(_ESCAPE, _ESCAPE * 2).replace(_SEPARATOR, _ESCAPE + _SEPARATOR)
            for part in self._parts
        )

    @staticmethod
    def from_escaped_user_string(escaped: str) -> AssetKey:
        """Invert :meth:`to_escaped_user_string`.

        A backslash escapes the next character; ``""`` is the empty key ``AssetKey([])`` (as in
        Dagster). Raises ``InvalidAssetKeyError`` for a trailing unpaired backslash.
        """
        if not escaped:
            return AssetKey([])
        parts: list[str] = []
        current: list[str] = []
        chars = iter(escaped)
        for char in chars:
            if char == _ESCAPE:
                escaped_char = next(chars, None)
                if escaped_char is None:
                    raise InvalidAssetKeyError(
                        f"Escaped asset key string {escaped!r} ends with an unpaired backslash; "
                        "write a literal backslash as '\\\\'."
                    )
                current.append(escaped_char)
            elif char == _SEPARATOR:
                parts.append("".join(current))
                current = []
            else:
                current.append(char)
        parts.append("".join(current))
        return AssetKey(parts)

    @staticmethod
    def from_coercible(value: object) -> AssetKey:
        """``value`` as an AssetKey: an AssetKey itself, a str (one component) or a list/tuple
        of str. Raises ``InvalidAssetKeyError`` for anything else."""
        if isinstance(value, AssetKey):
            return value
        return AssetKey(_components(value))

    def with_prefix(self, prefix: str | Sequence[str]) -> AssetKey:
        """A new key with ``prefix`` components in front."""
        return AssetKey([*_components(prefix), *self._parts])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AssetKey):
            return NotImplemented
        return self._parts == other._parts

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, AssetKey):
            return NotImplemented
        return self._parts < other._parts

    def __hash__(self) -> int:
        return hash((AssetKey, self._parts))

    def __repr__(self) -> str:
        return f"AssetKey({list(self._parts)!r})"

    def __reduce__(self) -> tuple[type[AssetKey], tuple[tuple[str, ...]]]:
        return (AssetKey, (self._parts,))
