"""Lazy ``Sequence[str]`` views of partition keys: O(1) ``len``, indexing and slicing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any, Final, overload

from reference_impl.narrowing import is_sequence

__all__ = ["BulkKeys", "LazyKeySequence", "ProductKeySequence"]

BulkKeys = Callable[[int, int], Iterable[list[str]]]
"""``bulk(first, stop)``: batches of the keys of tick indices ``first..stop - 1`` in order."""

_REVERSE_CHUNK: Final = 4096


class _KeySequenceBase(Sequence[str]):
    """Equality against any non-str sequence of the same keys, and a short repr."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if not is_sequence(other) or isinstance(other, (str, bytes)):
            return NotImplemented
        if len(self) != len(other):
            return False
        return all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    def __repr__(self) -> str:
        shown = list(islice(self, 3))
        more = f", ... ({len(self)} keys)" if len(self) > 3 else ""
        return f"{type(self).__name__}({shown!r}{more})"

    def _position(self, index: int) -> int:
        """``index`` as a non-negative position; ``IndexError`` when out of range."""
        size = len(self)
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            raise IndexError(f"partition key index {index} out of range for {size} keys")
        return position


class LazyKeySequence(_KeySequenceBase):
    """The keys ``key_at(i)`` for ``i`` in a ``range`` of tick indices, computed on demand.

    ``index_of(key)`` returns the tick index of ``key`` or ``None`` when ``key`` is not a key of
    the underlying schedule; it gives O(1) ``in`` and ``index``. ``bulk``, when given, produces
    the same keys as ``key_at`` for a run of consecutive indices, faster; iteration (forwards,
    backwards, of slices with step 1 or -1) uses it, batch by batch, so it stays lazy.
    """

    __slots__ = ("_bulk", "_index_of", "_indices", "_key_at")

    def __init__(
        self,
        indices: range,
        key_at: Callable[[int], str],
        index_of: Callable[[str], int | None],
        bulk: BulkKeys | None = None,
    ) -> None:
        self._indices = indices
        self._key_at = key_at
        self._index_of = index_of
        self._bulk = bulk

    @property
    def tick_indices(self) -> range:
        """The tick indices this sequence covers."""
        return self._indices

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> LazyKeySequence: ...

    def __getitem__(self, index: int | slice) -> str | LazyKeySequence:
        if isinstance(index, slice):
            return LazyKeySequence(
                self._indices[index], self._key_at, self._index_of, self._bulk
            )
        return self._key_at(self._indices[self._position(index)])

    def __iter__(self) -> Iterator[str]:
        return self._iterate(self._indices)

    def __reversed__(self) -> Iterator[str]:
        return self._iterate(self._indices[::-1])

    def _iterate(self, indices: range) -> Iterator[str]:
        if self._bulk is None or not indices or abs(indices.step) != 1:
            return map(self._key_at, indices)
        if indices.step == 1:
            return chain.from_iterable(self._bulk(indices.start, indices.stop))
        return self._iterate_backwards(indices.stop + 1, indices.start + 1)

    def _iterate_backwards(self, first: int, stop: int) -> Iterator[str]:
        """The keys of ``first..stop - 1`` last to first, generated in forward chunks."""
        assert self._bulk is not None
        for high in range(stop, first, -_REVERSE_CHUNK):
            chunk = list(chain.from_iterable(self._bulk(max(first, high - _REVERSE_CHUNK), high)))
            yield from reversed(chunk)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        tick = self._index_of(key)
        return tick is not None and tick in self._indices

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """The position of ``value``; ``ValueError`` when it is not in the sequence."""
        tick = self._index_of(value) if isinstance(value, str) else None
        if tick is None or tick not in self._indices:
            raise ValueError(f"{value!r} is not in the partition keys")
        position = self._indices.index(tick)
        stop = len(self) if stop is None else stop
        if not range(len(self))[start:stop].count(position):
            raise ValueError(f"{value!r} is not in the partition keys[{start}:{stop}]")
        return position

    def count(self, value: Any) -> int:
        """1 when ``value`` is a key of the sequence, else 0 (keys are unique)."""
        return int(value in self)


class ProductKeySequence(_KeySequenceBase):
    """The Cartesian product of two key sequences, the first one varying slowest.

    Each element is ``combine(outer_key, inner_key)``.
    """

    __slots__ = ("_combine", "_inner", "_outer", "_split")

    def __init__(
        self,
        outer: Sequence[str],
        inner: Sequence[str],
        combine: Callable[[str, str], str],
        split: Callable[[str], tuple[str, str] | None],
    ) -> None:
        self._outer = outer
        self._inner = inner
        self._combine = combine
        self._split = split

    def __len__(self) -> int:
        return len(self._outer) * len(self._inner)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[position] for position in range(len(self))[index]]
        outer, inner = divmod(self._position(index), len(self._inner))
        return self._combine(self._outer[outer], self._inner[inner])

    def __iter__(self) -> Iterator[str]:
        for outer in self._outer:
            for inner in self._inner:
                yield self._combine(outer, inner)

    def __contains__(self, key: object) -> bool:
        parts = self._split(key) if isinstance(key, str) else None
        return parts is not None and parts[0] in self._outer and parts[1] in self._inner

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """The position of ``value``; ``ValueError`` when it is not in the sequence."""
        parts = self._split(value) if isinstance(value, str) else None
        if parts is None or value not in self:
            raise ValueError(f"{value!r} is not in the partition keys")
        position = self._outer.index(parts[0]) * len(self._inner) + self._inner.index(parts[1])
        stop = len(self) if stop is None else stop
        if not range(len(self))[start:stop].count(position):
            raise ValueError(f"{value!r} is not in the partition keys[{start}:{stop}]")
        return position

    def count(self, value: Any) -> int:
        """1 when ``value`` is a key of the sequence, else 0 (keys are unique)."""
        return int(value in self)
