"""Storage and security (``IOM-STORE-*``, ``IOM-SEC-*``): round trip, overwrite, persistence,
missing data, confinement and bad input.
"""

from __future__ import annotations

from spec._catalog.model import MGR, M, Requirement, S, Y, req

__all__ = ["STORAGE"]

STORAGE: tuple[Requirement, ...] = (
    req("IOM-STORE-001", M, MGR, "Round trip",
        """Loading an input whose upstream output was stored returns a value equal to the one
        stored."""),
    req("IOM-STORE-002", M, MGR, "None round trips",
        """Storing ``None`` and loading it back returns ``None``. Applies to managers that
        declare they store ``None``; the others refuse it (``IOM-SEC-003``).""",
        ("stores_none",)),
    req("IOM-STORE-003", M, MGR, "Overwrite",
        """Storing again under the same identifier replaces the earlier value."""),
    req("IOM-STORE-004", M, MGR, "Persistence across instances",
        """A new manager instance on the same storage loads what an earlier instance stored.""",
        ("durable",)),
    req("IOM-STORE-005", M, MGR, "Missing data raises",
        """Loading something never stored raises; it never returns ``None`` or another value."""),
    req("IOM-STORE-006", M, MGR, "Loading changes nothing",
        """Loading does not change any stored value: loading twice gives equal values and other
        identifiers are unaffected."""),
    req("IOM-STORE-007", M, MGR, "A failed store keeps the old value",
        """When ``handle_output`` raises (for example, the value cannot be serialized), the value
        stored earlier under that identifier still loads unchanged.""",
        rationale="Dagster 1.13 truncates the file in place before pickling."),
    req("IOM-STORE-008", M, MGR, "No stale reads across instances",
        """When another instance on the same storage overwrites a value, every instance loads
        the new value.""", ("durable",)),
    req("IOM-STORE-009", Y, MGR, "Structural refusals",
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
    req("IOM-STORE-010", M, MGR, "Storing twice never duplicates",
        """Storing the same value twice under one identifier loads exactly as storing it once:
        the identifier loads that value, and a load covering several partitions holds it once
        (a mapping maps the partition to it; a concatenated value under
        ``concatenated_range_loads`` equals ``Subject.concat`` of each partition's value once,
        never with the rows of an earlier store repeated).""",
        rationale="A retried or re-run materialisation must not double a table's rows; Dagster's "
                  "DB IO manager test suite checks that materialising twice leaves one copy."),
    req("IOM-STORE-011", M, MGR, "Column projection loads exactly the columns asked for",
        """A manager that declares ``column_projection`` loads, for an input whose definition
        metadata sets ``columns`` to a list of column names of the stored table, the stored
        table with exactly those columns (no more, no fewer, each with its stored data:
        ``Subject.project``); without ``columns`` it loads every column.""",
        ("column_projection",),
        rationale="Dagster's DB IO managers read ``columns`` from the input's definition metadata "
                  "(``AssetIn(metadata={\"columns\": [...]})``) and select only those."),
    req("IOM-STORE-012", M, MGR, "Concurrent partition writers lose no update",
        """Several processes, each with its own manager instance on the same storage, storing
        different partitions of one asset at the same time all succeed, and afterwards every
        partition loads the value its writer stored. Applies to managers that declare
        ``concurrent_writers``.""",
        ("durable", "partitions", "concurrent_writers"),
        rationale="Backfills run partitions in parallel processes; a manager that keeps one "
                  "index per asset and rewrites it without a lock silently drops partitions."),
    req("IOM-STORE-013", M, MGR, "Concurrent writers of one key leave one value",
        """Several processes, each with its own manager instance on the same storage, storing
        different values under one identifier at the same time all succeed, and afterwards the
        identifier loads one of the values written, never a mix of them or an error. Applies
        to managers that declare ``concurrent_writers``.""",
        ("durable", "concurrent_writers"),
        rationale="Retries and re-executions can overlap; a shared temporary file name or an "
                  "in-place write lets two writers interleave."),
    req("IOM-STORE-014", M, MGR, "A reader during a write sees the old or the new value",
        """While one process stores a new value under an identifier that holds a value, a
        reader in another process (its own instance on the same storage) loads the old value
        or the new one, never a part of either, a mix or an error; it may wait for the writer
        to finish.""",
        ("durable",),
        rationale="Downstream runs read while upstream re-materialises; Dagster 1.13's "
                  "filesystem manager truncates the file before writing, so a reader in that "
                  "window fails. Writing a temporary file and renaming it is enough."),
    req("IOM-STORE-015", M, MGR, "A killed writer leaves the old or the new value",
        """When the process storing a value is killed (SIGKILL) at any point inside
        ``handle_output``, a new instance on the same storage afterwards loads the value stored
        earlier or the new one; for an identifier never stored before it loads the new value
        or raises the missing-data error (``IOM-SEC-004``). Never a torn value, a mix or
        another error.""",
        ("durable",),
        rationale="Workers are killed by out-of-memory killers, pre-emption and timeouts; a "
                  "torn file turns one failed run into a broken asset for every later run."),
    # ---------------------------------------------------------------- security
    req("IOM-SEC-001", M, MGR, "Confinement to the storage root",
        """Whatever the asset keys, partition keys, run ids, step keys, names and mapping keys,
        nothing is created or changed outside the manager's storage root.""",
        ("storage_root",),
        rationale="Dagster 1.13 writes outside base_dir for an asset-key component ``..``."),
    req("IOM-SEC-002", M, MGR, "Path syntax in keys is data",
        """Key components such as ``..``, ``.``, ``/``, absolute paths, empty strings, unicode
        and very long strings are either stored and loaded back like any other key or rejected
        with a typed error; they are never interpreted as paths. Plain components (letters,
        digits, ``_ . : | + -``) are stored, for asset keys within the manager's declared
        asset-key domain (``IOM-ID-014``)."""),
    req("IOM-SEC-003", M, MGR, "Bad input is a clear, typed error",
        """A manager rejects input it cannot handle with an exception (never a crash or a bare
        ``AssertionError``) whose message says what was wrong, and stored values stay intact.
        Bad input includes a value outside what the manager stores: ``None``, for a manager that
        does not declare it stores ``None``, is refused (never stored or dropped silently) and
        the value stored earlier under that identifier still loads."""),
    req("IOM-SEC-004", S, MGR, "Missing data error type",
        """The error raised for missing data is a ``LookupError`` or an ``OSError`` (such as
        ``KeyError`` or ``FileNotFoundError``), so callers can tell it from a bug."""),
)
