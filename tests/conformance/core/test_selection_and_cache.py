"""Verdicts never depend on ``only``; context checks run once per (factory, profile);
structured-config managers take the storage directory."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
from hypothesis import given, settings

from conformance.api import check_io_manager
from conformance.checks import CHECKS, CheckEnv, RequirementViolation, check
from conformance.checks.base import HARNESS_REPORTS
from conformance.context_cache import _CONTEXT_RUNS, clear_context_cache
from conformance.contexts import OutputSpec, resolve_context_factory
from conformance.profiles import get_profile
from conformance.report import Status
from conformance.runner import run_checks
from conformance.strategies.contexts import changes_for, one_component_apart
from conformance.subject import Subject
from reference_impl import FilesystemIOManager
from reference_impl.definitions import ConfigurableIOManager, ConfigurableIOManagerFactory
from reference_impl.storage import PickledObjectFilesystemIOManager
from spec.requirements import REQUIREMENTS
from tests.conformance.core.sample_managers import DictManager

# --------------------------------------------------------------------------- declarations


def test_every_check_declares_only_known_requirements() -> None:
    for registered in CHECKS.values():
        assert set(registered.reportable) <= set(REQUIREMENTS), registered.name
        if registered.target == "manager":
            assert set(HARNESS_REPORTS) <= registered.reportable, registered.name


def test_only_runs_the_checks_that_may_report_the_selection() -> None:
    names: list[str] = []
    check_io_manager(DictManager, only="IOM-ID-010", on_progress=lambda n, d, t: names.append(n))
    assert "identifiers.op_outputs_isolated" in names
    assert "storage.structural_refusals" in names  # it reports IOM-ID-010 too
    assert "identifiers.assets_isolated" not in names


def test_an_undeclared_violation_is_a_kit_error_not_a_verdict() -> None:
    @check("IOM-DEF-004", target="manager")
    def undeclared(env: CheckEnv) -> None:
        raise RequirementViolation("IOM-PART-010", "reported without declaring it")

    try:
        report = run_checks(
            Subject.from_object(DictManager),
            resolve_context_factory("reference"),
            get_profile("pr"),
            only="IOM-PART-010",
        )
        results = {r.requirement_id: r for r in report.results}
        assert results["IOM-PART-010"].status is Status.PASS  # the check is not selected
        full = run_checks(
            Subject.from_object(DictManager),
            resolve_context_factory("reference"),
            get_profile("pr"),
            only="IOM-DEF-004",
        )
        own = {r.requirement_id: r for r in full.results}["IOM-DEF-004"]
        assert own.status is Status.ERROR and "does not declare" in own.message
    finally:
        del CHECKS["test_selection_and_cache.undeclared"]


# --------------------------------------------------------------------------- context cache


def test_context_checks_run_once_per_factory_and_profile() -> None:
    clear_context_cache()
    first = check_io_manager(DictManager, only="IOM-CTX", name="m")
    cached = dict(_CONTEXT_RUNS)
    assert cached and all(key[3] == "pr" for key in cached)
    second = check_io_manager(DictManager, only="IOM-CTX", name="m")
    assert all(_CONTEXT_RUNS[key] is cached[key] for key in cached)  # reused, not rerun
    clear_context_cache()
    fresh = check_io_manager(DictManager, only="IOM-CTX", name="m")
    for report in (second, fresh):
        assert report.results == first.results
        assert report.examples == first.examples


# --------------------------------------------------------------------------- ID-010 pairs


def _identifier(spec: OutputSpec) -> tuple[object, ...]:
    if spec.version is not None:
        return ("versioned", spec.version, spec.step_key, spec.name)
    return ("op", spec.run_id, spec.step_key, spec.name, spec.mapping_key)


@settings(max_examples=60)
@given(case=one_component_apart())
def test_one_component_apart_differs_in_exactly_that_component(
    case: tuple[OutputSpec, OutputSpec, str],
) -> None:
    """Law: the two outputs have different identifiers and differ in exactly one field."""
    first, second, change = case
    assert _identifier(first) != _identifier(second)
    fields = ("run_id", "step_key", "name", "mapping_key", "version")
    differing = [f for f in fields if getattr(first, f) != getattr(second, f)]
    assert len(differing) == 1, (first, second, change)
    assert not (second.mapping_key and second.version is not None)
    assert change in changes_for(first) or change in changes_for(second)


# --------------------------------------------------------------------------- structured config


class UserDirectoryManager(ConfigurableIOManager):
    """A user's structured-config manager: pickles to one file per identifier."""

    base_dir: str
    suffix: str = ".pkl"

    def _path(self, context: Any) -> pathlib.Path:
        parts = context.get_asset_identifier() if context.has_asset_key else None
        name = "__".join(parts or context.get_identifier())
        return pathlib.Path(self.base_dir) / (name + self.suffix)

    def handle_output(self, context: Any, obj: Any) -> None:
        self._path(context).write_bytes(repr(obj).encode())

    def load_input(self, context: Any) -> Any:
        return self._path(context).read_bytes().decode()


class UserFactory(ConfigurableIOManagerFactory):
    """A factory whose directory field is ``storage_dir`` (and a non-directory ``path``)."""

    storage_dir: str = "/nonexistent"
    path: int = 3

    def create_io_manager(self, context: Any) -> UserDirectoryManager:
        return UserDirectoryManager(base_dir=self.storage_dir)


@pytest.mark.parametrize(
    "source",
    [FilesystemIOManager, FilesystemIOManager(base_dir="/nonexistent/elsewhere")],
    ids=["class", "instance"],
)
def test_filesystem_io_manager_takes_the_directory(source: object, tmp_path: pathlib.Path) -> None:
    subject = Subject.from_object(source)
    assert subject.takes_directory
    assert subject.capabilities.durable and subject.capabilities.storage_root
    manager = subject.make(tmp_path)
    assert isinstance(manager, PickledObjectFilesystemIOManager)
    from reference_impl.context import build_output_context

    manager.handle_output(build_output_context(asset_key=["a"]), 1)
    assert (tmp_path / "a").exists()


def test_user_structured_config_classes_take_the_directory(tmp_path: pathlib.Path) -> None:
    for source in (UserDirectoryManager, UserDirectoryManager(base_dir="/x", suffix=".txt")):
        subject = Subject.from_object(source)
        assert subject.takes_directory and subject.capabilities.storage_root
        made = subject.make(tmp_path)
        assert isinstance(made, UserDirectoryManager) and made.base_dir == str(tmp_path)
        assert made.suffix == (".pkl" if isinstance(source, type) else ".txt")
    factory = Subject.from_object(UserFactory(path=5))
    assert factory.takes_directory  # storage_dir takes a str; path (an int) is not a directory
    made = factory.make(tmp_path)
    assert isinstance(made, UserDirectoryManager) and made.base_dir == str(tmp_path)
