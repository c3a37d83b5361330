"""Worker start methods and check scheduling: a forked worker and a fresh interpreter give the
same verdicts and the same diagnostics; forking is never used where it is unsafe; a forked
worker holds no descriptor of another worker's; the longest checks go first and the order is
learned without touching the working directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from conformance.isolation import process
from conformance.isolation.schedule import DurationLog, longest_first

ROOT = Path(__file__).resolve().parents[3]
TARGETS = "tests.conformance.hostile.targets"


def test_the_start_method_follows_the_environment_and_never_forks_a_threaded_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``auto`` forks only on Linux from a single-threaded process; ``fork`` asked for in a
    threaded process (Python's threads or native ones started since the kit was imported)
    still execs; an unknown value is a clear error."""
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(process, "native_threads_started", lambda: 0)
    monkeypatch.delenv(process.START_ENVIRONMENT_VARIABLE, raising=False)
    assert process.choose_start() == "fork"
    assert process.choose_start("exec") == "exec"  # the plugin's choice: never a fork
    monkeypatch.setenv(process.START_ENVIRONMENT_VARIABLE, "exec")
    assert process.choose_start() == "exec"
    monkeypatch.setenv(process.START_ENVIRONMENT_VARIABLE, "fork")
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    assert process.choose_start() == "exec"
    monkeypatch.setenv(process.START_ENVIRONMENT_VARIABLE, "auto")
    assert process.choose_start() == "exec"
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(process, "native_threads_started", lambda: 2)  # e.g. polars' pool
    assert process.choose_start() == "exec"
    monkeypatch.setenv(process.START_ENVIRONMENT_VARIABLE, "fork")
    assert process.choose_start() == "exec"
    monkeypatch.setattr(process, "native_threads_started", lambda: 0)
    monkeypatch.setenv(process.START_ENVIRONMENT_VARIABLE, "auto")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert process.choose_start() == "exec"
    monkeypatch.setenv(process.START_ENVIRONMENT_VARIABLE, "spawn")
    with pytest.raises(ValueError, match="auto, exec or fork, not 'spawn'"):
        process.choose_start()


_SCRIPT = textwrap.dedent("""
    import json, sys
    from conformance.isolation.pool import WorkerPool
    from conformance.isolation.process import choose_start
    from conformance.isolation.protocol import RunCheck, SubjectRef

    targets = sys.argv[1]
    out = {"start": choose_start("auto")}
    with WorkerPool(2, call_timeout=3, start="auto") as pool:
        pool.start()
        first, second = pool._workers
        first.stop()  # EOF on its request pipe: it exits 0 unless another worker holds the pipe
        out["stopped_cleanly"] = first._proc is None
        runs = pool.run([
            RunCheck(SubjectRef(target=f"{targets}:{name}"), "reference", "pr", check, 0)
            for name, check in [("PrintsMegabytes", "storage.round_trip"),
                                ("Segfaults", "storage.round_trip"),
                                ("ExitsWithOsExit", "storage.overwrite"),
                                ("Hangs", "storage.round_trip")]
        ])
        out["runs"] = [[r.kind, (r.diagnostics or {}).get("call"),
                        (r.diagnostics or {}).get("cause")] for r in runs]
    print(json.dumps(out))
""")


def _run_pool_script(start: str) -> dict[str, object]:
    env = dict(os.environ, **{process.START_ENVIRONMENT_VARIABLE: start})
    done = subprocess.run([sys.executable, "-c", _SCRIPT, TARGETS], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.mark.slow
def test_forked_and_fresh_workers_give_the_same_verdicts_and_diagnostics() -> None:
    """The same tasks end the same way under both start methods: a pass, a SIGSEGV, an
    ``os._exit(0)`` and a hang past the per-call deadline, each naming the call in flight."""
    forked, fresh = _run_pool_script("fork"), _run_pool_script("exec")
    assert forked["start"] == "fork" and fresh["start"] == "exec"
    assert forked["runs"] == fresh["runs"]
    kinds = [run[0] for run in forked["runs"]]  # type: ignore[attr-defined]
    assert kinds == ["pass", "died", "died", "died"], forked["runs"]
    causes = [str(run[2]) for run in forked["runs"][1:]]  # type: ignore[index]
    assert "SIGSEGV" in causes[0] and "exited with code 0" in causes[1]
    assert "per-call deadline of 3 s" in causes[2]
    calls = [str(run[1]) for run in forked["runs"][1:]]  # type: ignore[index]
    assert all(call.startswith("handle_output(") for call in calls), calls


@pytest.mark.slow
def test_a_forked_worker_holds_no_pipe_of_another_worker() -> None:
    """Stopping one of two forked workers (closing its request pipe) ends it at once: the
    second worker, forked after it, did not inherit the pipe's write end."""
    assert _run_pool_script("fork")["stopped_cleanly"] is True


def test_checks_without_a_record_go_first_then_the_longest() -> None:
    """Unknown durations first (in their order), then recorded ones, longest first."""
    names = ["a", "b", "c", "d"]
    assert longest_first(names, {"a": 0.1, "c": 2.0, "d": 0.5}) == [1, 2, 3, 0]


def test_durations_are_learned_in_the_cache_and_never_break_a_run(tmp_path: Path) -> None:
    """A recorded duration moves halfway towards each new one; a corrupt or unwritable file is
    ignored (the order is only a speed-up)."""
    path = tmp_path / "cache" / "durations.json"
    log = DurationLog(path)
    log.record("x", 1.0)
    log.save()
    assert json.loads(path.read_text()) == {"x": 1.0}
    again = DurationLog(path)
    assert again.seconds == {"x": 1.0}
    again.record("x", 3.0)
    again.save()
    assert DurationLog(path).seconds == {"x": 2.0}
    path.write_text("not json")
    assert DurationLog(path).seconds == {}
    blocked = tmp_path / "file"
    blocked.write_text("")
    stuck = DurationLog(blocked / "durations.json")  # its parent is a file: cannot be created
    stuck.record("x", 1.0)
    stuck.save()
    assert not (blocked / "durations.json").exists()


def test_the_default_duration_log_lives_in_the_cache_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``XDG_CACHE_HOME`` decides where; the working directory is never used."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert DurationLog().path == tmp_path / "xdg" / "iomanager-spec" / "durations.json"


@pytest.mark.slow
def test_after_a_tampering_check_the_next_check_gets_a_fresh_worker() -> None:
    """The worker exits after a check in which the target changed its process state; the pool
    must not hand that exiting worker the next check (it would die as "exited with code 0")."""
    from conformance.isolation.pool import WorkerPool
    from conformance.isolation.protocol import RunCheck, SubjectRef

    ref = SubjectRef(target=f"{TARGETS}:ChangesRecursionLimit")
    tasks = [RunCheck(ref, "reference", "pr", name, 0)
             for name in ("storage.round_trip", "storage.overwrite", "storage.missing_raises")]
    with WorkerPool(1, call_timeout=30) as pool:
        runs = pool.run(tasks)
    assert [r.kind for r in runs][:2] != ["died", "died"]
    for run in runs:
        assert run.kind != "died", run.diagnostics
    assert (runs[0].diagnostics or {}).get("tampered"), runs[0]


def test_a_process_running_a_native_pool_started_after_the_kit_never_forks_a_worker() -> None:
    """Once polars has started its thread pool in a process that imported the kit first (a test
    session, a user's script calling the function API), workers are fresh interpreters: a
    forked worker calling into the pool it lost would crash (SIGSEGV) or hang."""
    pytest.importorskip("polars")
    script = textwrap.dedent("""
        from conformance.isolation.process import choose_start
        before = choose_start("auto")
        import polars
        polars.DataFrame({"a": list(range(1000))}).sort("a").sum()
        print(before, choose_start("auto"))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True,
                          env={k: v for k, v in os.environ.items()
                               if k != process.START_ENVIRONMENT_VARIABLE})
    assert done.stdout.split() == ["fork", "exec"], done.stdout + done.stderr
