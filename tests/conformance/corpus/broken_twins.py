"""Broken managers that conflate near-twin identifiers the way real storage does, one per
conflation class of :mod:`conformance.strategies.twins` (``IOM-ID-010..012``).

Each folds the identifier components of one slot (asset-key components, partition keys or op
identifiers) through the conflation, as a case-insensitive file system, an NFC-normalising tool,
a name-length limit, Windows, an escaping scheme or a path normaliser would, and names the
requirement it breaks in ``breaks``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from tests.conformance.corpus.base import DictManager, StorageKey

_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                       *(f"LPT{n}" for n in range(1, 10))})


class _FoldsAssetKeys(DictManager):
    """Folds every asset-key component (not the partition) through :meth:`fold`."""

    origin = DictManager
    """The correct manager each mutant was derived from (this base is abstract)."""

    def fold(self, component: str) -> str:
        """The component as the conflating storage sees it."""
        raise NotImplementedError

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        return ("asset", tuple(self.fold(c) for c in context.asset_key.path), partition)


class CaseInsensitiveAssetKeys(_FoldsAssetKeys):
    """Stores asset keys as a case-insensitive file system does: ``a`` and ``A`` are one."""

    breaks = "IOM-ID-011"

    def fold(self, component: str) -> str:
        return component.casefold()


class TruncatedAssetKeys(_FoldsAssetKeys):
    """Cuts every asset-key component at 64 bytes, as a name-length limit would."""

    breaks = "IOM-ID-011"

    def fold(self, component: str) -> str:
        return component.encode()[:64].decode(errors="ignore")


class WindowsTrailingDotsAndSpaces(_FoldsAssetKeys):
    """Drops trailing dots and spaces of asset-key components, as Windows does."""

    breaks = "IOM-ID-011"

    def fold(self, component: str) -> str:
        return component.rstrip(". ") or component


class EscapedReservedNames(_FoldsAssetKeys):
    """Escapes Windows device names as ``_CON``, which a real key ``_CON`` then shares."""

    breaks = "IOM-ID-011"

    def fold(self, component: str) -> str:
        return "_" + component if component.split(".")[0].upper() in _RESERVED else component


class CollapsedSeparators(_FoldsAssetKeys):
    """Normalises separators inside components (``a//b``, ``/a``, ``a\\b`` become ``a/b``,
    ``a``), as a path normaliser or an object store's key cleanup would."""

    breaks = "IOM-ID-011"

    def fold(self, component: str) -> str:
        return re.sub(r"/+", "/", component.replace("\\", "/")).strip("/")


class S3KeyLengthLimit(DictManager):
    """Cuts the whole asset key (its unambiguous repr) at 1,024 bytes, S3's key limit, instead
    of refusing a longer one: keys that agree in their first 1,024 bytes are one object."""

    breaks = "IOM-ID-011"

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        cut = repr(tuple(context.asset_key.path)).encode()[:1024]
        return ("asset", cut, partition)


class NfcNormalisedPartitionKeys(DictManager):
    """NFC-normalises partition keys: ``café`` typed two ways is one partition."""

    breaks = "IOM-ID-012"

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        folded = None if partition is None else unicodedata.normalize("NFC", partition)
        return ("asset", tuple(context.asset_key.path), folded)


class CaseInsensitiveMultiPartitionDimensions(DictManager):
    """Lower-cases the dimension keys of a multi-partition key (``Sales|x`` is ``sales|x``), as
    a case-insensitive partition column would; static partition keys are kept apart."""

    breaks = "IOM-ID-012"

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        folded = partition.casefold() if partition is not None and "|" in partition else partition
        return ("asset", tuple(context.asset_key.path), folded)


class CaseInsensitiveMappingKeys(DictManager):
    """Stores a dynamic output's mapping key lower-cased (a case-insensitive file system where
    each mapping key is a file), the rest of the identifier as it is."""

    breaks = "IOM-ID-010"

    def op_key(self, context: Any) -> StorageKey:
        identifier = list(context.get_identifier())  # [run_id, step_key, name, mapping_key]
        if len(identifier) == 4 and identifier[0] != "versioned_outputs":
            identifier[3] = identifier[3].casefold()
        return ("op", tuple(identifier))


class CaseInsensitiveStepKeys(DictManager):
    """Stores op outputs under lower-cased identifiers (a case-insensitive file system)."""

    breaks = "IOM-ID-010"

    def op_key(self, context: Any) -> StorageKey:
        return ("op", tuple(part.casefold() for part in context.get_identifier()))


BROKEN_TWINS: tuple[type, ...] = (
    CaseInsensitiveAssetKeys,
    TruncatedAssetKeys,
    WindowsTrailingDotsAndSpaces,
    EscapedReservedNames,
    CollapsedSeparators,
    S3KeyLengthLimit,
    NfcNormalisedPartitionKeys,
    CaseInsensitiveMultiPartitionDimensions,
    CaseInsensitiveMappingKeys,
    CaseInsensitiveStepKeys,
)
"""One mutant per conflation class, and per slot where the slot needs its own examples (case:
asset keys, multi-partition dimension keys, mapping keys and whole op identifiers; length: a
component and S3's whole-key limit)."""
