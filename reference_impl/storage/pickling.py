"""Pickle (de)serialization with typed errors (protocol 4, as Dagster)."""

from __future__ import annotations

import pickle
from typing import IO, Any

from reference_impl.errors import CorruptStoredValueError, UnpicklableValueError

__all__ = ["PICKLE_PROTOCOL", "dump_pickle", "load_pickle"]

PICKLE_PROTOCOL = 4

_LOAD_ERRORS = (
    pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError, KeyError,
    AttributeError, ImportError, RecursionError, UnicodeDecodeError,
)


class _GuardedFile:
    """Forwards writes to a file and remembers the error a write raised (so a full disk is
    told apart from a value whose ``__reduce__`` raises ``OSError``)."""

    __slots__ = ("failure", "handle")

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.failure: BaseException | None = None

    def write(self, data: Any) -> int:
        try:
            return self.handle.write(data)
        except BaseException as error:
            self.failure = error
            raise


def dump_pickle(obj: Any, handle: IO[bytes], *, where: str) -> None:
    """Pickle ``obj`` into ``handle``.

    Raises :class:`UnpicklableValueError` naming ``where`` when pickling ``obj`` raises anything
    (lambdas, local functions, open handles, structures deeper than the recursion limit, a
    ``__reduce__`` raising ``RuntimeError`` or ``OSError`` halfway). An error raised by writing
    to ``handle`` (a full disk) propagates unchanged.
    """
    guarded = _GuardedFile(handle)
    try:
        pickle.dump(obj, guarded, PICKLE_PROTOCOL)
    except Exception as error:
        if error is guarded.failure:
            raise
        reason = ("it nests deeper than the recursion limit" if isinstance(error, RecursionError)
                  else f"{type(error).__name__}: {error}")
        raise UnpicklableValueError(
            f"cannot store a {type(obj).__name__} at {where}: it is not picklable ({reason}). "
            "Return picklable data (no lambdas, local functions, open files or locks), or "
            "use an IO manager that knows this type; the previously stored value is unchanged"
        ) from error


def load_pickle(handle: IO[bytes], *, where: str) -> Any:
    """Unpickle one value from ``handle``.

    Raises :class:`CorruptStoredValueError` naming ``where`` when the bytes are truncated,
    foreign, or need a class that cannot be imported.
    """
    try:
        return pickle.load(handle)
    except _LOAD_ERRORS as error:
        raise CorruptStoredValueError(
            f"the value stored at {where} cannot be read back ({type(error).__name__}: "
            f"{error}). The file is truncated, was not written by this IO manager, or needs a "
            "class that is not importable here; re-materialize it"
        ) from error
