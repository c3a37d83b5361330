"""Temporary files that name their owner, and the sweep that removes stale ones.

A store streams the new value into a temporary file next to its target and publishes it by a
rename; a process killed in between leaves the temporary file behind (no key can name it). Its
name says who wrote it::

    %!<host>.<boot>.<pid>.<random>      e.g. %!3f2a9c01.8d1e44b2.41523.9b0c...

``host`` is a hash of the host name, ``boot`` one of the kernel's boot id (Linux; ``0``
elsewhere), ``pid`` the writer's process id. A temporary file is *stale*, and
:func:`sweep_directory` removes it, when

* its owner is known to be gone: it was written on this host during an earlier boot, or during
  this boot by a process that no longer exists; or
* it was last modified more than :data:`STALE_AFTER_SECONDS` ago (any owner, including names
  from older versions, ``%!<uuid>``, and writers on other hosts sharing the storage).

A live writer's temporary file is modified while it writes, so only a writer stalled for longer
than the age limit can lose its file; its store then fails with a typed error and the previous
value stays. Process ids are reused: a dead owner whose id now belongs to another live process
is only recognised by age.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import time

from reference_impl.storage.safe_paths import TEMP_FILE_MARKER

__all__ = [
    "STALE_AFTER_SECONDS",
    "SWEEP_INTERVAL_SECONDS",
    "is_stale",
    "owner_prefix",
    "sweep_directory",
    "temporary_name",
]

STALE_AFTER_SECONDS = 3600.0
"""A temporary file untouched for this long is stale whoever wrote it."""

SWEEP_INTERVAL_SECONDS = 60.0
"""A manager sweeps a directory when it first writes there, then at most once per interval."""


def _host_id() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id", "rb") as handle:
            return hashlib.sha256(handle.read().strip()).hexdigest()[:8]
    except OSError:
        return "0"


_HOST = _host_id()
_BOOT = _boot_id()
_pid_prefix: tuple[int, str] | None = None


def owner_prefix() -> str:
    """``%!<host>.<boot>.<pid>.``: the start of every temporary name this process creates."""
    global _pid_prefix
    pid = os.getpid()
    cached = _pid_prefix
    if cached is None or cached[0] != pid:  # first call, or a forked child
        cached = _pid_prefix = (pid, f"{TEMP_FILE_MARKER}{_HOST}.{_BOOT}.{pid}.")
    return cached[1]


def temporary_name() -> str:
    """A fresh temporary file name naming this process; no encoded key component equals it."""
    return owner_prefix() + os.urandom(12).hex()


def _owner_is_gone(name: str) -> bool:
    fields = name[len(TEMP_FILE_MARKER):].split(".")
    if len(fields) != 4 or fields[0] != _HOST:
        return False  # another host (or an older name): only the age tells
    if fields[1] != _BOOT:
        return _BOOT != "0"  # written before this boot: its writer is gone
    try:
        pid = int(fields[2])
    except ValueError:
        return False
    if pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # EPERM: alive, another user's
        return False
    return False


def is_stale(name: str, modified: float, now: float) -> bool:
    """Whether the temporary file ``name`` (last modified at ``modified``, epoch seconds) may
    be removed at ``now`` (see the module docstring)."""
    return now - modified > STALE_AFTER_SECONDS or _owner_is_gone(name)


def sweep_directory(directory: int | str) -> int:
    """Remove the stale temporary files directly in ``directory`` (a path or a directory file
    descriptor); returns how many were removed. Never raises for a file system error (a sweep
    is housekeeping): an unreadable directory or a file that vanished is skipped."""
    removed = 0
    now = time.time()
    dir_fd = directory if isinstance(directory, int) else None
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not name.startswith(TEMP_FILE_MARKER):
            continue
        try:
            modified = entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if not is_stale(name, modified, now):
            continue
        with contextlib.suppress(OSError):
            if dir_fd is None:
                os.unlink(os.path.join(str(directory), name))
            else:
                os.unlink(name, dir_fd=dir_fd)
            removed += 1
    return removed

