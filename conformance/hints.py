"""Hints for runs whose failures share one cause the user can fix with a flag.

:func:`values_hint`: when most of a report's failures are serialisation errors (the manager
could not serialise a value, or loaded it back as another type, e.g. a tuple as a list), the
manager most likely stores fewer kinds of values than the checks drew; the hint says so and
names ``--values`` (``values=`` in Python).
"""

from __future__ import annotations

import re

from conformance.report import Report, RequirementResult

__all__ = ["is_serialisation_failure", "values_hint"]

_SERIALISATION = re.compile(
    r"not (JSON |msgpack )?serializable|can ?not serialize|can't pickle|cannot pickle|"
    r"PicklingError|Can't get local object|is not serializable|unserializable|"
    r"can not serialize|unhashable type",
    re.IGNORECASE,
)
_ROUND_TRIP = re.compile(r"loaded (?P<loaded>.+), (?:stored|expected) (?P<stored>.+)$", re.DOTALL)
_CONTAINERS = str.maketrans("()", "[]")


def is_serialisation_failure(result: RequirementResult) -> bool:
    """Whether ``result`` failed because a value did not survive serialisation: an error
    saying it could not be serialised, or a round trip that changed only the value's type
    (the same text once tuples are written as lists and bytes as str)."""
    text = result.message
    if _SERIALISATION.search(text):
        return True
    match = _ROUND_TRIP.search(text)
    if match is None:
        return False
    loaded, stored = match["loaded"].strip(), match["stored"].strip()
    return loaded != stored and _loosened(loaded) == _loosened(stored)


def _loosened(text: str) -> str:
    text = re.sub(r"\bb(['\"])", r"\1", text)
    text = re.sub(r"frozenset\(\{(.*?)\}\)|frozenset\(\)", lambda m: f"[{m[1] or ''}]", text)
    return text.translate(_CONTAINERS).replace(",]", "]")


def values_hint(report: Report) -> str | None:
    """The hint for ``report`` when more than half of its failures (and at least two) are
    serialisation failures, else ``None``."""
    failures = report.failures()
    serialisation = [r for r in failures if is_serialisation_failure(r)]
    if len(serialisation) < 2 or 2 * len(serialisation) <= len(failures):
        return None
    current = report.header.get("values", "pickle")
    return (
        f"{len(serialisation)} of {len(failures)} failures are serialisation errors: the "
        f"manager does not store some of the {current} values the checks drew (e.g. bytes or "
        f"tuples for a JSON manager). Say which values it stores: --values json (or msgpack, "
        f"pandas, polars, arrow, MODULE:STRATEGY; values= in Python), and --equals MODULE:FUNC "
        f"for how two values compare."
    )
