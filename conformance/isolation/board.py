"""The call in flight, on a page of shared memory: the worker writes which manager call it is
in (and when it started) on every call and return; the kit reads it to run the per-call
deadline and to name the call when the worker dies or hangs. No message per call crosses the
pipe, so tracking costs a few microseconds per call.

Layout: ``<sequence: u64><started: f64 time.monotonic()><length: u32><call text, UTF-8>``. The
sequence is odd while the worker writes (a seqlock): a reader retries until it sees one even
sequence on both sides of its read. ``time.monotonic`` is system-wide on Linux and macOS, so
the kit compares the worker's start time with its own clock.
"""

from __future__ import annotations

import mmap
import struct
import tempfile
import time
from typing import IO

__all__ = ["CallBoard"]

_SIZE = 4096
_SEQUENCE = struct.Struct("<Q")
_HEAD = struct.Struct("<QdI")


class CallBoard:
    """One worker's board; ``create`` makes the file, the worker maps it from its descriptor."""

    def __init__(self, fd: int) -> None:
        self._map = mmap.mmap(fd, _SIZE)
        self._sequence = _SEQUENCE.unpack_from(self._map, 0)[0]
        self._file: IO[bytes] | None = None

    @classmethod
    def create(cls) -> CallBoard:
        """A fresh, empty board backed by an anonymous temporary file."""
        file = tempfile.TemporaryFile(prefix="iomanager-conformance-board-")  # noqa: SIM115
        file.truncate(_SIZE)
        board = cls(file.fileno())
        board._file = file
        return board

    def fileno(self) -> int:
        """The descriptor to pass to the worker."""
        assert self._file is not None
        return self._file.fileno()

    def publish(self, call: str | None) -> None:
        """Say that ``call`` (e.g. ``handle_output(asset ['a'])``) is in flight, or none."""
        data = (call or "").encode("utf-8", "replace")[: _SIZE - _HEAD.size]
        self._sequence += 1  # odd: a write is under way
        _SEQUENCE.pack_into(self._map, 0, self._sequence)
        self._map[_HEAD.size : _HEAD.size + len(data)] = data
        _HEAD.pack_into(self._map, 0, self._sequence, time.monotonic(), len(data))
        self._sequence += 1
        _SEQUENCE.pack_into(self._map, 0, self._sequence)

    def read(self) -> tuple[float, str | None]:
        """(when the last call or return happened, the call in flight or ``None``)."""
        for _ in range(1000):
            sequence, started, length = _HEAD.unpack_from(self._map, 0)
            if sequence % 2:
                continue
            data = bytes(self._map[_HEAD.size : _HEAD.size + min(length, _SIZE - _HEAD.size)])
            if _SEQUENCE.unpack_from(self._map, 0)[0] == sequence:
                return started, (data.decode("utf-8", "replace") if length else None)
        return 0.0, None  # a writer that died mid-write: no call is known

    def clear(self) -> None:
        """Forget everything (a fresh worker starts with no call in flight)."""
        self._map[:] = bytes(_SIZE)
        self._sequence = 0

    def close(self) -> None:
        """Unmap the page and close the file."""
        self._map.close()
        if self._file is not None:
            self._file.close()
            self._file = None
