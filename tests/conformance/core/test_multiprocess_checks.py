"""The multi-process checks (IOM-STORE-012..015): declarations make them not applicable, with
the reason, and the kill points are reproducible."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conformance.api import check_io_manager
from conformance.checks.consistency import (
    READER_BLOCKED,
    READER_MIN_WAIT,
    kill_points,
    reader_wait,
    storage_points,
)
from conformance.subject import Capabilities, Subject
from tests.conformance.corpus.broken_concurrency import SharedTempFileName
from tests.conformance.corpus.correct import HashedPickleDirManager

_IDS = ("IOM-STORE-012", "IOM-STORE-013", "IOM-STORE-014", "IOM-STORE-015")


def _statuses(subject: Any) -> dict[str, tuple[str, str]]:
    report = check_io_manager(subject, only="IOM-STORE-01", name="probe")
    return {r.requirement_id: (str(r.status), r.message or "")
            for r in report.results if r.requirement_id in _IDS}


def test_single_writer_declaration_makes_writer_laws_not_applicable() -> None:
    """IOM-STORE-012/013 need ``concurrent_writers``: a manager declaring it absent (whose shared
    temp file would fail IOM-STORE-013) gets not-applicable with the reason; the reader and
    crash laws (IOM-STORE-014/015) still run and pass on it."""
    caps = Capabilities(durable=True, storage_root=True, concurrent_writers=False)
    subject = Subject("single-writer", SharedTempFileName, capabilities=caps)
    statuses = _statuses(subject)
    for rid in ("IOM-STORE-012", "IOM-STORE-013"):
        assert statuses[rid][0] == "not-applicable"
        assert "concurrent_writers" in statuses[rid][1]
    assert statuses["IOM-STORE-014"][0] == "pass"
    assert statuses["IOM-STORE-015"][0] == "pass"


def test_storage_not_shared_between_processes_is_not_applicable(tmp_path: Path) -> None:
    """A durable manager whose storage lives in process memory cannot be raced by processes:
    all four laws are not applicable, saying so (never a false failure)."""
    stores: dict[str, dict[Any, Any]] = {}
    pid = os.getpid()

    class PerProcess(HashedPickleDirManager):
        def put(self, key: Any, obj: Any) -> None:
            stores.setdefault(str(os.getpid() == pid), {})[key] = obj

        def get(self, key: Any) -> Any:
            from tests.conformance.corpus.base import MissingValueError

            try:
                return stores[str(os.getpid() == pid)][key]
            except KeyError:
                raise MissingValueError(repr(key)) from None

    caps = Capabilities(durable=True, storage_root=True)
    statuses = _statuses(Subject("per-process", PerProcess, capabilities=caps))
    for rid in _IDS:
        assert "not shared between processes" in statuses[rid][1], statuses[rid]


def test_kill_points_are_exhaustive_within_budget_and_seeded_beyond() -> None:
    """Every C call is a kill point when they fit the budget; beyond it the sample is the same
    for the same seed and keeps the first and the last call."""
    assert kill_points(5, 40, None) == [1, 2, 3, 4, 5]
    sample = kill_points(500, 40, 7)
    assert sample == kill_points(500, 40, 7)
    assert len(sample) == 40 and sample[0] == 1 and sample[-1] == 500


def test_a_reader_waits_on_a_paused_writer_in_proportion_to_an_unimpeded_read() -> None:
    """IOM-STORE-014's reader gets five times what an unimpeded reader took, never less than
    the floor nor more than the ceiling: a fast manager whose reader waits on the paused
    writer's lock (SqliteManager in the corpus, duckdb in the field) costs a fraction of a
    second per point instead of the ceiling, and a slow reader is not cut short."""
    assert reader_wait(0.0) == READER_MIN_WAIT
    assert reader_wait(0.1) == 0.5
    assert reader_wait(10.0) == READER_BLOCKED
    waits = [reader_wait(t / 100) for t in range(100)]
    assert waits == sorted(waits)


def test_points_around_storage_calls_are_always_tried() -> None:
    """Beyond the budget, the points just before and after each call that changes storage are
    kept, whatever the seed: a truncating ``open`` followed by the write leaves a one-call
    window (IOM-STORE-014) that a sample of 40 of 500 points would usually miss."""
    names = ["len"] * 300 + ["open", "dump", "close"] + ["len"] * 197
    preferred = storage_points(names)
    assert preferred == [301, 302, 303, 304]
    for seed in range(20):
        points = kill_points(len(names), 40, seed, preferred)
        assert set(preferred) <= set(points) and len(points) == 40


def test_a_forked_call_past_the_per_call_deadline_is_killed_and_named(
    monkeypatch: Any,
) -> None:
    """A manager call in a forked child that overruns the per-call deadline (the pool's
    ``--call-timeout``, handed down in the environment) kills the child and raises
    ForkedCallFailed naming the call: an error, never a pass or not-applicable."""
    import time

    import pytest

    from conformance.checks.processes import children
    from conformance.checks.signals import ForkedCallFailed
    from conformance.isolation.calls import tracked
    from conformance.isolation.deadlines import CALL_DEADLINE_VARIABLE

    monkeypatch.setenv(CALL_DEADLINE_VARIABLE, "0.5")
    # judged as in a process without native threads (a test session may have polars' pool)
    monkeypatch.setattr("conformance.checks.processes.fork_unsafe", lambda: None)

    def hangs() -> object:
        with tracked("handle_output", "asset ['slow']"):
            time.sleep(60)
        return None

    started = time.monotonic()
    with children() as group, pytest.raises(ForkedCallFailed) as caught:
        child = group.fork(hangs)
        child.finish()
    assert time.monotonic() - started < 20
    assert caught.value.call == "handle_output(asset ['slow'])"
    assert "per-call deadline of 0.5 s" in caught.value.cause
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # killed and reaped


def test_a_child_outlives_no_killed_parent(tmp_path: Path) -> None:
    """A child forked by a check dies with the process that forked it (Linux
    PR_SET_PDEATHSIG): a worker killed at its deadline leaves no writer running on."""
    import subprocess
    import sys
    import time

    import pytest

    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    pid_file = tmp_path / "child.pid"
    script = (
        "import os, time\n"
        "from conformance.checks.processes import children\n"
        "def body():\n"
        f"    open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(120)\n"
        "with children() as group:\n"
        "    group.fork(body)\n"
        "    time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=str(Path(__file__).parents[3]))
    try:
        for _ in range(400):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.05)
        child = int(pid_file.read_text())
        parent.kill()
        parent.wait()
        for _ in range(200):
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(child, 9)
            raise AssertionError("the forked child survived its killed parent")
    finally:
        parent.kill()


def test_a_hung_child_after_an_unsafe_fork_is_not_applicable(monkeypatch: Any) -> None:
    """After a fork with native threads running, a hung child may be deadlocked on a lock one
    of them held: the check is not applicable, it does not blame the manager."""
    import time

    import pytest

    from conformance.checks.processes import children
    from conformance.checks.signals import NotApplicable
    from conformance.isolation.calls import tracked
    from conformance.isolation.deadlines import CALL_DEADLINE_VARIABLE

    monkeypatch.setenv(CALL_DEADLINE_VARIABLE, "0.5")
    monkeypatch.setattr("conformance.checks.processes.fork_unsafe", lambda: "native threads")

    def hangs() -> object:
        with tracked("handle_output", "asset ['slow']"):
            time.sleep(60)
        return None

    with children() as group, pytest.raises(NotApplicable, match="native threads"):
        group.fork(hangs).finish()


def test_a_target_exiting_in_a_forked_store_is_an_error_not_unshared_storage() -> None:
    """A ``sys.exit(0)`` raised through ``handle_output`` in the storage probe's child is an
    error naming the call and the exit on every multi-process law, never "storage not shared"
    (not applicable), which would let a narrow selection pass such a manager."""
    from tests.conformance.hostile.targets import ExitsWithSysExit

    caps = Capabilities(durable=True, storage_root=True)
    statuses = _statuses(Subject("exits", ExitsWithSysExit, capabilities=caps))
    for rid in _IDS:
        status, message = statuses[rid]
        assert status == "error", statuses[rid]
        assert "SystemExit(0)" in message and "handle_output(" in message, message


def test_a_manager_whose_every_store_raises_fails_the_multiprocess_laws() -> None:
    """A store that raises an ordinary exception fails each multi-process law (IOM-STORE-012
    to 015) on the probe the checking process stores first, never "storage not shared" (not
    applicable), which let ``--select IOM-STORE-014`` pass a manager that cannot store."""

    class StoreRaises(HashedPickleDirManager):
        def put(self, key: Any, obj: Any) -> None:
            raise RuntimeError("the back-end is down")

    caps = Capabilities(durable=True, storage_root=True)
    statuses = _statuses(Subject("store-raises", StoreRaises, capabilities=caps))
    for rid in _IDS:
        status, message = statuses[rid]
        assert status == "fail", statuses[rid]
        assert "the back-end is down" in message, message


def test_a_child_deadlocked_after_an_unsafe_fork_is_not_applicable_before_the_deadline(
    monkeypatch: Any,
) -> None:
    """A child forked while another thread holds a lock, that then waits on that lock, can
    never go on (its one thread waits for a thread it does not have): after an unsafe fork the
    kit sees the deadlock (one thread, a futex wait, no CPU time) and makes the check not
    applicable without waiting out the per-call deadline (here 600 s, so a wait would show as
    a different message after ten minutes)."""
    import threading

    import pytest

    from conformance.checks.processes import children
    from conformance.checks.signals import NotApplicable
    from conformance.isolation.calls import tracked
    from conformance.isolation.deadlines import CALL_DEADLINE_VARIABLE

    monkeypatch.setenv(CALL_DEADLINE_VARIABLE, "600")
    monkeypatch.setattr("conformance.checks.processes.fork_unsafe", lambda: "native threads")
    lock = threading.Lock()
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with lock:
            held.set()
            release.wait()

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait()

    def waits_for_the_lock() -> object:
        with tracked("handle_output", "asset ['locked']"), lock:
            return None

    try:
        with children() as group, pytest.raises(NotApplicable, match="deadlocked") as raised:
            group.fork(waits_for_the_lock).finish()
        assert "native threads" in str(raised.value)
    finally:
        release.set()
        thread.join()


def test_a_sleeping_child_after_an_unsafe_fork_is_not_taken_for_a_deadlock(
    monkeypatch: Any,
) -> None:
    """A child that waits without a lock (a sleep, as a slow back-end would) for longer than
    the deadlock window is not killed: it finishes and its outcome is judged as always."""
    import time

    from conformance.checks.processes import DEADLOCK_SECONDS, children
    from conformance.isolation.calls import tracked
    from conformance.isolation.deadlines import CALL_DEADLINE_VARIABLE

    monkeypatch.setenv(CALL_DEADLINE_VARIABLE, "60")
    monkeypatch.setattr("conformance.checks.processes.fork_unsafe", lambda: "native threads")

    def sleeps() -> object:
        with tracked("handle_output", "asset ['slow']"):
            time.sleep(DEADLOCK_SECONDS + 1.5)
        return "stored"

    with children() as group:
        assert group.fork(sleeps).finish() == ("ok", "stored")
