"""The requirement data, one module per spec area (the registry is :mod:`spec.requirements`).

:data:`ALL` is every requirement in registry order (the order of docs/SPEC.md).
"""

from __future__ import annotations

from spec._catalog.contexts import CONTEXTS
from spec._catalog.identifiers import IDENTIFIERS
from spec._catalog.metadata import METADATA
from spec._catalog.model import Requirement
from spec._catalog.partitions import PARTITIONS
from spec._catalog.storage import STORAGE

__all__ = ["ALL"]

ALL: tuple[Requirement, ...] = (*IDENTIFIERS, *PARTITIONS, *METADATA, *STORAGE, *CONTEXTS)
