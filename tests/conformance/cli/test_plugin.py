"""The pytest11 plugin: ConformanceTests, --io-manager, the ini option, usage errors, profiles.

Inner runs use ``runpytest_subprocess`` (hypothesis keeps global state) and ``-k`` to keep
the kit's work to a few requirements: the plugin runs the kit once per subject, judging only the
requirements of the selected tests.
"""

from __future__ import annotations

import pytest

from conformance.plugin import REQUIREMENT_IDS

N = len(REQUIREMENT_IDS)
MANAGERS = '''
from conformance.subject import Capabilities, Subject

NO_PARTITIONS = Capabilities(partitions=False, partition_ranges=False, multi_partitions=False)


class GoodManager:
    """Correct for op outputs and unpartitioned assets (it ignores partitions)."""

    def __init__(self):
        self.values = {}

    def _key(self, context):
        if context.has_asset_key:
            return ("asset", tuple(context.asset_key.path))
        return ("op", tuple(context.get_identifier()))

    def handle_output(self, context, obj):
        self.values[self._key(context)] = obj

    def load_input(self, context):
        return self.values[self._key(context)]


class NoneForMissingManager(GoodManager):
    def load_input(self, context):
        return self.values.get(self._key(context))


class RuntimeErrorForMissingManager(GoodManager):
    def load_input(self, context):
        try:
            return super().load_input(context)
        except KeyError:
            raise RuntimeError("missing") from None


class ExitsInHandleOutput(GoodManager):
    def handle_output(self, context, obj):
        import os

        os._exit(0)


GOOD = Subject.from_object(GoodManager, name="GoodManager", capabilities=NO_PARTITIONS)
EXITS = Subject.from_object(ExitsInHandleOutput, capabilities=NO_PARTITIONS)
SHOULD_BROKEN = Subject.from_object(RuntimeErrorForMissingManager, capabilities=NO_PARTITIONS)
BROKEN = Subject.from_object(
    NoneForMissingManager, name="NoneForMissingManager", capabilities=NO_PARTITIONS
)
'''



@pytest.fixture
def managers(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(my_managers=MANAGERS)
    pytester.makeini("[pytest]\npythonpath = .\n")
    return pytester


def test_subclass_with_a_subject_yields_one_test_per_requirement(
    managers: pytest.Pytester,
) -> None:
    managers.makepyfile(test_mine='''
from conformance.plugin import ConformanceTests
from my_managers import GOOD

class TestGood(ConformanceTests):
    subject = GOOD
''')
    result = managers.runpytest_subprocess(
        "-k", "IOM-STORE-002 or IOM-STORE-005 or IOM-PART-004", "-rs", "-v"
    )
    result.assert_outcomes(passed=2, skipped=1, deselected=N - 3)
    result.stdout.fnmatch_lines([
        "*TestGood::test_requirement?IOM-STORE-002? PASSED*",
        "*not applicable: capability 'partitions' declared absent*",
    ])


def test_failing_must_shows_counterexample_and_reproduction(managers: pytest.Pytester) -> None:
    managers.makepyfile(test_mine='''
import pytest
from conformance.plugin import ConformanceTests
from my_managers import BROKEN

class TestBroken(ConformanceTests):
    @pytest.fixture
    def io_manager_subject(self):
        return BROKEN
''')
    result = managers.runpytest_subprocess("-k", "IOM-STORE-005")
    result.assert_outcomes(failed=1, deselected=N - 1)
    result.stdout.fnmatch_lines([
        "*IOM-STORE-005 (MUST) Missing data raises: fail for NoneForMissingManager*",
        "*counterexample:*",
        "*reproduction:*",
    ])


def test_a_subclass_without_subject_fails_with_a_hint(managers: pytest.Pytester) -> None:
    managers.makepyfile(test_mine='''
from conformance.plugin import ConformanceTests

class TestNothing(ConformanceTests):
    pass
''')
    result = managers.runpytest_subprocess("-k", "IOM-STORE-002")
    result.assert_outcomes(errors=1, deselected=N - 1)  # the fixture fails at setup
    result.stdout.fnmatch_lines(["*TestNothing sets no 'subject'*"])


def test_io_manager_option_generates_the_tests_without_a_test_file(
    managers: pytest.Pytester,
) -> None:
    result = managers.runpytest_subprocess(
        "--io-manager=my_managers:BROKEN",
        "--io-manager=my_managers:GOOD",
        "-k", "IOM-STORE-005", "-v",
    )
    result.assert_outcomes(passed=1, failed=1, deselected=2 * N - 2)
    result.stdout.fnmatch_lines([
        "*my_managers:BROKEN::IOM-STORE-005 FAILED*",
        "*my_managers:GOOD::IOM-STORE-005 PASSED*",
    ])


def test_a_failed_should_is_an_xfail_that_keeps_the_run_green(
    managers: pytest.Pytester,
) -> None:
    result = managers.runpytest_subprocess(
        "--io-manager=my_managers:SHOULD_BROKEN", "-k", "IOM-SEC-004", "-rx"
    )
    result.assert_outcomes(xfailed=1, deselected=N - 1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*SHOULD requirement not met: IOM-SEC-004 (SHOULD)*"])


def test_ini_targets_work_like_the_option(managers: pytest.Pytester) -> None:
    managers.makeini(
        "[pytest]\npythonpath = .\niomanager_targets =\n    my_managers:GOOD\n"
    )
    result = managers.runpytest_subprocess("-k", "IOM-STORE-002 or IOM-STORE-003")
    result.assert_outcomes(passed=2, deselected=N - 2)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("my_managers:Missing", "*--io-manager my_managers:Missing: *has no attribute 'Missing'*"),
        ("nowhere_xyz:Manager", "*module 'nowhere_xyz' not found*pythonpath = .*"),
        ("no-colon", "*malformed target 'no-colon'*"),
    ],
)
def test_bad_io_manager_target_is_a_usage_error(
    managers: pytest.Pytester, target: str, message: str
) -> None:
    result = managers.runpytest_subprocess(f"--io-manager={target}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])


def test_profiles_are_registered_but_not_loaded(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_profiles='''
from hypothesis import settings

def test_active_profile_is_untouched():
    # hypothesis picks "default", or "ci" when it detects a CI environment
    assert not settings._current_profile.startswith("iomanager-")
    assert settings.get_profile("iomanager-pr").derandomize is True
''')
    assert pytester.runpytest_subprocess().ret == pytest.ExitCode.OK
    chosen = pytester.runpytest_subprocess("--hypothesis-profile=iomanager-pr", "-q")
    chosen.assert_outcomes(failed=1)  # the user chose it: now it is active


@pytest.mark.parametrize("style", ["option", "subclass"])
def test_a_target_that_exits_is_an_error_and_the_session_goes_on(
    managers: pytest.Pytester, style: str
) -> None:
    """The plugin runs targets in workers: os._exit(0) in handle_output is an *error* of the
    requirement being checked (exit code 1, never 0), and the other tests still run."""
    managers.makepyfile(test_mine='''
from conformance.plugin import ConformanceTests
from my_managers import EXITS

class TestExits(ConformanceTests):
    subject = EXITS

def test_after():
    pass
''')
    args = ["-k", "IOM-STORE-002 or test_after", "-rE"]
    if style == "option":
        args = ["--io-manager=my_managers:EXITS", "-p", "no:cacheprovider", *args,
                "--deselect", "test_mine.py::TestExits"]
    result = managers.runpytest_subprocess(*args)
    result.assert_outcomes(passed=1, errors=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*ERROR at setup of *IOM-STORE-002*",
                                 "*the kit could not judge: IOM-STORE-002 (MUST)*",
                                 "*exited with code 0*"])


def test_node_ids_of_a_file_target_never_show_a_temporary_path(
    managers: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A file target outside the rootdir is shown by its file name; and the run leaves no
    ``.hypothesis`` directory in the working directory."""
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "buggy.py"
    elsewhere.write_text(MANAGERS)
    result = managers.runpytest_subprocess(
        f"--io-manager={elsewhere}:GOOD", "-k", "IOM-STORE-002", "-v", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1, deselected=N - 1)
    result.stdout.fnmatch_lines(["*buggy.py:GOOD::IOM-STORE-002 PASSED*"])
    assert str(elsewhere.parent) not in result.stdout.str()
    assert not (managers.path / ".hypothesis").exists()


def test_only_the_selected_requirements_are_judged(managers: pytest.Pytester) -> None:
    """After ``-k`` (or ``--lf``), a subject's run judges only the requirements of its selected
    tests: one requirement selected, one requirement in the shared report (so the kit ran only
    the checks that may report it); the deselected tests are not run at all."""
    managers.makepyfile(test_mine='''
from conformance.plugin import ConformanceTests
from conformance.plugin_runs import REPORTS_KEY
from my_managers import GOOD

class TestGood(ConformanceTests):
    subject = GOOD

def test_zz_the_report_judged_the_selection(request):
    (report,) = request.config.stash[REPORTS_KEY].values()
    assert [r.requirement_id for r in report.results] == ["IOM-STORE-002"]
    assert report.header["selection"] == "select IOM-STORE-002"
''')
    result = managers.runpytest_subprocess("-k", "IOM-STORE-002 or test_zz", "-p",
                                           "no:randomly")
    result.assert_outcomes(passed=2, deselected=N - 1)
