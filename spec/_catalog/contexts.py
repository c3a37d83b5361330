"""Contexts and definitions (``IOM-CTX-*``, ``IOM-DEF-*``): what a framework's contexts and a
definition's shape must do.
"""

from __future__ import annotations

from spec._catalog.model import CTX, DEF, MGR, M, Requirement, S, req

__all__ = ["CONTEXTS"]

CONTEXTS: tuple[Requirement, ...] = (
    req("IOM-CTX-001", M, CTX, "Unavailable values raise",
        """Accessors for values the context does not have (step key, name, asset key, partition
        key, partitions definition, op definition, type) raise; they never return a
        sentinel."""),
    req("IOM-CTX-002", M, CTX, "has_* agrees with the accessor",
        """``has_asset_key``, ``has_partition_key`` and ``has_asset_partitions`` are true exactly
        when ``asset_key``, ``partition_key`` and ``asset_partition_keys`` do not raise."""),
    req("IOM-CTX-003", M, CTX, "Partition key implies one asset partition",
        """A context built with an asset key and a run partition key, but no explicit range,
        covers exactly that asset partition; an explicit range wins over the run key."""),
    req("IOM-CTX-004", M, CTX, "asset_partition_key needs one partition",
        """``asset_partition_key`` raises unless the context covers exactly one partition."""),
    req("IOM-CTX-005", M, CTX, "Definition metadata and its deprecated alias",
        """``definition_metadata`` never raises and is empty by default; ``metadata`` returns
        the same mapping and emits a ``DeprecationWarning``."""),
    req("IOM-CTX-006", M, CTX, "upstream_output describes the producer",
        """An input context's ``upstream_output`` has the identifier, asset key and definition
        metadata of the output that produced the value."""),
    req("IOM-CTX-007", M, CTX, "Contexts tear down their resources",
        """A context can be used as a context manager; resources that are context managers are
        entered before use and exited when the block ends."""),
    req("IOM-CTX-008", M, CTX, "Contexts do not mutate their inputs",
        """Building a context copies or freezes the mappings it is given: later changes to the
        caller's dicts do not change the context."""),
    # ---------------------------------------------------------------- definitions
    req("IOM-DEF-001", M, DEF, "Manager shape",
        """A manager has ``handle_output(context, obj)`` and ``load_input(context)`` callable
        with those arguments."""),
    req("IOM-DEF-002", M, DEF, "Factory shape",
        """A factory's ``create_io_manager(context)`` returns a manager (``IOM-DEF-001``)."""),
    req("IOM-DEF-003", M, DEF, "Config is validated",
        """Config that does not match a definition's schema is rejected before the manager is
        used, with an error naming the field and what was expected."""),
    req("IOM-DEF-004", S, MGR, "Unsupported contexts are refused",
        """A manager given a context it does not support (a capability it does not declare)
        raises a typed error rather than storing a value it cannot load back.""",
        rationale="A capability declared absent must fail in a specified way, not silently."),
)
