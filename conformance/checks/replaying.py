"""How to replay one failed hypothesis run of a check: which run of the check, and either the
hypothesis failure blob of its shrunk example or the index of the explicit example that failed.

A :class:`Replay` is plain, picklable, JSON-able data; it is stored with a failure
(:mod:`conformance.failures`) and handed back to :class:`~conformance.checks.CheckEnv` to rerun
exactly that example (``reproduce_failure`` needs the same hypothesis version: it is recorded).
"""

from __future__ import annotations

import ast
import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from conformance.header import HYPOTHESIS_VERSION

__all__ = ["Replay", "replay_of"]

_BLOB = re.compile(r"@reproduce_failure\('([^']+)', (b'[^']*'|b\"[^\"]*\")\)")


@dataclass(frozen=True)
class Replay:
    """Run ``run_index`` of a check (``None``: the failure came from outside any hypothesis
    run, so the whole check is rerun), on ``blob`` (base64 of hypothesis' failure blob) or on
    explicit example ``explicit_index``."""

    run_index: int | None
    blob: str | None = None
    explicit_index: int | None = None
    hypothesis_version: str = HYPOTHESIS_VERSION

    def blob_bytes(self) -> bytes:
        """The raw hypothesis failure blob (for ``reproduce_failure``)."""
        return base64.b64decode(self.blob or "")

    def to_dict(self) -> dict[str, object]:
        """JSON-able form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Replay:
        """The inverse of :meth:`to_dict`."""
        return cls(
            run_index=data.get("run_index"),
            blob=data.get("blob"),
            explicit_index=data.get("explicit_index"),
            hypothesis_version=str(data.get("hypothesis_version", HYPOTHESIS_VERSION)),
        )


def replay_of(
    error: BaseException,
    run_index: int,
    explicit: Sequence[Mapping[str, Any]],
    last_drawn: Mapping[str, object],
) -> Replay:
    """How to replay the run ``run_index`` that raised ``error``: the blob hypothesis noted on
    the error, else the explicit example whose arguments were drawn last, else the whole run."""
    for note in getattr(error, "__notes__", ()):
        found = _BLOB.search(str(note))
        if found is not None:
            raw = ast.literal_eval(found.group(2))
            return Replay(
                run_index,
                blob=base64.b64encode(raw).decode("ascii"),
                hypothesis_version=found.group(1),
            )
    for position, case in enumerate(explicit):
        if case and all(last_drawn.get(k) is v for k, v in case.items()):
            return Replay(run_index, explicit_index=position)
    return Replay(None)
