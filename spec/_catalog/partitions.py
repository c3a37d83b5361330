"""Partitions and partition ranges (``IOM-PART-*``): range semantics of contexts and how managers
store and load partitions.
"""

from __future__ import annotations

from spec._catalog.model import CTX, MGR, M, Requirement, S, req

__all__ = ["PARTITIONS"]

PARTITIONS: tuple[Requirement, ...] = (
    req("IOM-PART-001", M, CTX, "Ranges are inclusive, in definition order",
        """The partition keys of a range are the definition's keys from ``start`` to ``end``,
        both included, in the definition's order; a reversed range has no keys."""),
    req("IOM-PART-002", M, CTX, "One partition is a one-key range",
        """A context built for one partition key of an asset has ``asset_partition_keys ==
        [key]`` and ``asset_partition_key_range == (key, key)``."""),
    req("IOM-PART-003", M, CTX, "Range endpoints exist",
        """A range whose start or end is not a key of the partitions definition is rejected with
        an error that names the missing keys."""),
    req("IOM-PART-004", M, MGR, "One partition loads as a bare value",
        """Loading an input that covers exactly one partition returns the value stored for that
        partition itself, not a mapping.""", ("assets", "partitions")),
    req("IOM-PART-005", M, MGR, "Several partitions load as an aligned mapping",
        """Loading an input that covers two or more partitions returns a mapping from partition
        key to the value stored for that very key; a value is never reported under another
        key.""", ("assets", "partitions", "partition_ranges"),
        rationale="Dagster 1.13.28 re-keys values positionally on its async path."),
    req("IOM-PART-006", M, MGR, "Range mapping has exactly the range's keys",
        """The mapping loaded for a range has exactly the keys of the range (less the missing
        ones skipped under ``allow_missing_partitions``).""",
        ("assets", "partitions", "partition_ranges")),
    req("IOM-PART-007", M, MGR, "Missing partitions raise",
        """Loading a range or partition with a missing partition raises, unless the input's
        definition metadata sets ``allow_missing_partitions`` to a truthy value.""",
        ("assets", "partitions")),
    req("IOM-PART-008", M, MGR, "allow_missing_partitions skips, never misaligns",
        """With ``allow_missing_partitions`` truthy in the input's definition metadata, missing
        partitions are left out of the loaded mapping and every present partition keeps its own
        value.""", ("assets", "partitions", "partition_ranges")),
    req("IOM-PART-009", S, MGR, "An empty range loads None",
        """Loading an input whose range covers no partitions returns ``None``.""",
        ("assets", "partitions", "partition_ranges")),
    req("IOM-PART-010", S, MGR, "Multi-partition outputs are refused, not collapsed",
        """A manager that cannot store an output covering several partitions raises when asked
        to, instead of storing the value under one key. (A manager that can, declaring
        ``partition_range_outputs``, stores each partition's share instead: ``IOM-PART-018``.)""",
        ("assets", "partitions"), excludes=("partition_range_outputs",)),
    req("IOM-PART-011", M, CTX, "Time window of a range",
        """For a time-partitioned context, ``asset_partitions_time_window`` is the half-open
        interval from the start of the first covered window to the end of the last; windows
        of consecutive keys adjoin."""),
    req("IOM-PART-012", M, CTX, "Time window needs time partitions",
        """``asset_partitions_time_window`` raises when the asset is not partitioned, or is
        partitioned neither by time nor by a multi-partition definition with exactly one time
        dimension."""),
    req("IOM-PART-013", M, CTX, "Multi-partition ranges are rectangles",
        """The keys of a multi-partition range are the Cartesian product of each dimension's own
        sub-range, the alphabetically first dimension varying slowest."""),
    req("IOM-PART-014", M, CTX, "Time partition keys",
        """A time partition key is the start of its window formatted with the definition's
        format, in the definition's timezone; keys enumerate in time order."""),
    req("IOM-PART-015", S, MGR, "Range mappings iterate in definition order",
        """The mapping loaded for a range iterates in the definition's key order.""",
        ("assets", "partitions", "partition_ranges"),
        rationale="Dagster 1.13 iterates static and multi-partition ranges in hash order, which "
                  "varies between processes."),
    req("IOM-PART-016", M, MGR, "Multi-partition round trip",
        """Each key of a multi-partition definition is stored and loaded separately, and a range
        over it loads a mapping keyed by the multi-partition key strings.""",
        ("assets", "partitions", "multi_partitions")),
    req("IOM-PART-017", S, MGR, "Stored None survives in range mappings",
        """A partition whose stored value is ``None`` appears in a loaded range mapping with value
        ``None``.""", ("assets", "partitions", "partition_ranges", "stores_none"),
        rationale="Dagster 1.13 drops such entries, indistinguishable from missing partitions."),
    req("IOM-PART-018", M, MGR, "Range outputs store each partition's share",
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
    req("IOM-PART-019", M, MGR, "Concatenated range loads join the partitions' values",
        """Loading an input that covers several partitions returns one value joining the values
        stored for the range's partitions (the subject's ``concat``; for tables, one table
        holding their rows), equal to it under the subject's equality (a table has no row
        order). With ``allow_missing_partitions`` truthy in the input's definition metadata, a
        partition never stored contributes nothing; without it the load raises
        (``IOM-PART-007``).""", ("assets", "partitions", "concatenated_range_loads"),
        rationale="Table managers load a range as one table of the rows of every partition in "
                  "it (one query over the partition column), not as a mapping."),
    req("IOM-PART-020", M, MGR, "Re-materialising a partition replaces that partition only",
        """Storing a partition again (with another value) replaces that partition's value and
        no other: afterwards it loads the new value, every other stored partition of the asset
        loads the value it had, and a load covering several partitions (a mapping, or a
        concatenated value under ``concatenated_range_loads``) holds the new value for it and
        the old values for the others.""", ("assets", "partitions"),
        rationale="Table managers replace a partition with a delete-then-insert; a delete "
                  "predicate that matches more rows than the partition's (or the whole table, "
                  "``mode=\"overwrite\"`` without a predicate) silently drops the asset's other "
                  "partitions. IOM-STORE-003 only checks the overwritten identifier itself."),
    req("IOM-PART-021", M, MGR, "allow_missing_partitions on one partition",
        """With ``allow_missing_partitions`` truthy in the input's definition metadata, loading
        an input that covers exactly one partition returns the value stored for it, bare (as
        ``IOM-PART-004``), and, when that partition was never stored, returns ``None`` or raises
        the missing-data error; it never returns a mapping or a value stored for another
        partition.""", ("assets", "partitions"),
        rationale="dagster#28942: a monthly asset loading its daily upstream with "
                  "``allow_missing_partitions`` gets a bare value (not a dict) on the first day "
                  "of the month; Dagster 1.13's async UPath path returns ``{key: value}`` and "
                  "``{}`` instead. The spec keeps one shape: bare for one partition."),
    req("IOM-PART-022", M, MGR, "Range mappings are keyed by the partition key strings",
        """The keys of the mapping loaded for a range are the range's partition keys as the
        context gives them: strings equal to them (a time partition key such as
        ``"2024-01-01"`` is not turned into a ``date`` or ``datetime``), so the value stored for
        key ``k`` is found under ``k``.""", ("assets", "partitions", "partition_ranges"),
        rationale="community-integrations#330: a manager that stores a time partition in a "
                  "date-typed column must hand it back under the key it was stored for; keys "
                  "that merely print the same (``date(2024, 1, 1)``) are not found by "
                  "``loaded[\"2024-01-01\"]``."),
)
