"""Value families: which values a manager stores and how two of them compare.

A family names a strategy of values and the equality that decides their round trips:
``pickle`` (the default: any picklable value, compared strictly), ``json``, ``msgpack``,
``pandas``, ``polars`` and ``arrow``. :func:`resolve_values` also accepts ``MODULE:STRATEGY``
(a strategy object, or a zero-argument function returning one) and :func:`resolve_equals`
``MODULE:FUNC``. Families needing an optional library raise :class:`MissingValuesLibrary`
naming what to install.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from hypothesis.strategies import SearchStrategy

from conformance.subject import SubjectError, strict_equals

__all__ = [
    "FAMILIES",
    "MissingValuesLibrary",
    "ValueFamily",
    "ValuesError",
    "default_equals",
    "family",
    "resolve_equals",
    "resolve_values",
]


class ValuesError(SubjectError):
    """A ``values``/``equals`` argument names no family, strategy or function."""


class MissingValuesLibrary(ValuesError):
    """A value family needs a library that is not installed; the message names the package."""


@dataclass(frozen=True)
class ValueFamily:
    """A named value strategy with its equality. ``requires`` is the module the family needs
    (``None``: nothing beyond the kit) and ``package`` what to ``pip install`` for it;
    ``stores_none`` is the capability a manager of this family declares by default; ``concat``
    joins values into one (a table of their rows: ``Subject.concat``), when the family has one.
    """

    name: str
    summary: str
    strategy: Callable[[], SearchStrategy[object]]
    equals: Callable[[object, object], bool]
    requires: str | None = None
    package: str | None = None
    stores_none: bool = True
    concat: Callable[[Sequence[object]], object] | None = None

    def values(self) -> SearchStrategy[object]:
        """The family's strategy; raises :class:`MissingValuesLibrary` when its library is
        not installed."""
        if self.requires is not None and importlib.util.find_spec(self.requires) is None:
            raise MissingValuesLibrary(
                f"the {self.name!r} value family needs {self.requires}, which is not "
                f"installed: pip install {self.package or self.requires}"
            )
        return self.strategy()


def _pickle() -> SearchStrategy[object]:
    from conformance.strategies import values

    return values()


def _json() -> SearchStrategy[object]:
    from conformance.strategies import json_values

    return json_values()


def _msgpack() -> SearchStrategy[object]:
    from conformance.strategies import msgpack_values

    return msgpack_values()


def _pandas() -> SearchStrategy[object]:
    from conformance.strategies import pandas_frames

    return pandas_frames()


def _polars() -> SearchStrategy[object]:
    from conformance.strategies import polars_frames

    return polars_frames()


def _arrow() -> SearchStrategy[object]:
    from conformance.strategies import arrow_tables

    return arrow_tables()


def _frames_equal(left: object, right: object) -> bool:
    from conformance.equality import frames_equal

    return frames_equal(left, right)


def _concat_frames(frames: Sequence[object]) -> object:
    from conformance.strategies.dataframes import concat_frames

    return concat_frames(frames)


def _concat_tables(tables: Sequence[object]) -> object:
    import pyarrow

    pa: Any = pyarrow  # pyarrow's compiled functions carry no types
    return pa.concat_tables(list(tables))


def _arrow_equal(left: object, right: object) -> bool:
    from conformance.equality import arrow_tables_equal

    return arrow_tables_equal(left, right)


FAMILIES: dict[str, ValueFamily] = {
    f.name: f
    for f in (
        ValueFamily("pickle", "any picklable value: scalars, bytes, tuples, sets, nesting",
                    _pickle, strict_equals),
        ValueFamily("json", "JSON values: None, bool, int, float, str, lists, str-keyed dicts",
                    _json, strict_equals),
        ValueFamily("msgpack", "msgpack-safe values: the JSON values plus bytes",
                    _msgpack, strict_equals),
        ValueFamily("pandas", "pandas.DataFrame (exact dtypes, columns and rows)", _pandas,
                    _frames_equal, "pandas", "pandas", stores_none=False,
                    concat=_concat_frames),
        ValueFamily("polars", "polars.DataFrame (exact dtypes, columns and rows)", _polars,
                    _frames_equal, "polars", "polars", stores_none=False,
                    concat=_concat_frames),
        ValueFamily("arrow", "pyarrow.Table (Table.equals)", _arrow, _arrow_equal,
                    "pyarrow", "pyarrow", stores_none=False, concat=_concat_tables),
    )
}
"""The built-in value families by name (``--values NAME``)."""


def family(name: str) -> ValueFamily:
    """The built-in family ``name``; raises :class:`ValuesError` naming the known ones."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValuesError(
            f"unknown value family {name!r}: use one of {', '.join(FAMILIES)}, or "
            f"'MODULE:STRATEGY' naming a hypothesis strategy"
        ) from None


def resolve_values(spec: str | SearchStrategy[object]) -> SearchStrategy[object]:
    """The strategy ``spec`` names: a family name, ``MODULE:STRATEGY`` (a strategy or a
    zero-argument function returning one) or a strategy (returned as is)."""
    if isinstance(spec, SearchStrategy):
        return spec
    if not isinstance(spec, str):
        raise ValuesError(
            f"values must be a hypothesis strategy, a family name ({', '.join(FAMILIES)}) or "
            f"'MODULE:STRATEGY', not {type(spec).__name__}"
        )
    if ":" not in spec:
        return family(spec).values()
    found = _import(spec, "values")
    if callable(found) and not isinstance(found, SearchStrategy):
        found = found()
    if not isinstance(found, SearchStrategy):
        raise ValuesError(
            f"--values {spec}: expected a hypothesis strategy or a zero-argument function "
            f"returning one, got {type(found).__name__}"
        )
    return cast("SearchStrategy[object]", found)  # a strategy of values, whatever their type


def resolve_equals(
    spec: str | Callable[[object, object], bool],
) -> Callable[[object, object], bool]:
    """The equality ``spec`` names: ``MODULE:FUNC`` or a callable (returned as is)."""
    if not isinstance(spec, str):
        if callable(spec):
            return spec
        raise ValuesError(f"equals must be a callable or 'MODULE:FUNC', not {type(spec).__name__}")
    found = _import(spec, "equals")
    if not callable(found):
        raise ValuesError(
            f"--equals {spec}: expected a function of two values returning bool, got "
            f"{type(found).__name__}"
        )
    # Only checked to be callable: it is called with two values, its result taken as a bool.
    return cast("Callable[[object, object], bool]", found)


def default_equals(spec: str | SearchStrategy[object] | None) -> Callable[[object, object], bool]:
    """The equality that goes with ``spec``: its family's for a family name, else strict."""
    if isinstance(spec, str) and ":" not in spec:
        return family(spec).equals
    return strict_equals


def _import(spec: str, option: str) -> object:
    from conformance.target import TargetError, resolve_target

    try:
        return resolve_target(spec)
    except TargetError as error:
        raise ValuesError(f"--{option} {spec}: {error}") from error
