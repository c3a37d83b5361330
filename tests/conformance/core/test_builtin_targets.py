"""A reference built-in named as a target gets the capabilities the built-in run declares."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.api import check_io_manager
from conformance.builtins import IN_MEMORY_CAPABILITIES, builtin_subjects
from conformance.subject import Capabilities, Subject
from reference_impl.storage import FilesystemIOManager, InMemoryIOManager, mem_io_manager


@pytest.mark.parametrize(
    "obj", [InMemoryIOManager, InMemoryIOManager(), mem_io_manager],
    ids=["class", "instance", "definition"],
)
def test_the_in_memory_builtin_is_declared_run_scoped(obj: object) -> None:
    """``reference_impl:InMemoryIOManager`` is judged as the built-in run judges it (run-scoped
    op outputs, no assets), not with the defaults that describe an asset manager."""
    assert Subject.from_object(obj).capabilities == IN_MEMORY_CAPABILITIES
    (declared,) = [s for s in builtin_subjects() if s.name == "InMemoryIOManager"]
    assert declared.capabilities == IN_MEMORY_CAPABILITIES


def test_other_managers_keep_the_defaults_and_an_explicit_declaration_wins() -> None:
    assert Subject.from_object(FilesystemIOManager).capabilities == Capabilities(
        durable=True, storage_root=True)

    class Subclass(InMemoryIOManager):
        """A user's subclass may store assets: it is not assumed to be the built-in."""

    assert Subject.from_object(Subclass).capabilities == Capabilities()
    explicit = Capabilities(durable=False, storage_root=False)
    assert Subject.from_object(InMemoryIOManager, capabilities=explicit).capabilities == explicit


def test_a_frame_family_still_turns_stores_none_off_for_the_builtin() -> None:
    """A family that cannot store ``None`` (the frame families) overrides the built-in's
    ``stores_none`` exactly as it does for any other target; the rest of the declaration stays."""
    subject = Subject.from_object(InMemoryIOManager, values="pandas")
    assert subject.capabilities == replace(IN_MEMORY_CAPABILITIES, stores_none=False)
    assert Subject.from_object(InMemoryIOManager, values="json").capabilities == (
        IN_MEMORY_CAPABILITIES)


def test_the_bare_in_memory_target_passes_every_must() -> None:
    """With its declaration, the reference InMemoryIOManager passes every applicable MUST (the
    asset laws it never claimed are not applicable, as in the built-in run)."""
    report = check_io_manager(InMemoryIOManager, only="IOM-ID")
    assert not report.failures("MUST"), [r.requirement_id for r in report.failures("MUST")]
