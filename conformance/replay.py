"""Rerun a stored failure (:mod:`conformance.failures`) and write it as a standalone pytest file.

:func:`replay_record` reruns the recorded example of the failing check, in this process: the
target is imported the way the user gave it (a relative file target is looked up from the
directory the failure was found in, if it is not found here), contexts come from the recorded
factory (``reference``: the reference_impl builders), and the example is replayed from
hypothesis' failure blob (or the explicit example it was). :func:`assert_law_holds` turns the
outcome into a test: it raises ``AssertionError`` citing the requirement while the law still
fails on that example. :func:`write_reproduction` writes such a test file; it always compiles
(the record is embedded as JSON, decoded by the file).
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.checks.replaying import Replay
from conformance.failures import FailureRecord, target_slug
from reference_impl.narrowing import is_list, is_mapping

__all__ = ["ReplayOutcome", "assert_law_holds", "replay_record", "write_reproduction"]


@dataclass(frozen=True)
class ReplayOutcome:
    """``verdict`` is ``FIXED``, ``STILL FAILING`` or ``CANNOT REPLAY``; ``message`` says why."""

    verdict: str
    message: str


def _resolve_target(record: FailureRecord) -> object:
    from conformance.target import is_path_target, resolve_target, split_target

    source, attribute = split_target(record.target)
    if is_path_target(source) and not os.path.isabs(source) and not os.path.exists(source):
        candidate = os.path.join(record.cwd, source)
        if os.path.exists(candidate):
            return resolve_target(f"{candidate}:{attribute}")
    return resolve_target(record.target)


def _subject(record: FailureRecord) -> Any:
    from conformance.subject import Subject

    if record.target.startswith("builtin:"):
        from conformance.builtins import builtin_subjects

        name = record.target.removeprefix("builtin:")
        return next(s for s in builtin_subjects() if s.name == name)
    return Subject.from_object(_resolve_target(record), name=record.target)


def replay_record(record: FailureRecord, *, target: object | None = None) -> ReplayOutcome:
    """Rerun ``record``'s example on its target (or on ``target``, any object
    :meth:`Subject.from_object` accepts) and say whether the law now holds on it."""
    from conformance.checks import CHECKS
    from conformance.contexts import resolve_context_factory
    from conformance.execution import as_declared, execute_check
    from conformance.profiles import get_profile
    from conformance.subject import Subject

    check = CHECKS.get(record.check)
    if check is None:
        return ReplayOutcome("CANNOT REPLAY", f"this kit has no check {record.check!r}")
    subject = _subject(record) if target is None else Subject.from_object(target)
    run = execute_check(
        check,
        as_declared(subject),
        resolve_context_factory(record.contexts),
        get_profile(record.profile),
        seed=record.seed,
        replay=Replay.from_dict(record.replay),
    )
    if run.kind == "violation":
        where = "" if run.violation_id == record.requirement_id else " (a different requirement)"
        return ReplayOutcome(
            "STILL FAILING", f"{run.violation_id}{where}: {run.violation_message}"
        )
    if run.kind in ("pass", "not_applicable"):
        return ReplayOutcome("FIXED", f"{record.requirement_id} holds on the recorded example")
    if "different version of Hypothesis" in run.message or "reproduce" in run.message:
        return ReplayOutcome("CANNOT REPLAY", run.message)
    return ReplayOutcome("STILL FAILING", run.message)


def assert_law_holds(record: Mapping[str, Any], *, target: object | None = None) -> None:
    """Raise ``AssertionError`` citing the requirement while the recorded example still breaks
    its law (the body of a written reproduction)."""
    parsed = FailureRecord.from_dict(record)
    outcome = replay_record(parsed, target=target)
    if outcome.verdict == "STILL FAILING":
        raise AssertionError(
            f"{parsed.requirement_id} ({parsed.level}) {parsed.title}: {outcome.message}"
        )
    if outcome.verdict == "CANNOT REPLAY":
        raise RuntimeError(f"cannot replay {parsed.requirement_id}: {outcome.message}")


_TEMPLATE = '''\
"""Reproduces {rid} ({level}) for {target}: {title}.

Found by `python -m conformance check` with {versions}.
Run it with `python -m pytest {file_name}`: it fails while the manager breaks the law on the
recorded (shrunk) example and passes once the manager is fixed. The example is replayed from
hypothesis' failure blob with the {contexts} contexts (the same hypothesis version is needed).

What the check saw:
{message}

Calls of the shrunk example (for reading; the test replays them itself):
{steps}
"""

import json

from conformance.replay import assert_law_holds

FAILURE = json.loads({record})


def test_{function}() -> None:
    """{rid}: {title}"""
    assert_law_holds(FAILURE)
'''


def _steps(record: FailureRecord) -> str:
    counterexample = record.counterexample or {}
    steps = counterexample.get("steps")
    if not is_list(steps) or not steps:
        return "    (no manager calls recorded)"
    lines: list[str] = []
    for step in steps:
        if not is_mapping(step):
            continue
        op = step.get("op")
        if op == "store":
            value = step.get("value_repr", step.get("value"))
            line = f"handle_output({step.get('output')}, {value})"
        elif op == "load":
            line = f"load_input({step.get('input')})"
        else:
            line = str(op)
        if "raised" in step:
            line += f"  -> raised {step['raised']}"
        lines.append(line)
    return _quote("\n".join(lines))


def _quote(text: str) -> str:
    """``text`` made safe inside the file's docstring (indented, no closing quotes)."""
    safe = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return textwrap.indent(safe, "    ")


def write_reproduction(directory: Path, record: FailureRecord) -> Path:
    """Write ``test_<target>_<requirement>.py`` into ``directory``; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    slug = target_slug(record.target).replace(".", "_").replace("-", "_")
    rid = record.requirement_id.replace("-", "_").lower()
    file_name = f"test_{slug}_{rid}.py"
    versions = ", ".join(f"{k} {v}" for k, v in record.header.items()
                         if k in ("kit", "spec", "hypothesis", "python", "dagster"))
    text = _TEMPLATE.format(
        rid=record.requirement_id,
        level=record.level,
        target=_quote(record.target).strip(),
        title=_quote(record.title).strip(),
        versions=versions or "unknown versions",
        file_name=file_name,
        contexts=record.contexts,
        message=_quote(record.message[:2000]),
        steps=_steps(record),
        record=repr(json.dumps(record.to_dict(), default=repr)),
        function=rid,
    )
    compile(text, file_name, "exec")  # a reproduction never fails to compile
    path = directory / file_name
    path.write_text(text, encoding="utf-8")
    return path
