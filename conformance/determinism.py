"""Generated examples that depend on the seed alone, never on what else the process imported.

Hypothesis (6.13x and later) mixes literal constants it finds in the source of every *local*
module loaded in the process into the data it generates (and caches them under
``.hypothesis/constants/``). For the kit that is wrong: a verdict for one seed would change
with the modules a test session happened to import before the run (the project's own corpus
showed it: a broken manager's collateral failures differed between pytest-xdist workers).
:func:`seed_only_generation` gives Hypothesis an empty set of local constants for the duration
of one check and clears its per-type constant cache on entry and exit, so the user's own
Hypothesis tests in the same process keep their behaviour. Hypothesis' global constants (its
built-in interesting values) are kept. On a Hypothesis without local constants it does nothing.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from typing import Any

__all__ = ["seed_only_generation"]


def _providers() -> Any:
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis with another layout
        return None
    needed = ("_get_local_constants", "Constants", "CONSTANTS_CACHE")
    return providers if all(hasattr(providers, name) for name in needed) else None


@contextmanager
def seed_only_generation() -> Generator[None, None, None]:
    """Run the body with no local constants in Hypothesis' generation (see the module doc)."""
    providers = _providers()
    if providers is None:
        yield
        return
    original = providers._get_local_constants
    empty = providers.Constants()
    providers.CONSTANTS_CACHE.cache.clear()
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE.cache.clear()
