"""The normative requirements of the spec: one machine-readable registry, the single source.

Every requirement has a stable ID ``IOM-<AREA>-<NNN>``, a level (MUST / SHOULD / MAY), the party
it binds (a *manager*, a framework's *contexts*, or a *definition*) and the capabilities a manager
must declare for it to apply. IDs are never reused; a withdrawn requirement keeps its ID with
``withdrawn=True``. ``docs/SPEC.md`` is generated from this module (``python -m spec.render``).
The requirement data lives in ``spec/_catalog`` (one module per area); import it from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from spec._catalog import ALL as _ALL
from spec._catalog.model import AREAS, CAPABILITIES, Area, Binds, Level, Requirement

__all__ = [
    "AREAS",
    "CAPABILITIES",
    "Area",
    "Binds",
    "Level",
    "REQUIREMENTS",
    "Requirement",
    "UnknownRequirementError",
    "get",
    "iter_requirements",
]


class UnknownRequirementError(KeyError):
    """Raised when an ID is not in the registry."""


REQUIREMENTS: Mapping[str, Requirement] = MappingProxyType({r.id: r for r in _ALL})


def get(requirement_id: str) -> Requirement:
    """Return the requirement with this ID, or raise :class:`UnknownRequirementError`."""
    try:
        return REQUIREMENTS[requirement_id]
    except KeyError:
        raise UnknownRequirementError(
            f"unknown requirement ID {requirement_id!r}; IDs look like 'IOM-STORE-001' and are "
            f"listed in docs/SPEC.md"
        ) from None


def iter_requirements(prefix: str = "") -> Iterator[Requirement]:
    """Requirements whose ID starts with ``prefix`` (all when empty), in registry order."""
    return (r for r in _ALL if r.id.startswith(prefix))
