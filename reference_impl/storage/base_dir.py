"""Where ``FilesystemIOManager`` stores values when no ``base_dir`` is configured.

Order (as Dagster's docstring): the configured ``base_dir``; ``<local_artifact_storage
base_dir>/storage`` from ``$DAGSTER_HOME/dagster.yaml``; ``$DAGSTER_HOME/storage``; a fresh
temporary directory. Only the one YAML key is read, by a small line parser (no YAML dependency).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping

__all__ = ["read_local_artifact_storage_dir", "resolve_base_dir"]


def resolve_base_dir(configured: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The storage directory for ``configured`` (a falsy value falls back, like Dagster's ``or``).

    The temporary-directory fallback creates ``<tmp>/storage`` on every call.
    """
    if configured:
        return configured
    env = os.environ if environ is None else environ
    home = env.get("DAGSTER_HOME")
    if home:
        artifact_dir = read_local_artifact_storage_dir(os.path.join(home, "dagster.yaml"))
        return os.path.join(artifact_dir or home, "storage")
    return os.path.join(tempfile.mkdtemp(prefix="reference_impl-"), "storage")


def read_local_artifact_storage_dir(yaml_path: str) -> str | None:
    """``local_artifact_storage.config.base_dir`` from a ``dagster.yaml``, or ``None``.

    Understands the block form Dagster documents::

        local_artifact_storage:
          module: dagster._core.storage.root
          class: LocalArtifactStorage
          config:
            base_dir: /path/to/dir

    A missing file, a missing key, or an ``env:`` indirection that is unset gives ``None``.
    """
    try:
        with open(yaml_path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    path: list[tuple[int, str]] = []
    for raw in lines:
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#") or ":" not in line:
            continue
        indent = len(line) - len(line.lstrip())
        key, _, value = line.strip().partition(":")
        while path and path[-1][0] >= indent:
            path.pop()
        names = [name for _, name in path] + [key.strip()]
        value = value.strip()
        if names == ["local_artifact_storage", "config", "base_dir"]:
            return _scalar(value) if value else None
        if names == ["local_artifact_storage", "config", "base_dir", "env"] and value:
            return os.environ.get(_scalar(value)) or None
        path.append((indent, key.strip()))
    return None


def _scalar(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
