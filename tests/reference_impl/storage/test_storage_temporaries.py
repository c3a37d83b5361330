"""Temporary files name their owner; the sweep removes exactly the stale ones (owner gone, or
older than STALE_AFTER_SECONDS), at a manager's first write into a directory and then at most
once per SWEEP_INTERVAL_SECONDS."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference_impl.storage import confined, temporaries
from reference_impl.storage.safe_paths import encode_component
from reference_impl.storage.temporaries import (
    STALE_AFTER_SECONDS,
    is_stale,
    owner_prefix,
    sweep_directory,
    temporary_name,
)
from tests.reference_impl.storage.faults import fork, make_manager, store, wait


def dead_pid() -> int:
    """The id of a child that has exited and been reaped."""
    pid = fork(lambda: None)
    assert wait(pid) == 0
    return pid


@given(st.text(max_size=30))
def test_no_key_component_looks_like_a_temporary(component: str) -> None:
    """Law: an encoded key component never starts with the temporary marker, so the sweep can
    never remove a stored value."""
    assert not encode_component(component).startswith("%!")


def test_names_carry_host_boot_and_pid() -> None:
    name = temporary_name()
    assert name.startswith(owner_prefix()) and f".{os.getpid()}." in name
    assert temporary_name() != name


def test_staleness_rules() -> None:
    now = time.time()
    host, boot, _pid, _ = owner_prefix()[2:].split(".")
    mine = temporary_name()
    assert not is_stale(mine, now, now)
    assert is_stale(mine, now - STALE_AFTER_SECONDS - 1, now)  # too old, whoever owns it
    assert is_stale(f"%!{host}.{boot}.{dead_pid()}.ab", now, now)  # owner died
    if boot != "0":
        assert is_stale(f"%!{host}.other.{os.getpid()}.ab", now, now)  # an earlier boot
    assert not is_stale(f"%!otherhost.{boot}.1.ab", now, now)  # another host: age only
    assert not is_stale("%!0123456789abcdef0123456789abcdef", now, now)  # old-style name


def test_sweep_removes_only_stale_temporaries(tmp_path: Path) -> None:
    host, boot, _pid, _ = owner_prefix()[2:].split(".")
    stale = [f"%!{host}.{boot}.{dead_pid()}.aa", "%!0123456789abcdef"]
    kept = [temporary_name(), "%!otherhost.x.1.bb", "value", "%@assets"]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"x")
    old = time.time() - STALE_AFTER_SECONDS - 10
    os.utime(tmp_path / "%!0123456789abcdef", (old, old))
    os.utime(tmp_path / "value", (old, old))  # values are never swept, however old
    assert sweep_directory(str(tmp_path)) == 2
    assert sorted(os.listdir(tmp_path)) == sorted(kept)


def test_writes_sweep_on_first_use_and_then_per_interval(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    swept: list[object] = []
    real = temporaries.sweep_directory

    def spy(directory: int | str) -> int:
        swept.append(directory)
        return real(directory)

    monkeypatch.setattr(confined, "sweep_directory", spy)
    manager = make_manager("fast", tmp_path)
    for index in range(5):
        store(manager, ["a"], index)
    assert len(swept) == 1
    monkeypatch.setattr(confined, "SWEEP_INTERVAL_SECONDS", 0.0)
    store(manager, ["a"], 6)
    assert len(swept) == 2
    store(make_manager("fast", tmp_path), ["a"], 7)  # a new manager sweeps at its start
    assert len(swept) == 3


def test_whole_tree_sweep_removes_stale_temporaries_everywhere(tmp_path: Path) -> None:
    manager = make_manager("fast", tmp_path)
    store(manager, ["a", "b"], 1)
    host, boot, _pid, _ = owner_prefix()[2:].split(".")
    stale = f"%!{host}.{boot}.{dead_pid()}.cc"
    for directory in (tmp_path, tmp_path / "a"):
        (directory / stale).write_bytes(b"x")
    (tmp_path / "a" / temporary_name()).write_bytes(b"live")
    assert manager.sweep_temporaries() == 2
    assert [path.name for path in tmp_path.rglob("%!*")] != []  # the live one stays
    assert make_manager("memory", tmp_path).sweep_temporaries() == 0
