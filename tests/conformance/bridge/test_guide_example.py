"""The worked example of docs/DAGSTER.md: a custom ConfigurableIOManager checked by the kit."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import uuid
from typing import Any

import pytest

pytest.importorskip("dagster")

import dagster as dg

pytestmark = pytest.mark.dagster


# --- docs/DAGSTER.md: the user's manager --------------------------------------------------
class PickleIOManager(dg.ConfigurableIOManager):
    """One flat file per identifier, named by its hash: no key can collide with another."""

    base_dir: str

    def _path(self, context: Any) -> str:
        parts = context.get_asset_identifier() if context.has_asset_key else (
            context.get_identifier())
        name = hashlib.sha256(json.dumps([str(p) for p in parts]).encode()).hexdigest()
        return os.path.join(self.base_dir, name)

    def handle_output(self, context: Any, obj: Any) -> None:
        path = self._path(context)
        os.makedirs(self.base_dir, exist_ok=True)
        tmp = f"{path}.{uuid.uuid4().hex}.tmp"  # one per writer: IOM-STORE-013
        with open(tmp, "wb") as file:
            pickle.dump(obj, file)
        os.replace(tmp, path)  # atomic: IOM-STORE-007

    def load_input(self, context: Any) -> Any:
        with open(self._path(context), "rb") as file:
            return pickle.load(file)


# --- docs/DAGSTER.md: the three lines -----------------------------------------------------
from conformance.api import check_io_manager  # noqa: E402
from conformance.subject import Capabilities, Subject  # noqa: E402


def test_pickle_io_manager_conforms() -> None:
    # it loads one partition at a time (a range would need several files), so it says so
    one_at_a_time = Capabilities(partition_ranges=False)
    subject = Subject.from_object(PickleIOManager, capabilities=one_at_a_time)
    report = check_io_manager(subject, contexts="dagster", only="IOM-STORE")
    assert report.ok, report.results
