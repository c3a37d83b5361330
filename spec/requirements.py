"""The normative requirements of the spec: one machine-readable registry, the single source.

Every requirement has a stable ID ``IOM-<AREA>-<NNN>``, a level (MUST / SHOULD / MAY), the party
it binds (a *manager*, a framework's *contexts*, or a *definition*) and the capabilities a manager
must declare for it to apply. IDs are never reused; a withdrawn requirement keeps its ID with
``withdrawn=True``. ``docs/SPEC.md`` is generated from this module (``python -m spec.render``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

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
    needs: frozenset[str] = field(default_factory=frozenset)
    """Capabilities (``conformance.Capabilities`` field names) the requirement applies under."""
    rationale: str = ""
    withdrawn: bool = False
    excludes: frozenset[str] = field(default_factory=frozenset)
    """Capabilities whose declaration makes the requirement not apply (a manager claiming the
    alternative behaviour is judged by the requirement that needs it instead)."""

    @property
    def area(self) -> Area:
        """The chapter, read from the ID."""
        return Area(self.id.split("-")[1])


class UnknownRequirementError(KeyError):
    """Raised when an ID is not in the registry."""


def _r(
    rid: str,
    level: Level,
    binds: Binds,
    title: str,
    text: str,
    needs: tuple[str, ...] = (),
    rationale: str = "",
    excludes: tuple[str, ...] = (),
) -> Requirement:
    return Requirement(rid, level, binds, title, " ".join(text.split()), frozenset(needs),
                       " ".join(rationale.split()), excludes=frozenset(excludes))


M, S, Y = Level.MUST, Level.SHOULD, Level.MAY
MGR, CTX, DEF = Binds.MANAGER, Binds.CONTEXT, Binds.DEFINITION

_ALL: tuple[Requirement, ...] = (
    # ---------------------------------------------------------------- identifiers
    _r("IOM-ID-001", M, CTX, "Op output identifier",
       """For an output with no version and no mapping key, ``get_identifier()`` is
       ``[run_id, step_key, name]``."""),
    _r("IOM-ID-002", M, CTX, "Mapped output identifier",
       """For a mapped (dynamic) output, ``get_identifier()`` is
       ``[run_id, step_key, name, mapping_key]``. An empty mapping key is treated as absent."""),
    _r("IOM-ID-003", M, CTX, "Versioned output identifier",
       """For an output with a version (the empty string included), ``get_identifier()`` is
       ``["versioned_outputs", version, step_key, name]``; the run id is not part of it."""),
    _r("IOM-ID-004", M, CTX, "Version and mapping key are exclusive",
       """``get_identifier()`` raises when an output has both a version and a non-empty mapping
       key: dynamic mapping is not supported with versioning. A version with an *empty* mapping
       key is unspecified (Dagster raises; the reference treats the key as absent)."""),
    _r("IOM-ID-005", M, CTX, "Input identifier delegates upstream",
       """An input context's ``get_identifier()`` equals its ``upstream_output.get_identifier()``
       and raises when there is no upstream output."""),
    _r("IOM-ID-006", M, CTX, "Asset identifier",
       """For an unpartitioned asset, ``get_asset_identifier()`` equals the asset key's path."""),
    _r("IOM-ID-007", M, CTX, "Partitioned asset identifier",
       """When a context covers exactly one asset partition, ``get_asset_identifier()`` is the
       asset key's path followed by that partition key."""),
    _r("IOM-ID-008", M, CTX, "Multi-partition key format",
       """A multi-partition key is the per-dimension keys joined with ``|`` in the order of the
       dimension names, and compares equal to that string."""),
    _r("IOM-ID-009", M, CTX, "Asset identifier needs one asset partition",
       """``get_asset_identifier()`` raises when the context has no asset key, or when it covers
       more than one partition."""),
    _r("IOM-ID-010", M, MGR, "Distinct op outputs are isolated",
       """Outputs whose identifiers differ in any component (run id, step key, output name,
       mapping key, version) are stored separately: storing one never changes what is loaded
       for another.""", ("op_outputs",)),
    _r("IOM-ID-011", M, MGR, "Distinct assets are isolated",
       """Assets whose keys differ are stored separately, including keys that collide under a
       naive join: ``["a/b"]`` and ``["a", "b"]``, ``["a_b"]`` and ``["a", "b"]``,
       ``["a", ""]`` and ``["a"]``. For a manager that declares an asset-key domain
       (``IOM-ID-014``) this holds for the keys within its domain, where every plain key is
       stored.""", ("assets",),
       rationale="Dagster 1.13 maps ``[\"a/b\", \"c\"]`` and ``[\"a\", \"b\", \"c\"]`` to the "
                 "same file."),
    _r("IOM-ID-012", M, MGR, "Distinct partitions are isolated",
       """Partitions of one asset are stored separately from each other, and loading a
       partition never returns the value stored for the unpartitioned asset of the same key, nor
       the reverse. (An asset that switches between unpartitioned and partitioned may lose its
       old value: either kind of load then raises.)""", ("assets", "partitions"),
       rationale="Dagster 1.13 stores partition key ``.`` at the unpartitioned asset's path; it "
                 "deliberately deletes an unpartitioned file when the asset becomes partitioned."),
    _r("IOM-ID-013", S, MGR, "Asset storage is run independent",
       """An asset (partition) stored in one run loads in any later run: its storage location
       depends only on the asset identifier, not on run id or step key.""", ("assets",)),
    _r("IOM-ID-014", M, MGR, "Asset-key domains",
       """A manager may declare the asset keys it accepts (its asset-key domain). The domain
       contains every key of one or two components matching ``[A-Za-z0-9_]+``. A key outside
       the domain is refused with a typed error (``IOM-SEC-003``), or stored as a key of its
       own; it is never stored under another key, so storing it never changes what a key of
       the domain loads (keeping the last two components of ``["x", "a", "b"]``, or storing
       ``["a-b"]`` as ``["a_b"]``, is such aliasing).""", ("assets",),
       rationale="Table managers need a schema and a table name; Dagster's ``DbIOManager`` "
                 "uses the last two components of a longer key, so ``[\"x\", \"a\", "
                 "\"b\"]`` silently shares the table of ``[\"a\", \"b\"]``."),
    # ---------------------------------------------------------------- partitions
    _r("IOM-PART-001", M, CTX, "Ranges are inclusive, in definition order",
       """The partition keys of a range are the definition's keys from ``start`` to ``end``,
       both included, in the definition's order; a reversed range has no keys."""),
    _r("IOM-PART-002", M, CTX, "One partition is a one-key range",
       """A context built for one partition key of an asset has ``asset_partition_keys ==
       [key]`` and ``asset_partition_key_range == (key, key)``."""),
    _r("IOM-PART-003", M, CTX, "Range endpoints exist",
       """A range whose start or end is not a key of the partitions definition is rejected with
       an error that names the missing keys."""),
    _r("IOM-PART-004", M, MGR, "One partition loads as a bare value",
       """Loading an input that covers exactly one partition returns the value stored for that
       partition itself, not a mapping.""", ("assets", "partitions")),
    _r("IOM-PART-005", M, MGR, "Several partitions load as an aligned mapping",
       """Loading an input that covers two or more partitions returns a mapping from partition
       key to the value stored for that very key; a value is never reported under another
       key.""", ("assets", "partitions", "partition_ranges"),
       rationale="Dagster 1.13.28 re-keys values positionally on its async path."),
    _r("IOM-PART-006", M, MGR, "Range mapping has exactly the range's keys",
       """The mapping loaded for a range has exactly the keys of the range (less the missing
       ones skipped under ``allow_missing_partitions``).""",
       ("assets", "partitions", "partition_ranges")),
    _r("IOM-PART-007", M, MGR, "Missing partitions raise",
       """Loading a range or partition with a missing partition raises, unless the input's
       definition metadata sets ``allow_missing_partitions`` to a truthy value.""",
       ("assets", "partitions")),
    _r("IOM-PART-008", M, MGR, "allow_missing_partitions skips, never misaligns",
       """With ``allow_missing_partitions`` truthy in the input's definition metadata, missing
       partitions are left out of the loaded mapping and every present partition keeps its own
       value.""", ("assets", "partitions", "partition_ranges")),
    _r("IOM-PART-009", S, MGR, "An empty range loads None",
       """Loading an input whose range covers no partitions returns ``None``.""",
       ("assets", "partitions", "partition_ranges")),
    _r("IOM-PART-010", S, MGR, "Multi-partition outputs are refused, not collapsed",
       """A manager that cannot store an output covering several partitions raises when asked
       to, instead of storing the value under one key. (A manager that can, declaring
       ``partition_range_outputs``, stores each partition's share instead: ``IOM-PART-018``.)""",
       ("assets", "partitions"), excludes=("partition_range_outputs",)),
    _r("IOM-PART-011", M, CTX, "Time window of a range",
       """For a time-partitioned context, ``asset_partitions_time_window`` is the half-open
       interval from the start of the first covered window to the end of the last; windows
       of consecutive keys adjoin."""),
    _r("IOM-PART-012", M, CTX, "Time window needs time partitions",
       """``asset_partitions_time_window`` raises when the asset is not partitioned, or is
       partitioned neither by time nor by a multi-partition definition with exactly one time
       dimension."""),
    _r("IOM-PART-013", M, CTX, "Multi-partition ranges are rectangles",
       """The keys of a multi-partition range are the Cartesian product of each dimension's own
       sub-range, the alphabetically first dimension varying slowest."""),
    _r("IOM-PART-014", M, CTX, "Time partition keys",
       """A time partition key is the start of its window formatted with the definition's
       format, in the definition's timezone; keys enumerate in time order."""),
    _r("IOM-PART-015", S, MGR, "Range mappings iterate in definition order",
       """The mapping loaded for a range iterates in the definition's key order.""",
       ("assets", "partitions", "partition_ranges"),
       rationale="Dagster 1.13 iterates static and multi-partition ranges in hash order, which "
                 "varies between processes."),
    _r("IOM-PART-016", M, MGR, "Multi-partition round trip",
       """Each key of a multi-partition definition is stored and loaded separately, and a range
       over it loads a mapping keyed by the multi-partition key strings.""",
       ("assets", "partitions", "multi_partitions")),
    _r("IOM-PART-017", S, MGR, "Stored None survives in range mappings",
       """A partition whose stored value is ``None`` appears in a loaded range mapping with value
       ``None``.""", ("assets", "partitions", "partition_ranges", "stores_none"),
       rationale="Dagster 1.13 drops such entries, indistinguishable from missing partitions."),
    _r("IOM-PART-018", M, MGR, "Range outputs store each partition's share",
       """Storing an output that covers several partitions stores each partition's share of
       it: afterwards every partition of the range loads as its share, and every partition
       outside the range loads what it loaded before. The conformance kit hands such an output
       to ``handle_output`` as a ``conformance.PartitionShares`` (a read-only mapping from each
       partition key of the range, in range order, to its share); a subject whose asset body
       returns one value for the range (a table: the rows of every share, each row carrying
       its partition in the ``partition_expr`` column) wraps its manager to build that value
       from the shares.""", ("assets", "partitions", "partition_range_outputs"),
       rationale="Table managers (Dagster's ``DbIOManager``) store a single-run backfill by "
                 "replacing exactly the rows of the range's partitions; nothing collapses, "
                 "since every row carries its partition."),
    _r("IOM-PART-019", M, MGR, "Concatenated range loads join the partitions' values",
       """Loading an input that covers several partitions returns one value joining the values
       stored for the range's partitions (the subject's ``concat``; for tables, one table
       holding their rows), equal to it under the subject's equality (a table has no row
       order). With ``allow_missing_partitions`` truthy in the input's definition metadata, a
       partition never stored contributes nothing; without it the load raises
       (``IOM-PART-007``).""", ("assets", "partitions", "concatenated_range_loads"),
       rationale="Table managers load a range as one table of the rows of every partition in "
                 "it (one query over the partition column), not as a mapping."),
    # ---------------------------------------------------------------- metadata
    _r("IOM-META-001", M, CTX, "Raw metadata values are normalized",
       """``add_output_metadata`` accepts ``str``, ``int``, ``float``, ``bool``, ``None``,
       ``dict``, ``list``, ``os.PathLike``, asset keys and metadata values, and records each as
       a metadata value wrapping it."""),
    _r("IOM-META-002", M, CTX, "Unresolvable metadata is rejected, all or nothing",
       """A value that cannot be normalized (``tuple``, ``set``, ``bytes``, ``datetime``,
       arbitrary objects) is rejected with a typed error naming the key and type, and nothing
       of that call is recorded."""),
    _r("IOM-META-003", M, CTX, "Duplicate metadata keys are rejected",
       """Adding a key that this context already recorded raises, and nothing of that call is
       recorded."""),
    _r("IOM-META-004", M, CTX, "log_event takes asset events only",
       """``log_event`` accepts an ``AssetMaterialization`` or ``AssetObservation`` and rejects
       anything else with a typed error."""),
    _r("IOM-META-005", M, CTX, "Logged events match the output's asset",
       """``log_event`` rejects an event whose asset key differs from the output's asset key.""",
       rationale="Dagster 1.13 accepts it and emits a materialization for an unrelated asset."),
    _r("IOM-META-006", M, MGR, "Definition metadata is left untouched",
       """Neither ``handle_output`` nor ``load_input`` changes a context's definition
       metadata (or its upstream output's)."""),
    _r("IOM-META-007", M, MGR, "Managers add valid metadata once",
       """Everything a manager passes to ``add_output_metadata`` during one ``handle_output``
       call is valid metadata with keys not already recorded on that context."""),
    _r("IOM-META-008", Y, MGR, "Path metadata",
       """A manager that stores to a path below its storage root records it as ``path``
       metadata when the stored value is not ``None``.""", ("storage_root",)),
    _r("IOM-META-009", M, CTX, "Recorded metadata and events are readable",
       """Metadata added with ``add_output_metadata`` and events logged with ``log_event`` can
       be read back from the context afterwards, in the order they were recorded."""),
    _r("IOM-META-010", M, MGR, "Logged events concern the handled asset",
       """Events a manager logs while handling an asset output concern that asset.""",
       ("assets",)),
    # ---------------------------------------------------------------- storage
    _r("IOM-STORE-001", M, MGR, "Round trip",
       """Loading an input whose upstream output was stored returns a value equal to the one
       stored."""),
    _r("IOM-STORE-002", M, MGR, "None round trips",
       """Storing ``None`` and loading it back returns ``None``. Applies to managers that
       declare they store ``None``; the others refuse it (``IOM-SEC-003``).""",
       ("stores_none",)),
    _r("IOM-STORE-003", M, MGR, "Overwrite",
       """Storing again under the same identifier replaces the earlier value."""),
    _r("IOM-STORE-004", M, MGR, "Persistence across instances",
       """A new manager instance on the same storage loads what an earlier instance stored.""",
       ("durable",)),
    _r("IOM-STORE-005", M, MGR, "Missing data raises",
       """Loading something never stored raises; it never returns ``None`` or another value."""),
    _r("IOM-STORE-006", M, MGR, "Loading changes nothing",
       """Loading does not change any stored value: loading twice gives equal values and other
       identifiers are unaffected."""),
    _r("IOM-STORE-007", M, MGR, "A failed store keeps the old value",
       """When ``handle_output`` raises (for example, the value cannot be serialized), the value
       stored earlier under that identifier still loads unchanged.""",
       rationale="Dagster 1.13 truncates the file in place before pickling."),
    _r("IOM-STORE-008", M, MGR, "No stale reads across instances",
       """When another instance on the same storage overwrites a value, every instance loads
       the new value.""", ("durable",)),
    _r("IOM-STORE-009", Y, MGR, "Structural refusals",
       """A manager that lays identifiers out as a hierarchy (paths) may refuse to store an
       identifier that cannot share the hierarchy with a different identifier it already
       stores, with a typed error naming the conflict (``IOM-SEC-003``); every stored value
       stays intact. Two identifiers conflict when their component sequences are equal or one
       is a strict prefix of the other (``["a"]`` and ``["a", "b"]``; asset ``["x", "p"]`` and
       partition ``p`` of asset ``["x"]``), or when they are siblings of different kinds under
       the same parent (asset ``["a", "b"]`` and partition ``p`` of asset ``["a"]``; an op output
       and an asset). The kinds are: op output, unpartitioned asset, partition of an asset. A
       multi-partition key counts as one component per dimension. A manager may also refuse to
       store a partition (or a range of partitions) of an asset whose stored partitions have a
       different partitioning: a partitions definition of another kind (static, time window,
       multi) or another ``partition_expr`` in the output's definition metadata; the refusal is
       a typed error and the stored data stays intact. No other refusal of a plain identifier
       is allowed.""",
       rationale="A file cannot also be a directory, and a directory of partitions cannot also "
                 "hold assets; refusing is the only lossless answer for a layout that keeps "
                 "Dagster's paths. A table cannot change its partition column in place."),
    # ---------------------------------------------------------------- security
    _r("IOM-SEC-001", M, MGR, "Confinement to the storage root",
       """Whatever the asset keys, partition keys, run ids, step keys, names and mapping keys,
       nothing is created or changed outside the manager's storage root.""",
       ("storage_root",),
       rationale="Dagster 1.13 writes outside base_dir for an asset-key component ``..``."),
    _r("IOM-SEC-002", M, MGR, "Path syntax in keys is data",
       """Key components such as ``..``, ``.``, ``/``, absolute paths, empty strings, unicode
       and very long strings are either stored and loaded back like any other key or rejected
       with a typed error; they are never interpreted as paths. Plain components (letters,
       digits, ``_ . : | + -``) are stored, for asset keys within the manager's declared
       asset-key domain (``IOM-ID-014``)."""),
    _r("IOM-SEC-003", M, MGR, "Bad input is a clear, typed error",
       """A manager rejects input it cannot handle with an exception (never a crash or a bare
       ``AssertionError``) whose message says what was wrong, and stored values stay intact.
       Bad input includes a value outside what the manager stores: ``None``, for a manager that
       does not declare it stores ``None``, is refused (never stored or dropped silently) and
       the value stored earlier under that identifier still loads."""),
    _r("IOM-SEC-004", S, MGR, "Missing data error type",
       """The error raised for missing data is a ``LookupError`` or an ``OSError`` (such as
       ``KeyError`` or ``FileNotFoundError``), so callers can tell it from a bug."""),
    # ---------------------------------------------------------------- contexts
    _r("IOM-CTX-001", M, CTX, "Unavailable values raise",
       """Accessors for values the context does not have (step key, name, asset key, partition
       key, partitions definition, op definition, type) raise; they never return a
       sentinel."""),
    _r("IOM-CTX-002", M, CTX, "has_* agrees with the accessor",
       """``has_asset_key``, ``has_partition_key`` and ``has_asset_partitions`` are true exactly
       when ``asset_key``, ``partition_key`` and ``asset_partition_keys`` do not raise."""),
    _r("IOM-CTX-003", M, CTX, "Partition key implies one asset partition",
       """A context built with an asset key and a run partition key, but no explicit range,
       covers exactly that asset partition; an explicit range wins over the run key."""),
    _r("IOM-CTX-004", M, CTX, "asset_partition_key needs one partition",
       """``asset_partition_key`` raises unless the context covers exactly one partition."""),
    _r("IOM-CTX-005", M, CTX, "Definition metadata and its deprecated alias",
       """``definition_metadata`` never raises and is empty by default; ``metadata`` returns
       the same mapping and emits a ``DeprecationWarning``."""),
    _r("IOM-CTX-006", M, CTX, "upstream_output describes the producer",
       """An input context's ``upstream_output`` has the identifier, asset key and definition
       metadata of the output that produced the value."""),
    _r("IOM-CTX-007", M, CTX, "Contexts tear down their resources",
       """A context can be used as a context manager; resources that are context managers are
       entered before use and exited when the block ends."""),
    _r("IOM-CTX-008", M, CTX, "Contexts do not mutate their inputs",
       """Building a context copies or freezes the mappings it is given: later changes to the
       caller's dicts do not change the context."""),
    # ---------------------------------------------------------------- definitions
    _r("IOM-DEF-001", M, DEF, "Manager shape",
       """A manager has ``handle_output(context, obj)`` and ``load_input(context)`` callable
       with those arguments."""),
    _r("IOM-DEF-002", M, DEF, "Factory shape",
       """A factory's ``create_io_manager(context)`` returns a manager (``IOM-DEF-001``)."""),
    _r("IOM-DEF-003", M, DEF, "Config is validated",
       """Config that does not match a definition's schema is rejected before the manager is
       used, with an error naming the field and what was expected."""),
    _r("IOM-DEF-004", S, MGR, "Unsupported contexts are refused",
       """A manager given a context it does not support (a capability it does not declare)
       raises a typed error rather than storing a value it cannot load back.""",
       rationale="A capability declared absent must fail in a specified way, not silently."),
)


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
