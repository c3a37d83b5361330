"""The pytest plugin of the kit (registered through the ``pytest11`` entry point).

Two ways to get one test per requirement (test IDs are the requirement IDs):

* subclass :class:`ConformanceTests` in a test module and set ``subject = ...`` (anything
  :meth:`conformance.Subject.from_object` accepts) or override the ``io_manager_subject``
  fixture;
* run ``pytest --io-manager=package.module:attr`` (repeatable) or list targets in the
  ``iomanager_targets`` ini option: the plugin adds the tests for each target, no test file
  needed.

A MUST that fails or errors fails its test with the counterexample and reproduction; a SHOULD
or MAY that is not met is an ``xfail`` (it never fails CI); a requirement that does not apply
to the declared capabilities is skipped with the reason. The kit runs once per subject, in
full, and every test of that subject reads the shared report (``-k`` selects which results are
shown; a result never depends on the selection). The hypothesis profiles ``iomanager-pr``,
``iomanager-dev`` and ``iomanager-thorough`` are registered on import, never loaded.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

import conformance.profiles  # noqa: F401  (registers the hypothesis profiles, loads none)
from conformance.report import Report, RequirementResult, Status
from conformance.target import TargetError, resolve_target
from spec.requirements import iter_requirements

__all__ = ["REQUIREMENT_IDS", "ConformanceTests", "assert_requirement"]

REQUIREMENT_IDS: tuple[str, ...] = tuple(r.id for r in iter_requirements() if not r.withdrawn)
"""Every requirement the generated tests cover, in registry order."""

_PROFILES = ("pr", "dev", "thorough")
_CONTEXTS = ("reference", "dagster")
_TARGETS_KEY = pytest.StashKey[list[tuple[str, object]]]()
_REPORTS_KEY = pytest.StashKey[dict[object, "Report | BaseException"]]()


# ---------------------------------------------------------------------------------- hooks
def pytest_addoption(parser: pytest.Parser) -> None:
    """``--io-manager``, ``--iom-profile``, ``--iom-contexts`` and the ``iomanager_targets`` ini."""
    group = parser.getgroup("iomanager-conformance", "IO manager conformance kit")
    group.addoption(
        "--io-manager",
        action="append",
        default=[],
        dest="iomanager_targets",
        metavar="TARGET",
        help="check this IO manager ('package.module:attr' or 'path/file.py:attr'); repeatable",
    )
    group.addoption(
        "--iom-profile",
        choices=_PROFILES,
        default=None,
        help="conformance example budget (default: the class's 'profile', else pr)",
    )
    group.addoption(
        "--iom-contexts",
        choices=_CONTEXTS,
        default=None,
        help="contexts to drive managers with (default: the class's 'contexts', else reference)",
    )
    parser.addini(
        "iomanager_targets",
        type="linelist",
        default=[],
        help="IO managers to check, one 'package.module:attr' per line (like --io-manager)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Resolve every target now, so a bad one is a usage error (exit code 4), not a test."""
    config.stash[_REPORTS_KEY] = {}
    targets = [*config.getini("iomanager_targets"), *config.getoption("iomanager_targets")]
    resolved: list[tuple[str, object]] = []
    for target in dict.fromkeys(targets):
        try:
            resolved.append((target, _as_subject(resolve_target(target), target)))
        except (TargetError, TypeError) as exc:
            hint = ""
            if isinstance(getattr(exc, "cause", None), ModuleNotFoundError):
                hint = " (pytest does not put the working directory on sys.path: add "
                hint += "'pythonpath = .' to your pytest ini, or run 'python -m pytest')"
            raise pytest.UsageError(f"--io-manager {target}: {exc}{hint}") from exc
    config.stash[_TARGETS_KEY] = resolved


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Add the requirement tests of every ``--io-manager`` target (before ``-k`` filtering)."""
    for target, subject in config.stash.get(_TARGETS_KEY, []):
        collector = _TargetCollector.from_parent(session, name=target, subject=subject)
        items.extend(collector.collect())


# ---------------------------------------------------------------------------------- shared
def _as_subject(obj: object, target: str) -> object:
    from conformance.subject import Subject

    return Subject.from_object(obj, name=target)


def _report(config: pytest.Config, key: object, subject: object, contexts: str, profile: str
            ) -> Report:
    """The kit's report for ``subject``, computed once per key and session."""
    cache = config.stash[_REPORTS_KEY]
    if key not in cache:
        from conformance.api import check_io_manager

        try:
            cache[key] = check_io_manager(subject, contexts=contexts, profile=profile)
        except Exception as exc:  # reported by every test of the subject, not a crash
            cache[key] = exc
    found = cache[key]
    if isinstance(found, BaseException):
        details = "".join(traceback.format_exception(found))
        pytest.fail(f"the conformance kit could not check this subject:\n{details}", pytrace=False)
    return found


def assert_requirement(report: Report, requirement_id: str) -> None:
    """Turn ``report``'s result for ``requirement_id`` into a pytest outcome.

    PASS returns; NOT_APPLICABLE skips with the reason; a failed MUST fails with the
    counterexample and reproduction; a failed SHOULD or MAY is an ``xfail``.
    """
    result = next((r for r in report.results if r.requirement_id == requirement_id), None)
    if result is None:
        pytest.skip(f"{requirement_id} was not part of this run")
    if result.status is Status.PASS:
        return
    if result.status is Status.NOT_APPLICABLE:
        pytest.skip(f"{requirement_id} not applicable: {result.message or 'no reason given'}")
    text = describe_failure(result, report.subject)
    if result.level != "MUST":
        pytest.xfail(f"{result.level} requirement not met: {text}")
    pytest.fail(text, pytrace=False)


def describe_failure(result: RequirementResult, subject: str) -> str:
    """A self-contained failure text: requirement, message, counterexample, reproduction."""
    lines = [
        f"{result.requirement_id} ({result.level}) {result.title}: {result.status.value} "
        f"for {subject}",
    ]
    if result.checks:
        lines.append("checks: " + ", ".join(result.checks))
    if result.message:
        lines += ["", result.message]
    if result.counterexample is not None:
        lines += ["", "counterexample:", json.dumps(dict(result.counterexample), indent=2,
                                                    default=repr)]
    if result.reproduction:
        lines += ["", "reproduction:", result.reproduction]
    return "\n".join(lines)


def _option(config: pytest.Config, name: str, fallback: str) -> str:
    value = config.getoption(name)
    return fallback if value is None else str(value)


def _class_attribute(cls: type, name: str) -> object:
    """``name`` as stored on ``cls`` or a base (functions unbound, staticmethods unwrapped)."""
    for klass in cls.__mro__:
        if name in vars(klass):
            value = vars(klass)[name]
            return value.__func__ if isinstance(value, staticmethod) else value
    return None


# ---------------------------------------------------------------------------------- base class
class ConformanceTests:
    """Subclass as ``Test...`` and set ``subject`` (or override ``io_manager_subject``).

    ``contexts`` and ``profile`` are the defaults for this class; ``--iom-contexts`` and
    ``--iom-profile`` override them for a whole session.
    """

    subject: ClassVar[object] = None
    contexts: ClassVar[str] = "reference"
    profile: ClassVar[str] = "pr"

    @pytest.fixture
    def io_manager_subject(self) -> object:
        """The manager under test; the default returns the class attribute ``subject``.

        Read without binding, so a plain function assigned as ``subject`` stays a factory.
        """
        subject = _class_attribute(type(self), "subject")
        if subject is None:
            pytest.fail(
                f"{type(self).__name__} sets no 'subject': set the class attribute "
                f"'subject = MyManager' or override the 'io_manager_subject' fixture",
                pytrace=False,
            )
        return subject

    @pytest.mark.parametrize("requirement_id", REQUIREMENT_IDS)
    def test_requirement(
        self, requirement_id: str, io_manager_subject: object, request: pytest.FixtureRequest
    ) -> None:
        """One test per requirement of the spec, reading the subject's shared report."""
        config = request.config
        contexts = _option(config, "iom_contexts", self.contexts)
        profile = _option(config, "iom_profile", self.profile)
        callspec = getattr(request.node, "callspec", None)
        params = {} if callspec is None else dict(callspec.params)
        params.pop("requirement_id", None)
        key = ("class", type(self), repr(sorted(params.items())), contexts, profile)
        report = _report(config, key, io_manager_subject, contexts, profile)
        assert_requirement(report, requirement_id)


# ---------------------------------------------------------------------------------- --io-manager
class _TargetCollector(pytest.Collector):
    """The requirement tests of one ``--io-manager`` target."""

    def __init__(self, *, subject: object, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.subject = subject

    def collect(self) -> Iterator[pytest.Item]:
        for requirement_id in REQUIREMENT_IDS:
            yield _RequirementItem.from_parent(self, name=requirement_id, subject=self.subject)


class _RequirementItem(pytest.Item):
    """One requirement of one ``--io-manager`` target."""

    def __init__(self, *, subject: object, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.subject = subject

    def runtest(self) -> None:
        contexts = _option(self.config, "iom_contexts", "reference")
        profile = _option(self.config, "iom_profile", "pr")
        key = ("target", self.parent.name if self.parent else "", contexts, profile)
        report = _report(self.config, key, self.subject, contexts, profile)
        assert_requirement(report, self.name)

    def reportinfo(self) -> tuple[str, int | None, str]:
        target = self.parent.name if self.parent else ""
        return target, None, f"{target}::{self.name}"
