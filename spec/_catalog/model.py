"""The requirement model: levels, areas, capabilities, who a requirement binds, and its record.

The requirement data lives in the sibling modules (one per area); :mod:`spec.requirements` is
the registry users import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "AREAS",
    "CAPABILITIES",
    "CTX",
    "DEF",
    "MGR",
    "M",
    "S",
    "Y",
    "Area",
    "Binds",
    "Level",
    "Requirement",
    "req",
]


class Level(StrEnum):
    """RFC 2119 level. Only a failed MUST fails a conformance run."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class Area(StrEnum):
    """Spec chapters; the conformance checks are grouped the same way."""

    ID = "ID"
    PART = "PART"
    META = "META"
    STORE = "STORE"
    SEC = "SEC"
    CTX = "CTX"
    DEF = "DEF"


AREAS: Mapping[Area, str] = MappingProxyType(
    {
        Area.ID: "Identifiers",
        Area.PART: "Partitions and partition ranges",
        Area.META: "Metadata and events",
        Area.STORE: "Storage: round trip, isolation, overwrite, persistence, missing data",
        Area.SEC: "Security: storage confinement and bad input",
        Area.CTX: "Context semantics (what a framework's contexts must do)",
        Area.DEF: "Definitions, factories and capabilities",
    }
)


CAPABILITIES: frozenset[str] = frozenset(
    {
        "op_outputs",
        "assets",
        "partitions",
        "partition_ranges",
        "multi_partitions",
        "durable",
        "storage_root",
        "stores_none",
        "partition_range_outputs",
        "concatenated_range_loads",
        "concurrent_writers",
        "column_projection",
    }
)
"""The capability names a requirement may need (``conformance.Capabilities`` has one field each)."""


class Binds(StrEnum):
    """Who a requirement binds, and so what the kit runs it against."""

    MANAGER = "manager"
    CONTEXT = "context"
    DEFINITION = "definition"


@dataclass(frozen=True)
class Requirement:
    """One normative statement."""

    id: str
    level: Level
    binds: Binds
    title: str
    text: str
    needs: frozenset[str] = field(default_factory=frozenset[str])
    """Capabilities (``conformance.Capabilities`` field names) the requirement applies under."""
    rationale: str = ""
    withdrawn: bool = False
    excludes: frozenset[str] = field(default_factory=frozenset[str])
    """Capabilities whose declaration makes the requirement not apply (a manager claiming the
    alternative behaviour is judged by the requirement that needs it instead)."""

    @property
    def area(self) -> Area:
        """The chapter, read from the ID."""
        return Area(self.id.split("-")[1])


def req(
    rid: str,
    level: Level,
    binds: Binds,
    title: str,
    text: str,
    needs: tuple[str, ...] = (),
    rationale: str = "",
    excludes: tuple[str, ...] = (),
) -> Requirement:
    """A :class:`Requirement`, its text and rationale with whitespace runs joined (so the data
    modules can wrap them freely)."""
    return Requirement(rid, level, binds, title, " ".join(text.split()), frozenset(needs),
                       " ".join(rationale.split()), excludes=frozenset(excludes))


M, S, Y = Level.MUST, Level.SHOULD, Level.MAY
"""Short names for the levels, for the data modules."""
MGR, CTX, DEF = Binds.MANAGER, Binds.CONTEXT, Binds.DEFINITION
"""Short names for the parties bound, for the data modules."""

