"""The README's installs are visible to every installed type checker.

A fresh virtualenv gets the project the README's way (``pip install -e .``), another one the
built wheel; a user file outside the checkout imports ``spec``, ``reference_impl`` and
``conformance`` and must type-check with exactly one error, on the line that assigns a manager
without ``load_input`` to ``spec.IOManager``. An import the checker cannot resolve would be an
error on another line (or, resolved to ``Any``, hide the expected one), so both outcomes fail.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conformance.checkers import CHECKERS, is_installed, run_checker

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("spec", "reference_impl", "conformance", "pyproject.toml", "README.md")
USER_FILE = '''\
from typing import Any

from conformance import Status
from reference_impl import InMemoryIOManager
from spec import InputContextLike, IOManager, OutputContextLike


class MyManager:
    def handle_output(self, context: OutputContextLike, obj: Any) -> None: ...

    def load_input(self, context: InputContextLike) -> Any: ...


class NoLoad:
    def handle_output(self, context: OutputContextLike, obj: Any) -> None: ...


manager: IOManager = MyManager()
builtin: IOManager = InMemoryIOManager()
verdict: Status = Status.PASS
broken: IOManager = NoLoad()
'''
BROKEN_LINE = USER_FILE.splitlines().index("broken: IOManager = NoLoad()") + 1


def _pip(python: Path, *args: str, cwd: Path) -> None:
    """This environment's pip installing into ``python``'s environment (no dependencies)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--disable-pip-version-check", *args],
        cwd=cwd, check=True, capture_output=True, timeout=300,
    )


@pytest.fixture(scope="module")
def installs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Interpreters of two fresh virtualenvs: an editable install and a wheel install."""
    base = tmp_path_factory.mktemp("install")
    checkout = base / "checkout"
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            checkout.mkdir(exist_ok=True)
            shutil.copy2(source, checkout / name)
    pythons: dict[str, Path] = {}
    for kind in ("editable", "wheel"):
        venv.create(base / kind, with_pip=False)
        pythons[kind] = base / kind / "bin" / "python"
    _pip(pythons["editable"], "-e", ".", cwd=checkout)  # README: pip install -e .
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(base / "dist"), "."],
        cwd=checkout, check=True, capture_output=True, timeout=300,
    )
    _pip(pythons["wheel"], str(next((base / "dist").glob("*.whl"))), cwd=base)
    (base / "user").mkdir()
    (base / "user" / "user_manager.py").write_text(USER_FILE, encoding="utf-8")
    return {**pythons, "user": base / "user"}


@pytest.mark.parametrize("kind", ["editable", "wheel"])
@pytest.mark.parametrize("checker", CHECKERS)
def test_user_file_outside_the_checkout_sees_the_installed_packages(
    installs: dict[str, Path], checker: str, kind: str
) -> None:
    if not is_installed(checker):
        pytest.skip(f"{checker} is not installed (pip install 'iomanager-spec[typecheckers]')")
    user = installs["user"]
    errors = run_checker(checker, [Path("user_manager.py")], cwd=user,
                         python=str(installs[kind]))
    lines = sorted({error.line for error in errors})
    assert lines == [BROKEN_LINE], "\n".join(f"{e.line}: {e.message}" for e in errors)
    assert all("load_input" in e.message for e in errors), [e.message for e in errors]
