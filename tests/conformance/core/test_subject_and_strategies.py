"""Subject coercion, context-factory resolution and strategy sanity."""

from __future__ import annotations

import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import strategies as cst
from conformance.contexts import ContextFactoryError, PartitionsSpec, resolve_context_factory
from conformance.profiles import UnknownProfileError, get_profile
from conformance.subject import Subject, SubjectError
from reference_impl.storage import fs_io_manager
from tests.conformance.core.sample_managers import DictManager, PickleDirectoryManager


def test_subject_defaults_follow_the_factory_arity() -> None:
    assert not Subject.from_object(DictManager).capabilities.durable
    directory = Subject.from_object(PickleDirectoryManager)
    assert directory.takes_directory and directory.capabilities.durable
    assert directory.capabilities.storage_root


def test_definition_with_base_dir_takes_a_directory(tmp_path: pathlib.Path) -> None:
    subject = Subject.from_object(fs_io_manager)
    assert subject.takes_directory
    manager = subject.make(tmp_path)
    assert callable(manager.handle_output)  # type: ignore[attr-defined]


def test_instances_are_recreated_and_bad_objects_rejected(tmp_path: pathlib.Path) -> None:
    manager = PickleDirectoryManager(tmp_path)
    subject = Subject.from_object(manager)
    assert subject.takes_directory  # re-created with the directory field
    with pytest.raises(SubjectError, match="no argument or exactly one"):
        Subject.from_object(lambda a, b: None)
    with pytest.raises(SubjectError, match="expected an IO manager"):
        Subject.from_object(42)


def test_context_and_profile_names_are_validated() -> None:
    with pytest.raises(ContextFactoryError, match="expected one of"):
        resolve_context_factory("nope")
    with pytest.raises(UnknownProfileError, match="pr"):
        get_profile("fast")


@settings(max_examples=30)
@given(pair=cst.colliding_asset_key_pairs())
def test_colliding_pairs_are_distinct_keys(pair: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
    """Law: colliding pairs are two different keys."""
    assert pair[0] != pair[1]


@settings(max_examples=10)
@given(drawn=st.lists(cst.asset_keys(), min_size=40, max_size=40))
def test_key_pools_produce_collisions(drawn: list[tuple[str, ...]]) -> None:
    """Law: forty keys from the pools include a repeat (pools make collisions likely)."""
    assert len(set(drawn)) < len(drawn)


@settings(max_examples=25)
@given(data=st.data())
def test_ranges_lie_within_their_definition(data: st.DataObject) -> None:
    """Law: drawn keys and range endpoints are keys of the drawn definition, start before end."""
    spec: PartitionsSpec = data.draw(cst.partitions_specs())
    keys = spec.build().get_partition_keys()
    key = data.draw(cst.partition_keys(spec))
    first, last = data.draw(cst.partition_index_ranges(spec))
    assert spec.build().has_partition_key(key)
    assert 0 <= first <= last < len(keys)


def test_huge_time_definitions_stay_cheap() -> None:
    spec = PartitionsSpec("hourly", start="2000-01-01-00:00", end="2030-01-01-00:00")
    keys = spec.build().get_partition_keys()
    assert len(keys) > 200_000
    assert keys[len(keys) - 1].startswith("2029-12-31")
