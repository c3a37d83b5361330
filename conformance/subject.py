"""What the kit checks: a :class:`Subject` = a manager factory plus declared capabilities.

:meth:`Subject.from_object` coerces the things users have at hand (a manager class or instance,
an ``@io_manager`` definition, a configurable factory, a plain callable) into a Subject. The
factory is called once per example (and again for "fresh instance on the same storage" checks),
so every example starts from empty storage.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pathlib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from hypothesis.strategies import SearchStrategy

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
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(strict_equals, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
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

    def __post_init__(self) -> None:
        _validate_domain(self.name, self.accepts_asset_key)
        caps = self.capabilities
        if caps.concatenated_range_loads and self.concat is None:
            raise SubjectError(
                f"subject {self.name!r} declares concatenated_range_loads but gives no concat: "
                "pass Subject(..., concat=...) joining a sequence of values into the one value "
                "a range loads as (e.g. pandas.concat for DataFrames)"
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
        return _arity(self.factory) == 1

    def make(self, directory: pathlib.Path | None) -> object:
        """Call the factory (with ``directory`` when it takes one) and return the manager."""
        if self.takes_directory:
            if directory is None:
                raise SubjectError(f"subject {self.name!r} needs a storage directory")
            return _require_manager(self.factory(directory), self.name)
        return _require_manager(self.factory(), self.name)

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
        factory is neither. A manager instance whose class cannot be re-created is used as a
        shared, non-durable singleton (see :attr:`shared_instance`). ``accepts_asset_key``
        declares an asset-key domain (IOM-ID-014; see :attr:`accepts_asset_key`).
        ``values`` is a hypothesis strategy, a value family name (``"json"``; see
        :mod:`conformance.families`) or ``"MODULE:STRATEGY"``; ``equals`` a function of (loaded,
        stored) or ``"MODULE:FUNC"`` (default: the family's equality, else
        :func:`strict_equals`). A family that does not store ``None`` (the frame families)
        makes ``stores_none`` default to false; a family that joins values (frames, tables)
        sets :attr:`concat`. Raises ``ValuesError`` (a SubjectError) for
        values or equals that name nothing, ``MissingValuesLibrary`` for a family whose
        library is not installed.
        """
        chosen = _chosen_values(values, equals)
        if isinstance(obj, Subject):
            renamed = obj if name is None else replace(obj, name=name)
            if accepts_asset_key is not None:
                renamed = replace(renamed, accepts_asset_key=accepts_asset_key)
            if chosen:
                renamed = replace(renamed, **chosen)
            return renamed if capabilities is None else replace(renamed, capabilities=capabilities)
        factory, shared = _factory_for(obj)
        takes_dir = _arity(factory) == 1
        default_caps = Capabilities(
            durable=takes_dir, storage_root=takes_dir, stores_none=_family_stores_none(values)
        )
        return cls(
            name=name or _describe(obj),
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


# --------------------------------------------------------------------------- coercion helpers


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


def _is_manager(obj: object) -> bool:
    return callable(getattr(obj, "handle_output", None)) and callable(
        getattr(obj, "load_input", None)
    )


def _require_manager(made: object, subject_name: str) -> object:
    if _is_manager(made):
        return made
    raise SubjectError(
        f"the factory of subject {subject_name!r} returned {type(made).__name__}, which has no "
        f"callable handle_output(context, obj) and load_input(context)"
    )


def _describe(obj: object) -> str:
    target = obj if isinstance(obj, type) or inspect.isroutine(obj) else type(obj)
    qualname = getattr(target, "__qualname__", None) or repr(obj)
    module = getattr(target, "__module__", "")
    return f"{module}.{qualname}" if module and module != "builtins" else str(qualname)


def _arity(fn: Callable[..., object]) -> int:
    """Number of required positional parameters, or -1 when it cannot be called with 0 or 1."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return 0
    required = [
        p
        for p in sig.parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if any(p.kind is p.KEYWORD_ONLY for p in required) or len(required) > 1:
        return -1
    return len(required)


def _directory_field(names: object) -> str | None:
    """The first directory-like name among ``names`` (an iterable of field names)."""
    try:
        present = set(names)  # type: ignore[call-overload]
    except TypeError:
        return None
    return next((n for n in DIRECTORY_FIELDS if n in present), None)


def _schema_field_names(schema: object) -> tuple[str, ...]:
    """Best-effort field names of a config schema (a mapping, or an object with ``fields``)."""
    for candidate in (schema, getattr(schema, "fields", None)):
        if isinstance(candidate, Mapping):
            return tuple(str(k) for k in candidate)
    as_field = getattr(schema, "as_field", None)
    if callable(as_field):
        try:
            config_type = as_field().config_type
            return tuple(str(k) for k in getattr(config_type, "fields", {}))
        except Exception:
            return ()
    return ()


def _structured_fields(cls: type) -> dict[str, Any] | None:
    """The init fields of a structured-config class (``reference_impl.definitions.Config``:
    ``_config_fields()``, cached in ``__config_fields__``) by name, each with its field info
    (``hint``, ``init``), or None when ``cls`` is not one."""
    found: object = None
    compute = getattr(cls, "_config_fields", None)
    if callable(compute):
        try:
            found = compute()
        except Exception:
            found = None
    if not isinstance(found, Mapping):
        found = getattr(cls, "__config_fields__", None)
    if not isinstance(found, Mapping):
        return None
    return {str(name): info for name, info in found.items() if getattr(info, "init", True)}


def _accepts_str(hint: object) -> bool:
    """Whether a field annotated ``hint`` takes a ``str`` (``str``, ``str | None``, ``Any``)."""
    if hint in (str, Any, object) or isinstance(hint, str):
        return True
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_accepts_str(arg) for arg in typing.get_args(hint))
    return False


def _class_field_names(cls: type) -> tuple[str, ...]:
    structured = _structured_fields(cls)
    if structured is not None:
        return tuple(structured)
    for attr in ("model_fields", "__dataclass_fields__"):
        found = getattr(cls, attr, None)
        if isinstance(found, Mapping):
            return tuple(str(k) for k in found)
    try:
        parameters = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        parameters = {}  # type: ignore[assignment]
    named = [n for n, p in parameters.items() if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
    if not any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return tuple(named)
    annotated: dict[str, None] = dict.fromkeys(named)  # plus fields declared by annotation
    for klass in reversed(cls.__mro__):
        annotated.update(dict.fromkeys(inspect.get_annotations(klass)))
    return tuple(n for n in annotated if not n.startswith("_"))


def _class_directory_field(cls: type, names: tuple[str, ...]) -> str | None:
    """The field of ``cls`` that receives the storage directory: the first directory-like name
    (:data:`DIRECTORY_FIELDS`), which for a structured-config class must accept a ``str``."""
    structured = _structured_fields(cls)
    if structured is None:
        return _directory_field(names)
    usable = [n for n, info in structured.items() if _accepts_str(getattr(info, "hint", str))]
    return _directory_field(usable)


def _initialize(source: object, config: Mapping[str, Any] | None) -> object:
    """The manager built from a definition or factory by reference_impl's public initialiser."""
    definitions = importlib.import_module("reference_impl.definitions")
    initialize = getattr(definitions, "initialize_io_manager", None)
    if initialize is None:
        raise SubjectError(
            "reference_impl.definitions.initialize_io_manager is not available, so definitions "
            "cannot be initialised; pass a factory callable instead"
        )
    return initialize(source, dict(config) if config else None)


def initialize_source(source: object, config: Mapping[str, Any] | None) -> object:
    """Initialise a definition or factory with ``config`` (raises as the definition does)."""
    return _initialize(source, config)


def _definition_factory(defn: Any) -> Callable[..., object]:
    dir_field = _directory_field(_schema_field_names(getattr(defn, "config_schema", None)))
    if dir_field is None:
        return lambda: _initialize(defn, None)

    def with_directory(directory: pathlib.Path) -> object:
        return _initialize(defn, {dir_field: str(directory)})

    return with_directory


def _is_factory(obj: object) -> bool:
    return callable(getattr(obj, "create_io_manager", None)) and not _is_manager(obj)


def _field_values(obj: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The instance's values of ``names``: as given for structured config (an ``EnvVar`` stays
    unresolved, and is resolved again by the re-created instance), else its attributes."""
    given = getattr(obj, "config_values", None)
    if isinstance(given, Mapping):
        return {n: given[n] for n in names if n in given}
    return {n: getattr(obj, n) for n in names if hasattr(obj, n)}


def _configurable_factory(obj: object) -> Callable[..., object] | None:
    """For a class or instance with fields: re-create it, with the directory field overridden."""
    cls = obj if isinstance(obj, type) else type(obj)
    names = _class_field_names(cls)
    current = {} if isinstance(obj, type) else _field_values(obj, names)
    dir_field = _class_directory_field(cls, names)

    def build(**overrides: Any) -> object:
        made = cls(**{**current, **overrides})
        return _initialize(made, None) if _is_factory(made) else made

    if dir_field is not None:

        def with_directory(directory: pathlib.Path) -> object:
            return build(**{dir_field: str(directory)})

        return with_directory
    try:
        build()
    except Exception:
        return None
    return lambda: build()


def _factory_for(obj: object) -> tuple[Callable[..., object], bool]:
    """A factory for ``obj`` and whether it shares one instance across calls."""
    if callable(getattr(obj, "resource_fn", None)):
        return _definition_factory(obj), False
    if isinstance(obj, type) or _is_factory(obj) or _is_manager(obj):
        rebuilt = _configurable_factory(obj)
        if rebuilt is not None:
            return rebuilt, False
        if not isinstance(obj, type) and _is_manager(obj):
            return (lambda: obj), True
        raise SubjectError(
            f"cannot create instances of {_describe(obj)}: its constructor needs arguments the "
            f"kit cannot supply; pass a zero-argument factory, or one taking the storage "
            f"directory (a pathlib.Path)"
        )
    if callable(obj):
        if _arity(obj) in (0, 1):
            return obj, False
        raise SubjectError(
            f"{_describe(obj)} must take no argument or exactly one (a pathlib.Path storage "
            f"directory) to be used as a manager factory"
        )
    raise SubjectError(
        f"cannot check {type(obj).__name__} {obj!r}: expected an IO manager (with "
        f"handle_output/load_input), an IO manager definition, a configurable IO manager "
        f"(factory) class or instance, a Subject, or a factory callable"
    )
