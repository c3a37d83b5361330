"""Crash and concurrency safety of PickledObjectFilesystemIOManager (subprocesses, bounded)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reference_impl.context import build_input_context
from reference_impl.storage import PickledObjectFilesystemIOManager
from reference_impl.storage import exchange as exchange_module
from reference_impl.storage.safe_paths import TEMP_FILE_MARKER

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[3]
PAYLOAD_BYTES = 8 * 1024 * 1024
KILLS = 25

WRITER = textwrap.dedent("""
    import sys
    from reference_impl.context import build_output_context
    from reference_impl.storage import PickledObjectFilesystemIOManager, exchange
    base, tag, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if sys.argv[5] == "replace":
        exchange.disable()  # publish with os.replace, the fallback
    assert exchange.is_available() == (sys.argv[5] == "exchange")
    manager = PickledObjectFilesystemIOManager(base, fsync=False)
    size = int(sys.argv[4])
    print("ready", flush=True)
    for i in range(rounds):
        value = (tag, i, bytes([i % 251]) * size)
        manager.handle_output(build_output_context(asset_key=["shared", ".."]), value)
""")


@pytest.fixture(params=["exchange", "replace"])
def mode(request: pytest.FixtureRequest) -> str:
    """How writers publish: renameat2(RENAME_EXCHANGE), or the os.replace fallback."""
    name: str = request.param
    if name == "exchange" and not exchange_module.is_available():
        pytest.skip("renameat2 is not available on this platform")
    return name


def start_writer(base: Path, tag: str, rounds: int, size: int,
                 mode: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(base), tag, str(rounds), str(size), mode],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def load_checked(base: Path) -> tuple[str, int]:
    manager = PickledObjectFilesystemIOManager(str(base))
    tag, index, payload = manager.load_input(build_input_context(asset_key=["shared", ".."]))
    assert payload == bytes([index % 251]) * len(payload), "torn value"
    return tag, index


def value_files(base: Path) -> list[str]:
    """The names in the value's directory that are not temporary files."""
    return sorted(name for name in os.listdir(base / "shared")
                  if not name.startswith(TEMP_FILE_MARKER))


def test_sigkill_mid_write_leaves_the_old_or_the_new_value(tmp_path: Path, mode: str) -> None:
    """IOM-STORE-007, IOM-STORE-003: a writer killed at a random moment never leaves a torn
    or missing value; every load after the kill finds a complete value written before it.
    A killed writer may leave temporary files (its new value, or with the exchange the old
    value it had not unlinked yet), never anything else."""
    base = tmp_path / "base"
    rng = random.Random(1234)
    last_seen = -1
    for kill in range(KILLS):
        writer = start_writer(base, f"w{kill}", 1000, PAYLOAD_BYTES, mode)
        time.sleep(rng.uniform(0.0, 0.15))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        if not any(base.rglob("shared/*")) and last_seen < 0:
            continue  # killed before the first write finished: nothing stored yet
        tag, _ = load_checked(base)
        assert tag.startswith("w")
        last_seen = kill
    assert last_seen >= 0, "no write ever completed; increase the sleep range"
    assert os.listdir(tmp_path) == ["base"]
    assert value_files(base) == ["%..", "%@assets"]  # the value and its layout marker


def test_concurrent_writers_leave_a_valid_value(tmp_path: Path, mode: str) -> None:
    """IOM-STORE-008: two processes overwriting the same asset: a complete value remains,
    and writers that finish leave no temporary file behind."""
    base = tmp_path / "base"
    writers = [start_writer(base, tag, 15, 1024 * 1024, mode) for tag in ("a", "b")]
    for writer in writers:
        assert writer.wait(timeout=60) == 0
    tag, index = load_checked(base)
    assert tag in ("a", "b") and index == 14
    assert sorted(os.listdir(base / "shared")) == ["%..", "%@assets"]  # no temporary file
