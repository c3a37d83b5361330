"""Resolve a ``module:attr`` or ``path/to/file.py:attr`` target string to a Python object.

The attribute may be dotted (``pkg.mod:Outer.factory``). A file target is loaded by path under a
private module name; ``sys.path`` is extended by the file's directory only while it executes (so
sibling imports work) and restored afterwards. Every failure raises :class:`TargetError` with a
message that says what was wrong and how the target should look.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["TargetError", "is_path_target", "resolve_target", "split_target"]

_FORMAT_HINT = "expected 'package.module:attribute' or 'path/to/file.py:attribute'"


class TargetError(ValueError):
    """A target string could not be resolved to an object.

    ``cause`` is the original exception when the failure came from importing user code.
    """

    def __init__(self, message: str, *, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.cause = cause


def split_target(target: str) -> tuple[str, str]:
    """Split ``target`` into ``(module_or_path, dotted_attribute)``; raise for a malformed one."""
    source, sep, attribute = target.rpartition(":")
    if not sep or not source.strip() or not attribute.strip():
        raise TargetError(f"malformed target {target!r}: {_FORMAT_HINT}")
    if any(not part.isidentifier() for part in attribute.split(".")):
        raise TargetError(
            f"malformed target {target!r}: {attribute!r} is not a dotted attribute name; "
            f"{_FORMAT_HINT}"
        )
    return source, attribute


def resolve_target(target: str) -> object:
    """Import the module or file named by ``target`` and return its (dotted) attribute."""
    source, attribute = split_target(target)
    module = _load_file(source) if is_path_target(source) else _import_module(source)
    obj: object = module
    walked: list[str] = []
    for part in attribute.split("."):
        walked.append(part)
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise TargetError(
                f"target {target!r}: {source!r} has no attribute {'.'.join(walked)!r}"
            ) from None
    return obj


def is_path_target(source: str) -> bool:
    """Whether the module part of a target names a file (``x.py`` or a path) or a module."""
    return source.endswith(".py") or "/" in source or "\\" in source


def _import_module(name: str) -> ModuleType:
    if any(not part.isidentifier() for part in name.split(".")):
        raise TargetError(f"malformed target module {name!r}: {_FORMAT_HINT}")
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            raise TargetError(
                f"module {name!r} not found; is it installed, or on PYTHONPATH? "
                f"(for a file, pass 'path/to/file.py:attribute')",
                cause=exc,
            ) from exc
        raise _import_failed(name, exc) from exc
    except Exception as exc:
        raise _import_failed(name, exc) from exc


def _load_file(source: str) -> ModuleType:
    path = Path(source).expanduser().resolve()
    if not path.is_file():
        raise TargetError(f"file {source!r} not found (resolved to {str(path)!r})")
    digest = hashlib.sha1(str(path).encode(), usedforsecurity=False).hexdigest()[:12]
    module_name = f"_iomanager_conformance_target_{path.stem}_{digest}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise TargetError(f"file {source!r} cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickle look the module up by name
    parent = str(path.parent)
    sys.path.insert(0, parent)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[module_name]
        raise _import_failed(source, exc) from exc
    finally:
        with contextlib.suppress(ValueError):  # the file itself removed it
            sys.path.remove(parent)
    return module


def _import_failed(source: str, exc: BaseException) -> TargetError:
    return TargetError(
        f"importing {source!r} failed: {type(exc).__name__}: {exc}", cause=exc
    )
