"""What the kit checks: a :class:`Subject` = a manager factory plus declared capabilities.

:meth:`Subject.from_object` coerces the things users have at hand (a manager class or instance,
an ``@io_manager`` definition, a configurable factory, a plain callable) into a Subject. The
factory is called once per example (and again for "fresh instance on the same storage" checks),
so every example starts from empty storage. The coercion itself is :mod:`conformance.coercion`,
imported inside the functions that use it (it imports :class:`SubjectError` from here).
"""

from __future__ import annotations

import math
import pathlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from hypothesis.strategies import SearchStrategy

from reference_impl.narrowing import is_dict, is_list_or_tuple

__all__ = [
    "DIRECTORY_FIELDS",
    "Capabilities",
    "Subject",
    "SubjectError",
    "initialize_source",
    "strict_equals",
]

DIRECTORY_FIELDS: tuple[str, ...] = (
    "base_dir",
    "base_path",
    "base_directory",
    "storage_dir",
    "storage_path",
    "root_dir",
    "root_path",
    "root",
    "directory",
    "dir",
    "path",
)
"""Config/field names that mark a factory as taking a storage directory (in this order of
preference; a structured-config field must accept a ``str``)."""


class SubjectError(TypeError):
    """The object given to the kit cannot be turned into a :class:`Subject`."""


@dataclass(frozen=True)
class Capabilities:
    """What a manager declares it supports. Field names equal the ``needs`` names of the spec.

    ``durable``: a new instance on the same storage sees what an earlier one stored.
    ``storage_root``: everything is stored below the directory the factory is given.
    ``stores_none``: ``None`` is a value the manager stores (else it must refuse it, typed).
    ``partition_range_outputs``: an output covering several partitions is stored, each
    partition getting its own share (table managers); else such an output is refused.
    ``concatenated_range_loads``: a range loads as one value joining the stored partitions'
    values (``Subject.concat``), not as a mapping (``partition_ranges``).
    ``concurrent_writers``: several processes, each with its own instance on the same storage,
    may store at once (IOM-STORE-012/014); a "single writer" manager declares it absent.
    ``column_projection``: ``columns`` in an input's definition metadata loads only those
    columns of the stored table (``Subject.project``; IOM-STORE-011).
    """

    op_outputs: bool = True
    assets: bool = True
    partitions: bool = True
    partition_ranges: bool = True
    multi_partitions: bool = True
    durable: bool = False
    storage_root: bool = False
    stores_none: bool = True
    partition_range_outputs: bool = False
    concatenated_range_loads: bool = False
    concurrent_writers: bool = True
    column_projection: bool = False

    def absent(self, needs: frozenset[str] | set[str]) -> tuple[str, ...]:
        """The capabilities among ``needs`` declared absent, sorted (unknown names count)."""
        return tuple(sorted(n for n in needs if not getattr(self, n, False)))

    def present(self, excludes: frozenset[str] | set[str]) -> tuple[str, ...]:
        """The capabilities among ``excludes`` declared present, sorted."""
        return tuple(sorted(n for n in excludes if getattr(self, n, False)))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every capability name."""
        return tuple(f.name for f in fields(cls))


def strict_equals(left: object, right: object) -> bool:
    """Equality that also compares types, recursively through builtin containers.

    ``True`` does not equal ``1`` and ``(1,)`` does not equal ``[1]``: a manager that changes a
    value's type does not round-trip it. Falls back to ``==`` for other types.
    """
    if type(left) is not type(right):
        return False
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if is_list_or_tuple(left) and is_list_or_tuple(right):
        return len(left) == len(right) and all(map(strict_equals, left, right))
    if is_dict(left) and is_dict(right):
        return left.keys() == right.keys() and all(strict_equals(left[k], right[k]) for k in left)
    try:
        return bool(left == right)
    except Exception:
        return False


def _default_values() -> SearchStrategy[object]:
    from conformance.strategies import values

    return values()


@dataclass(frozen=True)
class Subject:
    """A manager under test.

    ``factory`` takes no argument, or one ``pathlib.Path`` (a fresh, empty directory that is
    the storage root). ``values`` generates the objects stored; ``equals`` decides round trips.
    ``shared_instance`` marks a factory that returns one and the same manager every call (an
    instance the kit could not re-create): the kit then namespaces every example's identifiers so
    examples do not see each other's data, and durability is not claimed.
    """

    name: str
    factory: Callable[..., object]
    capabilities: Capabilities = field(default_factory=Capabilities)
    values: SearchStrategy[object] = field(default_factory=_default_values)
    equals: Callable[[object, object], bool] = strict_equals
    shared_instance: bool = False
    source: object = field(default=None, compare=False, repr=False)
    """The object the subject was made from (for definition checks), when known."""
    concat: Callable[[Sequence[object]], object] | None = None
    """Joins values into one value holding all of them (tables: their rows), in the order
    given; what a range loads as under ``concatenated_range_loads`` (IOM-PART-019), which
    needs it."""
    accepts_asset_key: Callable[[tuple[str, ...]], bool] | None = None
    """The asset keys the manager accepts (IOM-ID-014; ``None``: every key). The domain must
    contain every key of one or two ``[A-Za-z0-9_]+`` components; plain keys outside it are
    not drawn (discarded), and IOM-ID-014 checks that the manager refuses them."""

    project: Callable[[object, Sequence[str]], object] | None = None
    """The stored value with only the named columns (IOM-STORE-011; needed by
    ``column_projection``)."""
    columns_of: Callable[[object], Sequence[str]] | None = None
    """The column names of a stored value (IOM-STORE-011; needed by ``column_projection``)."""

    def __post_init__(self) -> None:
        _validate_domain(self.name, self.accepts_asset_key)
        caps = self.capabilities
        if caps.concatenated_range_loads and self.concat is None:
            raise SubjectError(
                f"subject {self.name!r} declares concatenated_range_loads but gives no concat: "
                "pass Subject(..., concat=...) joining a sequence of values into the one value "
                "a range loads as (e.g. pandas.concat for DataFrames)"
            )
        if caps.column_projection and (self.project is None or self.columns_of is None):
            raise SubjectError(
                f"subject {self.name!r} declares column_projection but gives no project or "
                "columns_of: pass Subject(..., project=..., columns_of=...) (the stored value "
                "with only the named columns, and a value's column names)"
            )
        if caps.concatenated_range_loads and caps.partition_ranges:
            raise SubjectError(
                f"subject {self.name!r} declares both partition_ranges (a range loads as a "
                "mapping) and concatenated_range_loads (a range loads as one joined value); "
                "declare partition_ranges=False"
            )

    @property
    def takes_directory(self) -> bool:
        """Whether ``factory`` takes the storage directory as its one argument."""
        from conformance.coercion import arity

        return arity(self.factory) == 1

    def make(self, directory: pathlib.Path | None) -> object:
        """Call the factory (with ``directory`` when it takes one) and return the manager."""
        from conformance.coercion import require_manager

        if self.takes_directory:
            if directory is None:
                raise SubjectError(f"subject {self.name!r} needs a storage directory")
            return require_manager(self.factory(directory), self.name)
        return require_manager(self.factory(), self.name)

    @classmethod
    def from_object(
        cls,
        obj: object,
        *,
        name: str | None = None,
        capabilities: Capabilities | None = None,
        accepts_asset_key: Callable[[tuple[str, ...]], bool] | None = None,
        values: SearchStrategy[object] | str | None = None,
        equals: Callable[[object, object], bool] | str | None = None,
    ) -> Subject:
        """Coerce ``obj`` into a Subject; raise :class:`SubjectError` when it cannot be done.

        Accepted, in this order: a Subject (returned as is, renamed/re-capabilitied when those
        are given); an IO manager definition (has ``resource_fn``); a configurable factory class
        or instance (has ``create_io_manager``); a manager class or instance (has
        ``handle_output`` and ``load_input``); a callable of zero args or one arg (a directory).
        Defaults: a directory factory is ``durable`` and ``storage_root``-confined; a zero-arg
        factory is neither; the reference ``InMemoryIOManager`` and ``mem_io_manager`` get the
        capabilities the built-in run declares for them. A manager instance whose class cannot
        be re-created is used as a shared, non-durable singleton (see :attr:`shared_instance`).
        ``accepts_asset_key`` declares an asset-key domain (IOM-ID-014; see
        :attr:`accepts_asset_key`).
        ``values`` is a hypothesis strategy, a value family name (``"json"``; see
        :mod:`conformance.families`) or ``"MODULE:STRATEGY"``; ``equals`` a function of (loaded,
        stored) or ``"MODULE:FUNC"`` (default: the family's equality, else
        :func:`strict_equals`). A family that does not store ``None`` (the frame families)
        makes ``stores_none`` default to false; a family that joins values (frames, tables)
        sets :attr:`concat`. Raises ``ValuesError`` (a SubjectError) for
        values or equals that name nothing, ``MissingValuesLibrary`` for a family whose
        library is not installed.
        """
        from conformance.coercion import arity, describe, factory_for

        chosen = _chosen_values(values, equals)
        if isinstance(obj, Subject):
            renamed = obj if name is None else replace(obj, name=name)
            if accepts_asset_key is not None:
                renamed = replace(renamed, accepts_asset_key=accepts_asset_key)
            if chosen:
                renamed = replace(renamed, **chosen)
            return renamed if capabilities is None else replace(renamed, capabilities=capabilities)
        factory, shared = factory_for(obj)
        takes_dir = arity(factory) == 1
        from conformance.builtins import builtin_capabilities

        builtin = builtin_capabilities(obj)
        stores_none = _family_stores_none(values)
        default_caps = (
            Capabilities(durable=takes_dir, storage_root=takes_dir, stores_none=stores_none)
            if builtin is None
            else replace(builtin, stores_none=builtin.stores_none and stores_none)
        )
        return cls(
            name=name or describe(obj),
            factory=factory,
            capabilities=capabilities or default_caps,
            shared_instance=shared,
            source=obj,
            accepts_asset_key=accepts_asset_key,
            **chosen,
        )


# --------------------------------------------------------------------------- values helpers


def _chosen_values(
    values: SearchStrategy[object] | str | None,
    equals: Callable[[object, object], bool] | str | None,
) -> dict[str, Any]:
    """The ``values``/``equals`` fields a from_object call sets (none when neither is given)."""
    from conformance.families import FAMILIES, default_equals, resolve_equals, resolve_values

    chosen: dict[str, Any] = {}
    if values is not None:
        chosen["values"] = resolve_values(values)
    if equals is not None:
        chosen["equals"] = resolve_equals(equals)
    elif values is not None:
        chosen["equals"] = default_equals(values)
    known = FAMILIES.get(values) if isinstance(values, str) else None
    if known is not None and known.concat is not None:
        chosen["concat"] = known.concat
    return chosen


def _family_stores_none(values: object) -> bool:
    from conformance.families import FAMILIES

    known = FAMILIES.get(values) if isinstance(values, str) else None
    return True if known is None else known.stores_none


# --------------------------------------------------------------------------- declarations


def _validate_domain(name: str, accepts: Callable[[tuple[str, ...]], bool] | None) -> None:
    """Raise :class:`SubjectError` unless the declared asset-key domain holds the minimum."""
    if accepts is None:
        return
    if not callable(accepts):
        raise SubjectError(
            f"subject {name!r}: accepts_asset_key must be a callable taking an asset key (a "
            f"tuple of str) and returning bool, not {type(accepts).__name__}"
        )
    from conformance.domain import missing_from_domain

    missing = missing_from_domain(accepts)
    if missing:
        raise SubjectError(
            f"subject {name!r} declares an asset-key domain (accepts_asset_key) that rejects "
            f"{', '.join(missing)}: a domain must contain every key of one or two components "
            f"matching [A-Za-z0-9_]+ (IOM-ID-014)"
        )


def initialize_source(source: object, config: Mapping[str, Any] | None) -> object:
    """Initialise a definition or factory with ``config`` (raises as the definition does)."""
    from conformance.coercion import initialize

    return initialize(source, config)
