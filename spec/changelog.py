"""The spec's changelog: every change to a requirement, machine-readable and rendered in SPEC.md.

A requirement's ID never changes meaning silently: adding, revising, scoping or withdrawing one
gets an entry here naming it, the version that carries the change and why. A test checks that
every ID named exists and that every requirement added after ``1.0.0`` has an ``added`` entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CHANGES", "SPEC_VERSION", "Change", "ChangeKind"]

SPEC_VERSION = "1.3.0"
"""The version of the requirement set in :mod:`spec.requirements`."""


class ChangeKind(StrEnum):
    """What a change did to a requirement."""

    ADDED = "added"
    REVISED = "revised"
    SCOPED = "scoped"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Change:
    """One changelog line: ``kind`` of change to ``requirements`` in ``version``."""

    version: str
    kind: ChangeKind
    requirements: tuple[str, ...]
    text: str
    why: str


CHANGES: tuple[Change, ...] = (
    Change(
        "1.3.0",
        ChangeKind.ADDED,
        ("IOM-STORE-012", "IOM-STORE-013", "IOM-STORE-014", "IOM-STORE-015"),
        "Multi-process laws (MUST): concurrent writers of different partitions lose no update "
        "(012) and concurrent writers of one key leave one written value (013), both needing "
        "the new capability `concurrent_writers` (default true; a single-writer manager "
        "declares it absent); a reader during a write sees the old or the new value (014); a "
        "writer killed inside `handle_output` leaves the old or the new value, or the "
        "missing-data error for a key never stored (015).",
        "Issue 13, laws 2 and 3: no check ran the target in several processes, so lost "
        "updates, torn reads and torn files after a crash went unseen.",
    ),
    Change(
        "1.3.0",
        ChangeKind.ADDED,
        ("IOM-PART-020",),
        "Re-materialising a partition replaces that partition only (MUST, needs `assets`, "
        "`partitions`): its other stored partitions, and every load covering several "
        "partitions, keep their old values.",
        "Issue 13, law 1 (Dagster's DB IO manager test suite): IOM-STORE-003 checked only the "
        "overwritten identifier, so a delete predicate that drops the asset's other partitions "
        "went unseen.",
    ),
    Change(
        "1.3.0",
        ChangeKind.ADDED,
        ("IOM-STORE-010",),
        "Storing twice never duplicates (MUST): the same value stored twice loads as stored "
        "once, in single loads, range mappings and concatenated range loads.",
        "Issue 13, law 1: a table manager that appends on re-materialisation doubles rows; "
        "IOM-STORE-003 draws two different values, so a range load repeating superseded rows "
        "passed.",
    ),
    Change(
        "1.3.0",
        ChangeKind.ADDED,
        ("IOM-STORE-011",),
        "Column projection (MUST, needs the new capability `column_projection`): `columns` in "
        "the input's definition metadata loads exactly those columns (`Subject.project`).",
        "Issue 13, law 1: DB IO managers select the `columns` an input asks for; nothing "
        "checked it.",
    ),
    Change(
        "1.3.0",
        ChangeKind.ADDED,
        ("IOM-PART-021",),
        "allow_missing_partitions on one partition (MUST, needs `assets`, `partitions`): a "
        "present partition loads bare, a missing one loads None or raises; never a mapping or "
        "another partition's value.",
        "Issue 13, law 4 (dagster#28942): the shape of a one-partition load under "
        "`allow_missing_partitions` was unstated; Dagster's async UPath path returns a dict.",
    ),
    Change(
        "1.3.0",
        ChangeKind.ADDED,
        ("IOM-PART-022",),
        "Range mappings are keyed by the partition key strings (MUST, needs `partition_ranges`): "
        "never by dates or other objects that merely print the same.",
        "Issue 13, law 4 (community-integrations#330): the alignment checks compared keys with "
        "`str(key)`, so a manager keying time partitions by `date` objects passed.",
    ),
    Change(
        "1.3.0",
        ChangeKind.REVISED,
        ("IOM-SEC-001", "IOM-ID-012"),
        "No text change; the checks now cover two reported partition edge cases: a partition "
        "key that is the absolute path of an existing file (the file stays unchanged), and a "
        "partition of an asset stored unpartitioned before (a never-stored partition does not "
        "load the old unpartitioned value).",
        "Issue 13, law 4 (dagster#16064, dagster#19613).",
    ),
    Change(
        "1.3.0",
        ChangeKind.REVISED,
        ("IOM-PART-015",),
        "No text change; a range mapping that iterates in the order the input context handed "
        "out its keys passes when the contexts under test hand them out in another order than "
        "the definition's (that is their IOM-PART-001 defect, reported apart).",
        "Issue 13 (blame the right party): under Dagster's contexts, which hand out hash-ordered "
        "ranges, every correct manager failed IOM-PART-015 for keeping the order it was given.",
    ),
    Change(
        "1.3.0",
        ChangeKind.REVISED,
        ("IOM-ID-013", "IOM-ID-015"),
        "No text change; for a durable subject the later run now loads through a new manager "
        "instance on the same storage, as a later run in another process does.",
        "Issue 13 (cross-run laws): loaded through the instance that stored it, a run-blind "
        "in-memory cache in front of run-scoped storage passed, though every later run in "
        "another process finds nothing.",
    ),
    Change(
        "1.3.0",
        ChangeKind.REVISED,
        ("IOM-ID-010", "IOM-ID-011", "IOM-ID-012"),
        "No text change; the checks now always run near twins in more places: a pair past "
        "S3's 1,024-byte key limit, the case pair as a mapping key, a version, an asset key's "
        "first component followed by another and a multi-partition dimension key, and four "
        "hourly partitions "
        "of one day (a manager placing time partitions by a coarser part of their window).",
        "Issue 13 (near twins in every slot; law 4, dagster#15051: managers derive placement "
        "from `asset_partitions_time_window` on output contexts): these slots and lengths were "
        "only drawn at random, and hourly partitions of one day never probed explicitly.",
    ),
    Change(
        "1.2.0",
        ChangeKind.REVISED,
        ("IOM-META-006",),
        "A write attempt on the definition metadata (or a value nested in it) violates the "
        "requirement even when the context refuses it and the manager swallows the error; "
        "writing to one's own copy is fine.",
        "Issue 13: a manager that writes into `definition_metadata` and swallows the "
        "`TypeError` of the reference contexts passed, though under Dagster the same write "
        "succeeds and corrupts shared definitions.",
    ),
    Change(
        "1.2.0",
        ChangeKind.REVISED,
        ("IOM-ID-013",),
        "Now a MUST, stated on what users observe: a value stored for an asset (partition) "
        "under a context of one run loads under an input context of another run (another run "
        "id, same asset key and partition); where it is stored is the manager's business. It "
        "no longer says the storage location must not depend on the step key.",
        "Issue 13: a manager that scopes asset storage by run id failed only a SHOULD, although "
        "an asset a later run cannot load breaks every asset graph.",
    ),
    Change(
        "1.2.0",
        ChangeKind.ADDED,
        ("IOM-ID-015",),
        "Versioned outputs load across runs (MUST, needs `op_outputs`): an op output stored "
        "with version V under a context of one run loads under an input context of another run "
        "whose upstream output has the same step key, name and version V.",
        "Issue 13: the identifier of a versioned output has no run id (IOM-ID-003) so that a "
        "later run can reuse it; nothing checked that a manager keeps that promise.",
    ),
    Change(
        "1.1.0",
        ChangeKind.ADDED,
        ("IOM-PART-018",),
        "Range outputs store each partition's share (MUST, needs `partition_range_outputs`): "
        "after storing an output covering several partitions (handed to the manager as a "
        "`conformance.PartitionShares`), each partition of the range loads as its share and "
        "partitions outside the range are unchanged.",
        "Field trial (G2): table managers (`DbIOManager`) store single-run backfills by "
        "replacing the rows of the range's partitions; the law they follow was unstated.",
    ),
    Change(
        "1.1.0",
        ChangeKind.ADDED,
        ("IOM-PART-019",),
        "Concatenated range loads (MUST, needs `concatenated_range_loads`): a range loads as "
        "one value joining the stored partitions' values (`Subject.concat`); with "
        "`allow_missing_partitions` missing partitions contribute nothing.",
        "Field trial (G3): table managers load a range as one table, not as a mapping, so "
        "nothing about their range loads was checked.",
    ),
    Change(
        "1.1.0",
        ChangeKind.SCOPED,
        ("IOM-PART-010",),
        "Not applicable to managers declaring `partition_range_outputs` (judged by "
        "IOM-PART-018 instead).",
        "Field trial (G2): storing a range output is by design for table managers, and the "
        "rows keep their partitions, so nothing is collapsed.",
    ),
    Change(
        "1.1.0",
        ChangeKind.REVISED,
        ("IOM-STORE-009",),
        "A manager may also refuse to store a partition of an asset whose stored partitions "
        "have a different partitioning (partitions definition kind, or `partition_expr`); the "
        "refusal is a typed error and stored data stays intact.",
        "Field trial (G4): Delta Lake refuses to change a table's partition column in place "
        "(\"Specified table partitioning does not match table partitioning\"), the only "
        "lossless answer; the kit reported it as a failed store (IOM-STORE-001).",
    ),
    Change(
        "1.1.0",
        ChangeKind.ADDED,
        ("IOM-ID-014",),
        "Asset-key domains (MUST, needs `assets`): a manager may declare the asset keys it "
        "accepts (`Subject.accepts_asset_key`); the domain contains every key of one or two "
        "`[A-Za-z0-9_]+` components; a key outside it is refused with a typed error "
        "(IOM-SEC-003) or stored as a key of its own, never under another key.",
        "Field trial (G5): a table needs a schema and a table name, so table managers accept "
        "fewer keys than the plain keys the kit required; and `DbIOManager` silently stores "
        "`[\"x\", \"a\", \"b\"]` in the table of `[\"a\", \"b\"]`, which no "
        "requirement named.",
    ),
    Change(
        "1.1.0",
        ChangeKind.REVISED,
        ("IOM-ID-011", "IOM-SEC-002"),
        "Plain asset keys must be stored within the manager's declared asset-key domain "
        "(IOM-ID-014), no longer beyond it.",
        "Field trial (G5): `is_plain` admits `.`, `-`, `:`, `|`, `+` and any number of "
        "components; `@asset` names are `[A-Za-z0-9_]+`, and a table takes one or two.",
    ),
    Change(
        "1.1.0",
        ChangeKind.REVISED,
        ("IOM-SEC-003",),
        "Bad input includes a value outside what the manager stores: `None`, for a manager "
        "that does not declare `stores_none`, must be refused with a clear, typed error (never "
        "stored or dropped silently), and the value stored earlier still loads.",
        "Field trial (G1): managers that do not store `None` must say so in a specified way, "
        "as IOM-DEF-004 asks for other undeclared capabilities.",
    ),
    Change(
        "1.1.0",
        ChangeKind.SCOPED,
        ("IOM-STORE-002", "IOM-PART-017"),
        "Need the capability `stores_none` (default true); a manager without it is judged by "
        "IOM-SEC-003 (refuses `None`).",
        "Field trial (G1): `DbIOManager` refuses `None` by design (Dagster never calls "
        "`handle_output` for a `-> None` output) and a DataFrame manager has no `None`.",
    ),
    Change(
        "1.1.0",
        ChangeKind.SCOPED,
        ("IOM-META-008",),
        "Needs `storage_root`: the path recorded is a file below the manager's local storage "
        "root.",
        "Field trial (K6): for S3 the path is a key in a bucket, not a local file the kit can "
        "find, so the check judged something the requirement does not say.",
    ),
)
"""Newest first."""
