"""Re-rooting absolute-path key components of a spec into an example's sandbox directory.

A manager that treats such a component as a path then writes inside the sandbox (seen by
IOM-SEC-001), never to the real ``/``.
"""

from __future__ import annotations

import pathlib
from dataclasses import replace
from typing import Any, TypeVar

from conformance.contexts import InputSpec, OutputSpec

__all__ = ["rerooted"]

SpecT = TypeVar("SpecT", OutputSpec, InputSpec)


def _absolute_inside(component: str, sandbox: pathlib.Path) -> str:
    """An absolute-path component, re-rooted into ``sandbox`` (outside the storage root)."""
    if not component.startswith("/"):
        return component
    return str(sandbox / "absolute") + component


def rerooted(spec: SpecT, sandbox: pathlib.Path | None) -> SpecT:
    """``spec`` with absolute-path components re-rooted into ``sandbox`` (unchanged: None)."""
    if sandbox is None:
        return spec

    def fix(text: str) -> str:
        return _absolute_inside(text, sandbox)

    changes: dict[str, Any] = {}
    if spec.asset_key is not None and any(c.startswith("/") for c in spec.asset_key):
        changes["asset_key"] = tuple(map(fix, spec.asset_key))
    if spec.partition_key is not None and spec.partition_key.startswith("/"):
        changes["partition_key"] = fix(spec.partition_key)
    if spec.partition_key_range is not None:
        start, end = spec.partition_key_range
        if start.startswith("/") or end.startswith("/"):
            changes["partition_key_range"] = (fix(start), fix(end))
    pdef = spec.partitions_def
    if pdef is not None and pdef.kind == "static" and any(k.startswith("/") for k in pdef.keys):
        changes["partitions_def"] = replace(pdef, keys=tuple(map(fix, pdef.keys)))
    if isinstance(spec, OutputSpec):
        for name in ("run_id", "step_key", "name", "mapping_key", "version"):
            text = getattr(spec, name)
            if text is not None and text.startswith("/"):
                changes[name] = fix(text)
    elif spec.name is not None and spec.name.startswith("/"):
        changes["name"] = fix(spec.name)
    return replace(spec, **changes) if changes else spec
