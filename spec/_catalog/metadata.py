"""Metadata and events (``IOM-META-*``): what contexts record and what managers may add.
"""

from __future__ import annotations

from spec._catalog.model import CTX, MGR, M, Requirement, Y, req

__all__ = ["METADATA"]

METADATA: tuple[Requirement, ...] = (
    req("IOM-META-001", M, CTX, "Raw metadata values are normalized",
        """``add_output_metadata`` accepts ``str``, ``int``, ``float``, ``bool``, ``None``,
        ``dict``, ``list``, ``os.PathLike``, asset keys and metadata values, and records each as
        a metadata value wrapping it."""),
    req("IOM-META-002", M, CTX, "Unresolvable metadata is rejected, all or nothing",
        """A value that cannot be normalized (``tuple``, ``set``, ``bytes``, ``datetime``,
        arbitrary objects) is rejected with a typed error naming the key and type, and nothing
        of that call is recorded."""),
    req("IOM-META-003", M, CTX, "Duplicate metadata keys are rejected",
        """Adding a key that this context already recorded raises, and nothing of that call is
        recorded."""),
    req("IOM-META-004", M, CTX, "log_event takes asset events only",
        """``log_event`` accepts an ``AssetMaterialization`` or ``AssetObservation`` and rejects
        anything else with a typed error."""),
    req("IOM-META-005", M, CTX, "Logged events match the output's asset",
        """``log_event`` rejects an event whose asset key differs from the output's asset key.""",
        rationale="Dagster 1.13 accepts it and emits a materialization for an unrelated asset."),
    req("IOM-META-006", M, MGR, "Definition metadata is left untouched",
        """Neither ``handle_output`` nor ``load_input`` changes a context's definition
        metadata (or its upstream output's), nested values included, or tries to: a write
        attempt on the mapping or on a value nested in it is a violation even when the
        context refuses it (a read-only mapping raising ``TypeError``) and the manager goes on.
        Writing to one's own copy is fine.""",
        rationale="Under Dagster a context's definition metadata is the definition's own "
                  "mapping (the asset's or the ``Out``'s metadata), shared by every run: a write "
                  "that a read-only context refuses succeeds there and changes the definition."),
    req("IOM-META-007", M, MGR, "Managers add valid metadata once",
        """Everything a manager passes to ``add_output_metadata`` during one ``handle_output``
        call is valid metadata with keys not already recorded on that context."""),
    req("IOM-META-008", Y, MGR, "Path metadata",
        """A manager that stores to a path below its storage root records it as ``path``
        metadata when the stored value is not ``None``.""", ("storage_root",)),
    req("IOM-META-009", M, CTX, "Recorded metadata and events are readable",
        """Metadata added with ``add_output_metadata`` and events logged with ``log_event`` can
        be read back from the context afterwards, in the order they were recorded."""),
    req("IOM-META-010", M, MGR, "Logged events concern the handled asset",
        """Events a manager logs while handling an asset output concern that asset.""",
        ("assets",)),
)
