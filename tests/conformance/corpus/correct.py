"""Correct managers in five storage styles, two that declare what they do not accept
(``None``; asset keys outside a table's domain) and one with column projection
(``column_projection``); each must pass every MUST requirement.

They are the corpus' negative control: a kit that fails one of them has a false positive.
"""

from __future__ import annotations

import base64
import hashlib
import json
import pickle
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from conformance.subject import Capabilities, Subject
from tests.conformance.corpus.base import (
    AssetKeyOutsideDomainError,
    DictManager,
    KeyedManager,
    MissingValueError,
    PickleDirManager,
    StorageKey,
    allows_missing,
    table_key_domain,
    write_atomically,
)
from tests.conformance.corpus.columns import ColumnTableManager
from tests.conformance.corpus.tables import RowTableManager

__all__ = [
    "CORRECT_MANAGERS",
    "ColumnTableManager",
    "DictByIdentifierManager",
    "HashedPickleDirManager",
    "JsonBase64PickleManager",
    "NoNonePickleDirManager",
    "RowTableManager",
    "SqliteManager",
    "TableKeyDictManager",
]


class DictByIdentifierManager:
    """Written from scratch (no shared base): a dict keyed by identifier tuples."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, tuple[str, ...], str | None], Any] = {}

    @staticmethod
    def _key(context: Any, partition: str | None = None) -> tuple[str, tuple[str, ...], str | None]:
        if context.has_asset_key:
            return ("asset", tuple(context.asset_key.path), partition)
        return ("op", tuple(context.get_identifier()), None)

    def handle_output(self, context: Any, obj: Any) -> None:
        """Store under the identifier; one partition at a time."""
        if context.has_asset_key and context.has_asset_partitions:
            (partition,) = _single(context.asset_partition_keys)
            self._values[self._key(context, partition)] = obj
        else:
            self._values[self._key(context)] = obj

    def load_input(self, context: Any) -> Any:
        """The bare value, or for a partition range a mapping in range order."""
        if not (context.has_asset_key and context.has_asset_partitions):
            return self._lookup(self._key(context))
        keys = list(context.asset_partition_keys)
        found = {}
        for partition in keys:
            key = self._key(context, partition)
            if key in self._values:
                found[partition] = self._values[key]
            elif not allows_missing(context):
                raise KeyError(f"partition {partition!r} of {key[1]!r} was never stored")
        if not keys:
            return None
        return found.get(keys[0]) if len(keys) == 1 else found

    def _lookup(self, key: tuple[str, tuple[str, ...], str | None]) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise KeyError(f"nothing stored for {key!r}") from None


def _single(keys: Any) -> tuple[str]:
    keys = tuple(keys)
    if len(keys) != 1:
        raise ValueError(f"one partition per output, got {len(keys)}")
    return (keys[0],)


class HashedPickleDirManager(PickleDirManager):
    """A directory of pickle files named by the SHA-256 of the key (the shared base as is)."""


class SqliteManager(KeyedManager):
    """Rows of (key JSON, pickle blob) in ``<base_dir>/store.sqlite``; one connection per call."""

    def __init__(self, base_dir: str) -> None:
        self.database = Path(base_dir) / "store.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.database.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.database)
        connection.execute("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
        return connection

    def put(self, key: StorageKey, obj: Any) -> None:
        """Upsert the pickled value in one transaction."""
        blob = pickle.dumps(obj)
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
                (json.dumps(key), blob),
            )

    def get(self, key: StorageKey) -> Any:
        """Select and unpickle; no row is :class:`MissingValueError`."""
        with closing(self._connect()) as connection:
            row = connection.execute("SELECT v FROM kv WHERE k = ?", (json.dumps(key),)).fetchone()
        if row is None:
            raise MissingValueError(f"no row for {key!r}")
        return pickle.loads(row[0])


class JsonBase64PickleManager(KeyedManager):
    """One JSON document per key, ``{"key": [...], "pickle": "<base64>"}``, in a folder per asset.

    The file name is a hash; the key stored inside is compared on read, so a hash collision
    would be detected instead of returning another key's value.
    """

    def __init__(self, base_dir: str) -> None:
        self.root = Path(base_dir)

    def _path(self, key: StorageKey) -> Path:
        folder = hashlib.blake2b(repr(key[:2]).encode(), digest_size=8).hexdigest()
        name = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
        return self.root / folder / f"{name}.json"

    def put(self, key: StorageKey, obj: Any) -> None:
        """Serialize first, then write atomically."""
        document = {"key": repr(key), "pickle": base64.b64encode(pickle.dumps(obj)).decode()}
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(document).encode())

    def get(self, key: StorageKey) -> Any:
        """Read, verify the key, decode."""
        try:
            document = json.loads(self._path(key).read_text())
        except FileNotFoundError:
            raise MissingValueError(f"nothing stored for {key!r}") from None
        if document["key"] != repr(key):
            raise MissingValueError(f"hash collision for {key!r}")
        return pickle.loads(base64.b64decode(document["pickle"]))


class NoNonePickleDirManager(PickleDirManager):
    """Hashed pickle files for a manager that does not store ``None`` (``stores_none=False``):
    ``None`` is refused with a ``TypeError`` before anything is written."""

    @classmethod
    def subject(cls) -> Subject:
        """A directory factory that declares it does not store ``None``."""
        caps = Capabilities(durable=True, storage_root=True, stores_none=False)
        return Subject.from_object(cls, capabilities=caps)

    def put(self, key: StorageKey, obj: Any) -> None:
        """Refuse ``None``; store anything else."""
        if obj is None:
            raise TypeError(f"this manager does not store None (output {key!r})")
        super().put(key, obj)


class TableKeyDictManager(DictManager):
    """A dict manager that declares a table manager's asset-key domain (``(table,)`` or
    ``(schema, table)``, IOM-ID-014) and refuses every other asset key before storing."""

    @classmethod
    def subject(cls) -> Subject:
        """Declares the table domain (one or two ``[A-Za-z0-9_]+`` components)."""
        return Subject.from_object(cls, accepts_asset_key=table_key_domain)

    def handle_output(self, context: Any, obj: Any) -> None:
        """Refuse an asset key outside the domain; store as usual otherwise."""
        if context.has_asset_key and not table_key_domain(tuple(context.asset_key.path)):
            raise AssetKeyOutsideDomainError(
                f"asset key {list(context.asset_key.path)} is not (table,) or (schema, table) "
                f"with components [A-Za-z0-9_]+"
            )
        super().handle_output(context, obj)


CORRECT_MANAGERS: tuple[type, ...] = (
    DictByIdentifierManager,
    HashedPickleDirManager,
    SqliteManager,
    JsonBase64PickleManager,
    RowTableManager,
    NoNonePickleDirManager,
    TableKeyDictManager,
    ColumnTableManager,
)
