"""Which requirements a pytest session runs, per subject: the kit judges only those.

After collection (``-k``, ``--lf``, ``--deselect`` and node IDs applied), every requirement test
that is still selected names its subject (a :class:`~conformance.plugin.ConformanceTests`
subclass or an ``--io-manager`` target) and its requirement. The plugin then runs, for each
subject, only the checks that may report one of those requirements, so ``pytest -k
IOM-STORE-002`` runs one check, not the whole kit. A requirement's verdict does not depend on the
selection (every check declares every requirement it may report), so a narrowed run gives each
selected test the outcome the full run would.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from conformance.selection import Selection
from spec.requirements import iter_requirements

__all__ = ["WANTED_KEY", "narrowed", "record_wanted", "wanted_for"]

_ACTIVE = frozenset(r.id for r in iter_requirements() if not r.withdrawn)

WANTED_KEY = pytest.StashKey[dict[object, frozenset[str]]]()
"""Subject owner (see :func:`record_wanted`) -> the requirement IDs of its selected tests."""


def record_wanted(config: pytest.Config, owned: Iterable[tuple[object, str]]) -> None:
    """Store, per owner, the requirement IDs of the ``(owner, requirement_id)`` pairs given
    (one per selected requirement test)."""
    wanted: dict[object, set[str]] = {}
    for owner, requirement_id in owned:
        wanted.setdefault(owner, set()).add(requirement_id)
    config.stash[WANTED_KEY] = {owner: frozenset(ids) for owner, ids in wanted.items()}


def wanted_for(config: pytest.Config, owner: object) -> frozenset[str] | None:
    """The requirement IDs the session selected for ``owner``; ``None`` when unknown (the tests
    were not collected by this session, e.g. an item run by hand)."""
    empty: dict[object, frozenset[str]] = {}
    return config.stash.get(WANTED_KEY, empty).get(owner)


def narrowed(selection: Selection, wanted: frozenset[str] | None) -> Selection:
    """``selection`` restricted to the ``wanted`` requirement IDs: those it selects are judged,
    those it ignores stay ignored with their reasons (each is selected and ignored by its exact
    ID, and an ignore wins a tie), the rest are not selected. ``selection`` itself when nothing
    is to be gained (every requirement wanted, or none known)."""
    if wanted is None or wanted >= _ACTIVE:
        return selection
    kept = [rid for rid in wanted if selection.selects(rid)]
    reasons = {rid: selection.ignore_reason(rid) for rid in wanted if rid not in kept}
    ignored = {rid: reason for rid, reason in reasons.items() if reason is not None}
    if not kept and not ignored:
        return selection
    return Selection(tuple(sorted([*kept, *ignored])), {**selection.ignore, **ignored})
