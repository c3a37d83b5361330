"""What counts as a clear, typed rejection (IOM-SEC-003), which identifiers are plain (and
so must be accepted), and which exceptions pass through a manager call untouched."""

from __future__ import annotations

import traceback

from hypothesis.errors import StopTest

from conformance.contexts import InputSpec, OutputSpec
from conformance.strategies.keys import is_plain

__all__ = ["CONTROL_EXCEPTIONS", "clear_rejection_problem", "is_plain_spec", "raised_in"]

def clear_rejection_problem(error: BaseException) -> str | None:
    """Why ``error`` is not a clear, typed rejection (IOM-SEC-003), or ``None`` when it is."""
    if not isinstance(error, Exception):
        return f"{type(error).__name__} is not an Exception"
    if type(error) in (Exception, AssertionError) or isinstance(error, AssertionError):
        return f"a bare {type(error).__name__} is not a typed error"
    if not str(error).strip():
        return f"{type(error).__name__} has an empty message"
    return None


def is_plain_spec(spec: OutputSpec | InputSpec) -> bool:
    """Whether every identifier component of ``spec`` is plain, so it must be accepted."""
    parts: list[str | None] = [spec.name, spec.partition_key]
    parts += [*(spec.asset_key or ()), *(spec.partition_key_range or ())]
    if isinstance(spec, OutputSpec):
        parts += [spec.run_id, spec.step_key, spec.mapping_key, spec.version]
    elif spec.upstream is not None and not is_plain_spec(spec.upstream):
        return False
    definitions = [] if spec.partitions_def is None else [spec.partitions_def]
    definitions += [d for top in definitions for _, d in top.dimensions]
    parts += [k for d in definitions for k in d.keys]
    return all(p is None or is_plain(p) for p in parts)


CONTROL_EXCEPTIONS = (KeyboardInterrupt, SystemExit, GeneratorExit, StopTest, MemoryError)
"""Raised through a manager call but not by the manager's own failure: always re-raised, and
the check that saw it ends as an ERROR (the kit could not judge), never a FAIL or a pass: an
exit, an interrupt or an exhausted memory says nothing about the law being checked.
Any other ``BaseException`` (e.g. a Rust panic, ``pyo3_runtime.PanicException``) is the
manager's outcome and is judged like an exception (IOM-SEC-003 rejects it as untyped)."""


def raised_in(error: BaseException, function_name: str) -> bool:
    return any(frame.name == function_name for frame in traceback.extract_tb(error.__traceback__))
