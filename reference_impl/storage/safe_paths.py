"""Safe, injective mapping of key components to path components, and root confinement.

Every component of a storage path (run id, step key, output name, mapping key, version, asset
key component, partition key) goes through :func:`encode_component`:

* a *plain* component is kept verbatim, so the layout equals Dagster's for every key Dagster
  handles safely (``my_asset``, ``2023-01-01``, ``v1.2``, ``2023-01-01-05:00``);
* anything else becomes ``%`` + its percent-encoding (``..`` -> ``%..``, ``""`` -> ``%``,
  ``a/b`` -> ``%a%2Fb``), or ``%#`` + a SHA-256 hex digest when that is too long.

A plain component never starts with ``%``, a percent-encoding never contains ``#``, and
percent-encoding is reversible, so the mapping is injective (IOM-ID-011, IOM-SEC-002).
Encoded components are never ``.``, ``..``, empty, absolute, or contain a separator, so a path
built from them cannot leave its root (IOM-SEC-001); :func:`ensure_inside_root` checks that
again on the final path before anything is written.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Iterable
from urllib.parse import quote

from upath import UPath

from reference_impl.errors import UnsafeKeyError

__all__ = [
    "ENCODED_MARKER",
    "MAX_COMPONENT_BYTES",
    "TEMP_FILE_MARKER",
    "encode_component",
    "encode_components",
    "ensure_inside_root",
    "escape_component",
    "is_local_path",
    "is_plain_component",
]

ENCODED_MARKER = "%"
"""Every encoded component starts with this; no plain component does."""

HASHED_MARKER = "%#"
"""Prefix of the hashed form of a component whose encoding would be too long."""

TEMP_FILE_MARKER = "%!"
"""Prefix of in-flight temporary files; no plain or encoded component starts with it."""

MAX_COMPONENT_BYTES = 200
"""Longest component (UTF-8 bytes) written verbatim; leaves room for an extension (NAME_MAX 255)."""

_FORBIDDEN_SUBSTRINGS = ("/", "\\", "\x00", "::")


def is_plain_component(component: str) -> bool:
    """Whether ``component`` can be used verbatim as a path component.

    Plain means: not empty, not ``.`` or ``..``, no ``/``, ``\\``, NUL or ``::`` (fsspec's URL
    chaining), does not start with the encoding marker ``%``, is valid UTF-8 and at most
    :data:`MAX_COMPONENT_BYTES` bytes long.
    """
    if component in ("", ".", "..") or component.startswith(ENCODED_MARKER):
        return False
    if any(bad in component for bad in _FORBIDDEN_SUBSTRINGS):
        return False
    try:
        size = len(component.encode("utf-8"))
    except UnicodeEncodeError:
        return False
    return size <= MAX_COMPONENT_BYTES


def encode_component(component: str) -> str:
    """Map one key component to a safe path component (injective, see the module docstring).

    Raises :class:`UnsafeKeyError` when ``component`` is not a ``str``.
    """
    if not isinstance(component, str):
        raise UnsafeKeyError(
            f"key component {component!r} is a {type(component).__name__}, not a str; "
            "asset keys, partition keys and identifiers must be made of strings"
        )
    if is_plain_component(component):
        return component
    quoted = ENCODED_MARKER + quote(component, safe="", errors="surrogatepass")
    if len(quoted) <= MAX_COMPONENT_BYTES:
        return quoted
    digest = hashlib.sha256(component.encode("utf-8", errors="surrogatepass")).hexdigest()
    return HASHED_MARKER + digest


def escape_component(component: str) -> str:
    """The percent-encoded form of a short plain ``component`` (used to reserve a name).

    :func:`encode_component` never encodes a plain component, so no key component maps to this
    form. Raises :class:`UnsafeKeyError` for a component that is not plain or too long.
    """
    if not is_plain_component(component) or len(component) * 3 >= MAX_COMPONENT_BYTES:
        raise UnsafeKeyError(f"only short plain components can be escaped, not {component!r}")
    return ENCODED_MARKER + quote(component, safe="", errors="surrogatepass")


def encode_components(components: Iterable[str]) -> list[str]:
    """Encode every component of a key with :func:`encode_component`."""
    return [encode_component(component) for component in components]


def is_local_path(path: UPath) -> bool:
    """Whether ``path`` lives on the local filesystem (plain path or ``file://`` URL)."""
    return path.protocol in ("", "file", "local")


def ensure_inside_root(root: UPath, path: UPath) -> None:
    """Raise :class:`UnsafeKeyError` unless ``path`` lies strictly below ``root``.

    The check is lexical for every filesystem and, for local paths, also follows symlinks
    (``os.path.realpath``), so a symlink planted under the root cannot redirect a write.
    """
    if path.protocol != root.protocol:
        raise UnsafeKeyError(
            f"storage path {str(path)!r} uses protocol {path.protocol!r}, but the storage root "
            f"{str(root)!r} uses {root.protocol!r}; relative paths must not carry a protocol"
        )
    local = is_local_path(root)
    root_text = _normalized(root.path or ".", local)
    path_text = _normalized(path.path or ".", local)
    if not _is_strictly_below(root_text, path_text):
        raise _escape_error(root, path)
    if local:
        real_root = os.path.realpath(root_text)
        real_path = os.path.realpath(path_text)
        if not _is_strictly_below(real_root, real_path):
            raise _escape_error(root, path)


def _normalized(text: str, local: bool) -> str:
    return os.path.abspath(text) if local else posixpath.normpath(text)


def _is_strictly_below(root: str, path: str) -> bool:
    if path == root:
        return False
    prefix = root if root.endswith("/") else root + "/"
    return path.startswith(prefix)


def _escape_error(root: UPath, path: UPath) -> UnsafeKeyError:
    return UnsafeKeyError(
        f"refusing to touch {str(path)!r}: it is not inside the storage root {str(root)!r}. "
        "A key component or a get_*_relative_path override produced '..', an absolute path or "
        "a symlink out of the root; use plain key components"
    )
