"""Length-prefixed pickle frames over a pipe file descriptor (the worker protocol's wire).

A frame is an 8-byte big-endian length and a pickle. :func:`read_frame` waits at most
``timeout`` seconds for a whole frame and raises :class:`FrameTimeout` (nothing consumed is
lost: a partial frame stays buffered in the :class:`FrameReader`) or :class:`ChannelClosed` at
end of file (the other side exited).
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import time

__all__ = ["ChannelClosed", "FrameReader", "FrameTimeout", "write_frame"]

_HEADER = struct.Struct(">Q")
_NOTHING = object()


class ChannelClosed(EOFError):
    """The other end of the pipe closed (the process on it exited or was killed)."""


class FrameTimeout(TimeoutError):
    """No whole frame arrived within the timeout."""


def write_frame(fd: int, message: object) -> None:
    """Write ``message`` as one frame to ``fd`` (blocking until it is all written)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class FrameReader:
    """Reads frames from ``fd``, keeping any partial frame between calls."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._buffer = bytearray()

    def _frame(self) -> object:
        if len(self._buffer) < _HEADER.size:
            return _NOTHING
        (size,) = _HEADER.unpack_from(self._buffer)
        if len(self._buffer) < _HEADER.size + size:
            return _NOTHING
        data = bytes(self._buffer[_HEADER.size : _HEADER.size + size])
        del self._buffer[: _HEADER.size + size]
        message: object = pickle.loads(data)
        return message

    def read(self, timeout: float | None) -> object:
        """The next message; waits at most ``timeout`` seconds (``None``: forever)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            message = self._frame()
            if message is not _NOTHING:
                return message
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                raise FrameTimeout(f"no message within {timeout} s")
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                raise ChannelClosed("the worker closed its end of the pipe")
            self._buffer += chunk
