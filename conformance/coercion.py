"""Coercion of the objects users have at hand into manager factories for a :class:`Subject`.

A definition (``resource_fn``), a configurable factory or manager (class or instance, re-created
with the storage directory in its directory field) or a plain callable becomes a factory of
zero arguments or one (the storage directory); :func:`factory_for` raises
:class:`~conformance.subject.SubjectError` when that cannot be done.
"""

from __future__ import annotations

import importlib
import inspect
import pathlib
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from conformance.subject import DIRECTORY_FIELDS, SubjectError
from reference_impl.narrowing import is_mapping

__all__ = ["arity", "describe", "factory_for", "initialize", "require_manager"]


def _is_manager(obj: object) -> bool:
    return callable(getattr(obj, "handle_output", None)) and callable(
        getattr(obj, "load_input", None)
    )


def require_manager(made: object, subject_name: str) -> object:
    """``made``, when it is a manager (``handle_output`` and ``load_input``); else raise."""
    if _is_manager(made):
        return made
    raise SubjectError(
        f"the factory of subject {subject_name!r} returned {type(made).__name__}, which has no "
        f"callable handle_output(context, obj) and load_input(context)"
    )


def describe(obj: object) -> str:
    """A name for ``obj`` in subject names and messages: ``module.qualname`` of it or its type."""
    target = obj if isinstance(obj, type) or inspect.isroutine(obj) else type(obj)
    qualname = getattr(target, "__qualname__", None) or repr(obj)
    module = getattr(target, "__module__", "")
    return f"{module}.{qualname}" if module and module != "builtins" else str(qualname)


def arity(fn: Callable[..., object]) -> int:
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
        if is_mapping(candidate):
            return tuple(str(k) for k in candidate)
    as_field = getattr(schema, "as_field", None)
    if callable(as_field):
        try:
            config_type = getattr(as_field(), "config_type", None)
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
    if not is_mapping(found):
        found = getattr(cls, "__config_fields__", None)
    if not is_mapping(found):
        return None
    return {str(name): info for name, info in found.items() if getattr(info, "init", True)}


def _accepts_str(hint: object) -> bool:
    """Whether a field annotated ``hint`` takes a ``str`` (``str``, ``str | None``, ``Any``)."""
    if hint is str or hint is Any or hint is object or isinstance(hint, str):
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
        if is_mapping(found):
            return tuple(str(k) for k in found)
    parameters: Mapping[str, inspect.Parameter]
    try:
        parameters = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        parameters = {}
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


def initialize(source: object, config: Mapping[str, Any] | None) -> object:
    """The manager built from a definition or factory by reference_impl's public initialiser."""
    definitions = importlib.import_module("reference_impl.definitions")
    initialize_io_manager = getattr(definitions, "initialize_io_manager", None)
    if initialize_io_manager is None:
        raise SubjectError(
            "reference_impl.definitions.initialize_io_manager is not available, so definitions "
            "cannot be initialised; pass a factory callable instead"
        )
    return initialize_io_manager(source, dict(config) if config else None)


def _definition_factory(defn: Any) -> Callable[..., object]:
    dir_field = _directory_field(_schema_field_names(getattr(defn, "config_schema", None)))
    if dir_field is None:
        return lambda: initialize(defn, None)

    def with_directory(directory: pathlib.Path) -> object:
        return initialize(defn, {dir_field: str(directory)})

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
        return initialize(made, None) if _is_factory(made) else made

    if dir_field is not None:

        def with_directory(directory: pathlib.Path) -> object:
            return build(**{dir_field: str(directory)})

        return with_directory
    try:
        build()
    except Exception:
        return None
    return lambda: build()


def factory_for(obj: object) -> tuple[Callable[..., object], bool]:
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
            f"cannot create instances of {describe(obj)}: its constructor needs arguments the "
            f"kit cannot supply; pass a zero-argument factory, or one taking the storage "
            f"directory (a pathlib.Path)"
        )
    if callable(obj):
        if arity(obj) in (0, 1):
            return obj, False
        raise SubjectError(
            f"{describe(obj)} must take no argument or exactly one (a pathlib.Path storage "
            f"directory) to be used as a manager factory"
        )
    raise SubjectError(
        f"cannot check {type(obj).__name__} {obj!r}: expected an IO manager (with "
        f"handle_output/load_input), an IO manager definition, a configurable IO manager "
        f"(factory) class or instance, a Subject, or a factory callable"
    )
