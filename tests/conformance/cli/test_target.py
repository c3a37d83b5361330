"""conformance.target: resolving 'module:attr' and 'path/file.py:attr' targets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conformance.target import TargetError, resolve_target, split_target
from tests.conformance.cli import sample_managers


def test_module_target_resolves_to_the_attribute() -> None:
    target = "tests.conformance.cli.sample_managers:GoodManager"
    assert resolve_target(target) is sample_managers.GoodManager


def test_dotted_attribute_walks_into_the_object() -> None:
    found = resolve_target("tests.conformance.cli.sample_managers:GoodManager.handle_output")
    assert found is sample_managers.GoodManager.handle_output


def test_file_target_loads_by_path_with_sibling_imports_and_restores_sys_path(
    tmp_path: Path,
) -> None:
    (tmp_path / "helper_for_target.py").write_text("VALUE = 7\n")
    (tmp_path / "my_manager.py").write_text(
        "from helper_for_target import VALUE\n"
        "class Manager:\n"
        "    value = VALUE\n"
    )
    before = list(sys.path)
    found = resolve_target(f"{tmp_path / 'my_manager.py'}:Manager")
    assert isinstance(found, type)
    assert vars(found)["value"] == 7
    assert sys.path == before


def test_the_same_file_resolves_to_the_same_object(tmp_path: Path) -> None:
    (tmp_path / "once.py").write_text("class Manager: pass\n")
    target = f"{tmp_path / 'once.py'}:Manager"
    assert resolve_target(target) is resolve_target(target)


@pytest.mark.parametrize(
    "target",
    ["no_colon_here", "module:", ":attr", "module:not-an-identifier", "module:a..b", "bad name:x"],
)
def test_malformed_targets_say_how_a_target_looks(target: str) -> None:
    with pytest.raises(TargetError, match="malformed target") as info:
        resolve_target(target)
    assert "package.module:attribute" in str(info.value)


def test_split_target_keeps_windows_style_drive_letters() -> None:
    assert split_target(r"C:\work\mgr.py:Manager") == (r"C:\work\mgr.py", "Manager")


def test_missing_module_is_reported_as_not_found() -> None:
    with pytest.raises(TargetError, match=r"module 'no_such_module_xyz' not found") as info:
        resolve_target("no_such_module_xyz:Manager")
    assert isinstance(info.value.cause, ModuleNotFoundError)


def test_missing_file_is_reported_as_not_found(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match=r"file .*absent\.py.* not found"):
        resolve_target(f"{tmp_path / 'absent.py'}:Manager")


def test_missing_attribute_names_the_attribute() -> None:
    with pytest.raises(TargetError, match=r"has no attribute 'GoodManager.nope'"):
        resolve_target("tests.conformance.cli.sample_managers:GoodManager.nope")


def test_import_error_in_the_module_includes_the_original_exception(tmp_path: Path) -> None:
    (tmp_path / "explodes.py").write_text("raise RuntimeError('boom at import')\n")
    with pytest.raises(TargetError, match=r"RuntimeError: boom at import") as info:
        resolve_target(f"{tmp_path / 'explodes.py'}:Manager")
    assert isinstance(info.value.cause, RuntimeError)


def test_a_missing_dependency_of_the_module_is_an_import_failure_not_a_missing_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "needs_dep_xyz.py").write_text("import dependency_that_is_absent_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(TargetError, match=r"importing 'needs_dep_xyz' failed: ModuleNotFound"):
        resolve_target("needs_dep_xyz:Manager")
