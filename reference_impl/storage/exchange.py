"""Swap two directory entries atomically: Linux ``renameat2(..., RENAME_EXCHANGE)``.

:func:`exchange` is how :func:`~reference_impl.storage.atomic.write_local` publishes a value
over an existing one. Like ``os.replace`` it moves the new file to the target name in one atomic
step (a reader sees the old or the new file, never neither), but the old file ends up at the
temporary name instead of being dropped by the rename, and the caller unlinks it. On ext4
(``auto_da_alloc``, the default) a rename that *replaces* a file starts writeback of the new
file and frees the old one inside the ``rename`` call, which costs milliseconds for a large value
(``docs/PERFORMANCE.md``); an exchange does neither.

Where the call is unavailable (not Linux, a libc without ``renameat2``, a kernel older than 3.15
or a seccomp filter: ``ENOSYS``/``EPERM``) or the file system does not support the flag
(``EINVAL``), or when the target does not exist (``ENOENT``), :func:`exchange` returns ``False``
and the caller falls back to ``os.replace``, which reports any real error itself.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from collections.abc import Callable

__all__ = ["RENAME_EXCHANGE", "disable", "enable", "exchange", "exchange_at", "is_available"]

RENAME_EXCHANGE = 2
_AT_FDCWD = -100

_Renameat2 = Callable[[int, bytes, int, bytes, int], int]


def _load_renameat2() -> _Renameat2 | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # pragma: no cover - a libc without renameat2 (< glibc 2.28)
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    renameat2: _Renameat2 = function
    return renameat2


_loaded: _Renameat2 | None = _load_renameat2()
_renameat2: _Renameat2 | None = _loaded


def is_available() -> bool:
    """Whether :func:`exchange` will try ``renameat2`` (it may still fall back per call)."""
    return _renameat2 is not None


def disable() -> None:
    """Stop trying ``renameat2`` in this process: callers use ``os.replace`` only (tests and
    benchmarks force the fallback with it; a kernel without the call disables it itself)."""
    global _renameat2
    _renameat2 = None


def enable() -> None:
    """Undo :func:`disable` where ``renameat2`` exists (benchmarks compare both ways)."""
    global _renameat2
    _renameat2 = _loaded


def exchange(source: str, target: str) -> bool:
    """Atomically swap the entries ``source`` and ``target`` (same directory).

    Returns ``True`` when they were swapped: ``target`` now names what ``source`` named and
    ``source`` names the old ``target`` (possibly a directory or a symlink; the caller deals
    with it). Returns ``False`` when nothing happened: the call or the flag is not supported
    here, either name does not exist, or the call failed otherwise; the caller then uses
    ``os.replace``, which reports a real error itself.
    """
    return exchange_at(_AT_FDCWD, source, target)


def exchange_at(dir_fd: int, source: str, target: str) -> bool:
    """:func:`exchange` of two entries of the directory open as ``dir_fd`` (``renameat2`` with
    that descriptor on both sides, so no path outside the directory is resolved)."""
    renameat2 = _renameat2
    if renameat2 is None:
        return False
    if renameat2(dir_fd, os.fsencode(source), dir_fd, os.fsencode(target),
                 RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() == errno.ENOSYS:  # the kernel lacks renameat2: stop trying
        disable()
    return False
