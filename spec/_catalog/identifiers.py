"""Identifiers (``IOM-ID-*``): what ``get_identifier`` returns and which stored things a manager
keeps apart.
"""

from __future__ import annotations

from spec._catalog.model import CTX, MGR, M, Requirement, req

__all__ = ["IDENTIFIERS"]

IDENTIFIERS: tuple[Requirement, ...] = (
    req("IOM-ID-001", M, CTX, "Op output identifier",
        """For an output with no version and no mapping key, ``get_identifier()`` is
        ``[run_id, step_key, name]``."""),
    req("IOM-ID-002", M, CTX, "Mapped output identifier",
        """For a mapped (dynamic) output, ``get_identifier()`` is
        ``[run_id, step_key, name, mapping_key]``. An empty mapping key is treated as absent."""),
    req("IOM-ID-003", M, CTX, "Versioned output identifier",
        """For an output with a version (the empty string included), ``get_identifier()`` is
        ``["versioned_outputs", version, step_key, name]``; the run id is not part of it."""),
    req("IOM-ID-004", M, CTX, "Version and mapping key are exclusive",
        """``get_identifier()`` raises when an output has both a version and a non-empty mapping
        key: dynamic mapping is not supported with versioning. A version with an *empty* mapping
        key is unspecified (Dagster raises; the reference treats the key as absent)."""),
    req("IOM-ID-005", M, CTX, "Input identifier delegates upstream",
        """An input context's ``get_identifier()`` equals its ``upstream_output.get_identifier()``
        and raises when there is no upstream output."""),
    req("IOM-ID-006", M, CTX, "Asset identifier",
        """For an unpartitioned asset, ``get_asset_identifier()`` equals the asset key's path."""),
    req("IOM-ID-007", M, CTX, "Partitioned asset identifier",
        """When a context covers exactly one asset partition, ``get_asset_identifier()`` is the
        asset key's path followed by that partition key."""),
    req("IOM-ID-008", M, CTX, "Multi-partition key format",
        """A multi-partition key is the per-dimension keys joined with ``|`` in the order of the
        dimension names, and compares equal to that string."""),
    req("IOM-ID-009", M, CTX, "Asset identifier needs one asset partition",
        """``get_asset_identifier()`` raises when the context has no asset key, or when it covers
        more than one partition."""),
    req("IOM-ID-010", M, MGR, "Distinct op outputs are isolated",
        """Outputs whose identifiers differ in any component (run id, step key, output name,
        mapping key, version) are stored separately: storing one never changes what is loaded
        for another.""", ("op_outputs",)),
    req("IOM-ID-011", M, MGR, "Distinct assets are isolated",
        """Assets whose keys differ are stored separately, including keys that collide under a
        naive join: ``["a/b"]`` and ``["a", "b"]``, ``["a_b"]`` and ``["a", "b"]``,
        ``["a", ""]`` and ``["a"]``. For a manager that declares an asset-key domain
        (``IOM-ID-014``) this holds for the keys within its domain, where every plain key is
        stored.""", ("assets",),
        rationale="Dagster 1.13 maps ``[\"a/b\", \"c\"]`` and ``[\"a\", \"b\", \"c\"]`` to the "
                  "same file."),
    req("IOM-ID-012", M, MGR, "Distinct partitions are isolated",
        """Partitions of one asset are stored separately from each other, and loading a
        partition never returns the value stored for the unpartitioned asset of the same key, nor
        the reverse. (An asset that switches between unpartitioned and partitioned may lose its
        old value: either kind of load then raises.)""", ("assets", "partitions"),
        rationale="Dagster 1.13 stores partition key ``.`` at the unpartitioned asset's path; it "
                  "deliberately deletes an unpartitioned file when the asset becomes partitioned."),
    req("IOM-ID-013", M, MGR, "Assets load across runs",
        """A value stored for an asset (or one partition of it) under an output context of one
        run loads, equal to it, under an input context of another run: one whose upstream output
        has the same asset key and partition but another run id. Where and how the manager
        stores the value is its own business; storage scoped by run id breaks this law.""",
        ("assets",),
        rationale="Every asset graph loads upstream assets that earlier runs materialized; a "
                  "manager that scopes asset storage by run id loads nothing in a later run."),
    req("IOM-ID-014", M, MGR, "Asset-key domains",
        """A manager may declare the asset keys it accepts (its asset-key domain). The domain
        contains every key of one or two components matching ``[A-Za-z0-9_]+``. A key outside
        the domain is refused with a typed error (``IOM-SEC-003``), or stored as a key of its
        own; it is never stored under another key, so storing it never changes what a key of
        the domain loads (keeping the last two components of ``["x", "a", "b"]``, or storing
        ``["a-b"]`` as ``["a_b"]``, is such aliasing).""", ("assets",),
        rationale="Table managers need a schema and a table name; Dagster's ``DbIOManager`` "
                  "uses the last two components of a longer key, so ``[\"x\", \"a\", "
                  "\"b\"]`` silently shares the table of ``[\"a\", \"b\"]``."),
    req("IOM-ID-015", M, MGR, "Versioned outputs load across runs",
        """A value stored for an op output with a version (``IOM-ID-003``) under an output
        context of one run loads, equal to it, under an input context of another run whose
        upstream output has the same step key, output name and version but another run id.
        Where the manager stores it is its own business; the identifier of a versioned output
        has no run id, and storage scoped by run id breaks this law.""", ("op_outputs",),
        rationale="Versions exist so that a later run can reuse an output computed with the "
                  "same code and inputs: Dagster's identifier is ``[\"versioned_outputs\", "
                  "version, step_key, name]`` and its file layout "
                  "``<base>/versioned_outputs/<version>/<step_key>/<name>``, with no run id."),
)
