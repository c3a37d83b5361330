"""The plugin reads ``[tool.iomanager-conformance]`` like the CLI: the table's target gets its
tests, an ignored requirement's test is skipped with the reason, an unselected one is skipped,
and a bad table is a usage error naming the key."""

from __future__ import annotations

import pytest

from tests.conformance.cli.test_plugin import MANAGERS


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(my_managers=MANAGERS)
    return pytester


def test_the_tables_target_selection_and_ignores_decide_the_tests(
    project: pytest.Pytester,
) -> None:
    project.makepyprojecttoml('''
[tool.pytest.ini_options]
pythonpath = ["."]

[tool.iomanager-conformance]
target = "my_managers:BROKEN"
select = ["IOM-STORE-00"]

[tool.iomanager-conformance.ignore]
"IOM-STORE-005" = "we return None for missing data on purpose"
''')
    result = project.runpytest_subprocess("-k", "IOM-STORE-005 or IOM-STORE-001 or IOM-ID-001",
                                          "-rs")
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(["*IOM-STORE-005 ignored*we return None for missing data*"])
    result.stdout.fnmatch_lines(["*IOM-ID-001 was not part of this run (not selected)*"])


def test_a_bad_table_is_a_usage_error_naming_the_key(project: pytest.Pytester) -> None:
    project.makepyprojecttoml('''
[tool.iomanager-conformance]
call_timeout = 3
''')
    result = project.runpytest_subprocess("-k", "IOM-STORE-001")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown key 'call_timeout'*"])
