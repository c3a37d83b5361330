"""The plugin's ``values``/``equals``: class attributes and ``--iom-values``/``--iom-equals``.

Inner runs use ``runpytest_subprocess`` with this checkout first on ``PYTHONPATH`` and ``-k``
to keep the kit's work small (the plugin still runs the kit once per subject, in full).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CLASSES = '''
from conformance.plugin import ConformanceTests
from conformance.strategies import json_values
from tests.conformance.cli.sample_managers import JsonFileManager


class TestNamedFamily(ConformanceTests):
    subject = JsonFileManager
    values = "json"


class TestStrategyObject(ConformanceTests):
    subject = JsonFileManager
    values = json_values()
    equals = staticmethod(lambda loaded, stored: loaded == stored and type(loaded) is type(stored))
'''


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return pytester


def test_class_values_decide_what_the_kit_stores(inner: pytest.Pytester) -> None:
    """A JSON manager passes with JSON values, named (checked in a worker) or as a strategy
    object (checked in pytest's process); with the default values it fails (shown by the CLI
    and API tests of this folder)."""
    inner.makepyfile(test_classes=CLASSES)
    result = inner.runpytest_subprocess("-k", "IOM-STORE-002", "-v")
    result.stdout.fnmatch_lines_random([
        "*TestNamedFamily::test_requirement?IOM-STORE-002? PASSED*",
        "*TestStrategyObject::test_requirement?IOM-STORE-002? PASSED*",
    ])
    result.assert_outcomes(passed=2, deselected=result.parseoutcomes()["deselected"])


def test_iom_values_applies_to_io_manager_targets(inner: pytest.Pytester) -> None:
    target = "tests.conformance.cli.sample_managers:JsonFileManager"
    passing = inner.runpytest_subprocess("--io-manager", target, "--iom-values", "json",
                                         "-k", "IOM-STORE-002")
    assert passing.parseoutcomes().get("passed") == 1 and "failed" not in passing.parseoutcomes()
