"""The reference contexts keep Dagster's own metadata values (reference_impl.metadata interop)."""

from __future__ import annotations

import enum

import pytest

pytest.importorskip("dagster")

import dagster as dg

from reference_impl.context import build_output_context
from reference_impl.errors import InvalidMetadataError
from reference_impl.metadata import normalize_metadata_value

pytestmark = pytest.mark.dagster


class _Colour(enum.Enum):
    RED = "red"


class _HasValue:
    value = "v"


def test_dagster_metadata_value_is_kept_as_is() -> None:
    path: object = dg.MetadataValue.path("x")
    kept: object = normalize_metadata_value(path, "path")
    assert kept is path
    context = build_output_context(asset_key="a")
    context.add_output_metadata({"path": path, "rows": dg.MetadataValue.int(3)})
    logged = context.get_logged_metadata()
    recorded: object = logged["path"]
    assert recorded is path and logged["path"].value == "x"
    assert logged["rows"].value == 3


@pytest.mark.parametrize("raw", [_Colour.RED, _HasValue()], ids=["enum-member", "object"])
def test_other_objects_with_a_value_attribute_are_still_rejected(raw: object) -> None:
    with pytest.raises(InvalidMetadataError, match="k"):
        normalize_metadata_value(raw, "k")
    context = build_output_context(asset_key="a")
    with pytest.raises(InvalidMetadataError):
        context.add_output_metadata({"ok": 1, "k": raw})
    assert dict(context.get_logged_metadata()) == {}
