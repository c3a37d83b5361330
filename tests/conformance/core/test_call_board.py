"""The call board: what the worker publishes is what the kit reads, across processes."""

from __future__ import annotations

import subprocess
import sys
import time

from conformance.isolation.board import CallBoard


def test_the_last_published_call_is_read_with_its_start_time() -> None:
    """A call in flight reads back with a start time on the reader's monotonic clock; after the
    return there is none; ``clear`` forgets everything."""
    board = CallBoard.create()
    try:
        assert board.read() == (0.0, None)
        before = time.monotonic()
        board.publish("handle_output(asset ['a'])")
        started, call = board.read()
        assert call == "handle_output(asset ['a'])" and before <= started <= time.monotonic()
        board.publish(None)
        assert board.read()[1] is None
        board.publish("x" * 10_000)  # longer than the page: truncated, never an error
        assert len(board.read()[1] or "") < 4096
        board.clear()
        assert board.read() == (0.0, None)
    finally:
        board.close()


def test_another_process_writes_what_this_one_reads() -> None:
    """The worker maps the board from the descriptor it inherits."""
    board = CallBoard.create()
    try:
        code = ("import sys; from conformance.isolation.board import CallBoard; "
                "CallBoard(int(sys.argv[1])).publish('load_input(op run-1)')")
        subprocess.run([sys.executable, "-c", code, str(board.fileno())], check=True,
                       pass_fds=(board.fileno(),), timeout=60)
        assert board.read()[1] == "load_input(op run-1)"
    finally:
        board.close()
