"""Small real stand-ins for the seed's placeholders (``write_csv``, ``read_csv``, ``do_stuff``,
``database.connect``, ``df``)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DF: list[list[str]] = [[str(i), f"row{i}"] for i in range(7)]
"""The stand-in for the seed's ``df``: a small table (list of rows)."""


def write_csv(path: str, obj: Any = None) -> None:
    """Write rows (or nothing, for the seed's ``write_csv("some/path")``) to ``path``."""
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows(obj or [])


def read_csv(path: str) -> list[list[str]]:
    """Read the rows written by :func:`write_csv`."""
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


CALLS: list[Any] = []


def do_stuff(value: Any = None) -> Any:
    """Record the call and return a marker derived from ``value``."""
    CALLS.append(value)
    return ("stuff", value)


@dataclass
class FakeConnection:
    """A database connection stand-in: a dict of tables, and credentials it was opened with."""

    username: str
    password: str
    tables: dict[str, Any] = field(default_factory=dict)
    closed: bool = False


class FakeDatabase:
    """``database.connect(username, password)`` as a context manager over one shared store."""

    def __init__(self) -> None:
        self.connections: list[FakeConnection] = []
        self.tables: dict[str, Any] = {}

    @contextmanager
    def connect(self, username: str, password: str) -> Iterator[FakeConnection]:
        connection = FakeConnection(username, password, self.tables)
        self.connections.append(connection)
        try:
            yield connection
        finally:
            connection.closed = True
