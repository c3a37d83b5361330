"""The pytest plugin of the kit (registered through the ``pytest11`` entry point).

Two ways to get one test per requirement (test IDs are the requirement IDs):

* subclass :class:`ConformanceTests` in a test module and set ``subject = ...`` (anything
  :meth:`conformance.Subject.from_object` accepts) or override the ``io_manager_subject``
  fixture;
* run ``pytest --io-manager=package.module:attr`` (repeatable) or list targets in the
  ``iomanager_targets`` ini option: the plugin adds the tests for each target, no test file
  needed.

A MUST that fails fails its test with the counterexample and reproduction; a requirement the
kit could not judge (the target crashed, exited, hung or could not be imported: the CLI's exit
code 3) is a pytest *error*; a SHOULD or MAY that is not met is an ``xfail`` (it never fails
CI); a requirement that does not apply to the declared capabilities is skipped with the reason.
The target runs in worker processes (``--iom-isolation process``, the default) exactly as with
the CLI, so a target that calls ``os._exit(0)`` cannot end the pytest session green; a
``subject`` that cannot be pickled by reference (a lambda, a local class) is checked in
pytest's own process, and its report header says ``isolation: none``. Node IDs name the target
as given, with file targets relative to the rootdir (never a temporary path). The kit runs
once per subject, in full, and every test of that subject reads the shared report (``-k``
selects which results are shown; a result never depends on the selection). The hypothesis
profiles ``iomanager-pr``, ``iomanager-dev`` and ``iomanager-thorough`` are registered on
import, never loaded.
"""

from __future__ import annotations

import contextlib
import json
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

import conformance.profiles  # noqa: F401  (registers the hypothesis profiles, loads none)
from conformance.report import Report, RequirementResult, Status
from conformance.target import TargetError, resolve_target
from spec.requirements import iter_requirements

__all__ = ["REQUIREMENT_IDS", "ConformanceTests", "assert_judged", "assert_requirement"]

REQUIREMENT_IDS: tuple[str, ...] = tuple(r.id for r in iter_requirements() if not r.withdrawn)
"""Every requirement the generated tests cover, in registry order."""

_PROFILES = ("pr", "dev", "thorough")
_ISOLATION = ("process", "none")
_CONTEXTS = ("reference", "dagster")
_TARGETS_KEY = pytest.StashKey[list[tuple[str, object]]]()
_REPORTS_KEY = pytest.StashKey[dict[object, "Report | BaseException"]]()
_POOL_KEY = pytest.StashKey[Any]()


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
    group.addoption(
        "--iom-values",
        default=None,
        metavar="FAMILY|MODULE:STRATEGY",
        help="values the managers store: pickle, json, msgpack, pandas, polars, arrow or a "
        "strategy (default: the class's 'values', else pickle)",
    )
    group.addoption(
        "--iom-equals",
        default=None,
        metavar="MODULE:FUNC",
        help="how a loaded value compares (default: the class's 'equals', else the family's)",
    )
    group.addoption(
        "--iom-isolation",
        choices=_ISOLATION,
        default="process",
        help="run targets in worker processes (default) or in pytest's own process",
    )
    group.addoption(
        "--iom-call-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="per-call deadline of a target in a worker (default 60)",
    )
    parser.addini(
        "iomanager_targets",
        type="linelist",
        default=[],
        help="IO managers to check, one 'package.module:attr' per line (like --io-manager)",
    )


_SYS_PATH_HINT = (" (pytest does not put the working directory on sys.path: add "
                  "'pythonpath = .' to your pytest ini, or run 'python -m pytest')")


def pytest_configure(config: pytest.Config) -> None:
    """Find every target now, so a bad one is a usage error (exit code 4), not a test.

    Isolated, a worker imports the target (this process never does); a target whose import
    raises or exits is not a usage error but an error of each of its tests."""
    config.stash[_REPORTS_KEY] = {}
    targets = [*config.getini("iomanager_targets"), *config.getoption("iomanager_targets")]
    resolved: list[tuple[str, object]] = []
    for target in dict.fromkeys(targets):
        try:
            if _isolated(config):
                resolved.append((target, _describe_in_worker(config, target)))
            else:
                resolved.append((target, _as_subject(resolve_target(target), target)))
        except (TargetError, TypeError) as exc:
            hint = _SYS_PATH_HINT if isinstance(getattr(exc, "cause", None),
                                                ModuleNotFoundError) else ""
            raise pytest.UsageError(f"--io-manager {target}: {exc}{hint}") from exc
    config.stash[_TARGETS_KEY] = resolved


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the session's worker processes."""
    pool = config.stash.get(_POOL_KEY, None)
    if pool is not None:
        pool.close()


def _isolated(config: pytest.Config) -> bool:
    return bool(config.getoption("iom_isolation", "process") == "process")


def _pool(config: pytest.Config) -> Any:
    """The session's worker pool (one worker; started on first use)."""
    pool = config.stash.get(_POOL_KEY, None)
    if pool is None:
        from conformance.isolation.pool import WorkerPool

        pool = WorkerPool(1, call_timeout=float(config.getoption("iom_call_timeout", 60.0)))
        config.stash[_POOL_KEY] = pool
    return pool


def _describe_in_worker(config: pytest.Config, target: str) -> object:
    """A :class:`SubjectRef` for ``target``, after a worker found it (usage errors raise)."""
    from conformance.isolation.pool import SubjectProblem
    from conformance.isolation.protocol import SubjectRef
    from conformance.target import split_target

    split_target(target)
    ref = SubjectRef(target=target)
    try:
        _pool(config).describe(ref)
    except SubjectProblem as problem:
        if problem.kind == "usage":
            hint = _SYS_PATH_HINT if "not found" in str(problem) else ""
            raise pytest.UsageError(f"--io-manager {target}: {problem}{hint}") from problem
    return ref


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Add the requirement tests of every ``--io-manager`` target (before ``-k`` filtering)."""
    for target, subject in config.stash.get(_TARGETS_KEY, []):
        collector = _TargetCollector.from_parent(
            session, name=display_target(target, config.rootpath), subject=subject
        )
        items.extend(collector.collect())


def display_target(target: str, rootdir: Any) -> str:
    """``target`` as a node ID shows it: a file target relative to ``rootdir`` when it is below
    it, else by its file name (a temporary path never reaches a node ID)."""
    import os

    from conformance.target import is_path_target, split_target

    source, attribute = split_target(target)
    if not is_path_target(source):
        return target
    absolute = os.path.abspath(source)
    root = os.path.abspath(str(rootdir))
    if absolute.startswith(root + os.sep):
        shown = os.path.relpath(absolute, root)
    else:
        shown = os.path.basename(absolute)
    return f"{shown.replace(os.sep, '/')}:{attribute}"


# ---------------------------------------------------------------------------------- shared
def _as_subject(obj: object, target: str) -> object:
    from conformance.subject import Subject

    return Subject.from_object(obj, name=target)


def _worker_ref(config: pytest.Config, subject: object) -> object | None:
    """How a worker finds ``subject``: the module attribute it is (``module:attr``), else a
    pickle by reference; ``None`` when not isolated or neither works (then it is checked in
    this process)."""
    import pickle

    from conformance.isolation.pool import SubjectProblem
    from conformance.isolation.protocol import SubjectRef

    if isinstance(subject, SubjectRef):
        return subject
    if not _isolated(config):
        return None
    candidates: list[SubjectRef] = [
        SubjectRef(target=target, name=_subject_name(subject)) for target in _located(subject)
    ]
    with contextlib.suppress(Exception):  # lambdas, local classes, strategies
        candidates.append(SubjectRef(pickled=pickle.dumps(subject), name=_subject_name(subject)))
    for ref in candidates:
        try:
            _pool(config).describe(ref)
        except SubjectProblem:
            continue
        return ref
    return None


def _located(subject: object) -> list[str]:
    """``module:attr`` names under which ``subject`` is a module-level attribute (test modules
    last: a worker may not have their directory on its path)."""
    import sys

    found: list[str] = []
    for name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None)
        if name == "__main__" or not isinstance(namespace, dict):
            continue
        found.extend(f"{name}:{attr}" for attr, value in list(namespace.items())
                     if value is subject and not attr.startswith("_"))
    return sorted(found, key=lambda target: ("test" in target.split(":")[0], target))[:3]


def _subject_name(subject: object) -> str:
    name = getattr(subject, "name", None)
    if isinstance(name, str):
        return name
    return f"{getattr(subject, '__module__', '?')}:{getattr(subject, '__qualname__', subject)}"


@dataclass(frozen=True)
class Values:
    """The ``values``/``equals`` a subject is checked with (``None``: the subject's own)."""

    values: object = None
    equals: object = None

    @property
    def named(self) -> bool:
        """Whether both are absent or names (a family, ``MODULE:ATTR``) a worker resolves."""
        return all(v is None or isinstance(v, str) for v in (self.values, self.equals))


def _check(config: pytest.Config, subject: object, contexts: str, profile: str,
           values: Values = Values()) -> Report:
    from dataclasses import replace

    from conformance.header import run_header

    if not values.named:  # strategy or function objects: resolved here, checked here
        from conformance.subject import Subject

        subject = Subject.from_object(subject, values=values.values,  # type: ignore[arg-type]
                                      equals=values.equals)  # type: ignore[arg-type]
        values = Values()
    shown = values.values if isinstance(values.values, str) else None
    ref = _worker_ref(config, subject)
    if ref is None:
        from conformance.api import check_io_manager

        report = check_io_manager(subject, contexts=contexts, profile=profile, values=shown,
                                  equals=values.equals)  # type: ignore[arg-type]
        header = run_header(target=report.subject, contexts=contexts, profile=profile,
                            seed=None, isolation="none", values=shown)
        return replace(report, header=header)
    from conformance.isolation.protocol import SubjectRef
    from conformance.isolation.session import check_in_workers

    assert isinstance(ref, SubjectRef)
    ref = replace(ref, values=shown, equals=values.equals)  # type: ignore[arg-type]
    header = run_header(target=ref.describe(), contexts=contexts, profile=profile, seed=None,
                        isolation="process", values=shown)
    return check_in_workers(ref, _pool(config), contexts=contexts, profile=profile,
                            header=header)


def _report(config: pytest.Config, key: object, subject: object, contexts: str, profile: str,
            values: Values = Values()) -> Report:
    """The kit's report for ``subject``, computed once per key and session."""
    cache = config.stash[_REPORTS_KEY]
    if key not in cache:
        try:
            cache[key] = _check(config, subject, contexts, profile, values)
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
    assert_judged(report, requirement_id)
    result = next((r for r in report.results if r.requirement_id == requirement_id), None)
    if result is None:
        pytest.skip(f"{requirement_id} was not part of this run")
    if result.status is Status.PASS:
        return
    if result.status is Status.NOT_APPLICABLE:
        pytest.skip(f"{requirement_id} not applicable: {result.message or 'no reason given'}")
    text = describe_failure(result, report.subject)
    defects = {r.requirement_id for r in report.context_defects()}
    if requirement_id in defects and not report.context_defects_fatal:
        pytest.xfail(f"a defect of the {report.contexts} contexts, not of the manager: {text}")
    if result.level != "MUST":
        pytest.xfail(f"{result.level} requirement not met: {text}")
    pytest.fail(text, pytrace=False)


def assert_judged(report: Report, requirement_id: str) -> None:
    """Fail when the kit could not judge ``requirement_id`` (the target crashed, exited, hung
    or could not be imported). Called in a test's setup, so that pytest counts an *error*, as
    the CLI's exit code 3 does."""
    if report.errors:
        pytest.fail(f"the kit could not judge {report.subject}:\n" + "\n".join(report.errors),
                    pytrace=False)
    for result in report.results:
        if result.requirement_id == requirement_id and result.status is Status.ERROR:
            pytest.fail("the kit could not judge: " + describe_failure(result, report.subject),
                        pytrace=False)


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
    values: ClassVar[object] = None
    """The values the manager stores: a family name (``"json"``), ``"MODULE:STRATEGY"`` or a
    strategy (``None``: the subject's own, by default the pickle family)."""
    equals: ClassVar[object] = None
    """How a loaded value compares with the stored one (a function or ``"MODULE:FUNC"``)."""

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

    @pytest.fixture
    def io_manager_report(
        self, requirement_id: str, io_manager_subject: object, request: pytest.FixtureRequest
    ) -> Report:
        """The subject's shared report; errors (not failures) when the kit could not judge
        ``requirement_id``."""
        config = request.config
        contexts = _option(config, "iom_contexts", self.contexts)
        profile = _option(config, "iom_profile", self.profile)
        callspec = getattr(request.node, "callspec", None)
        params = {} if callspec is None else dict(callspec.params)
        params.pop("requirement_id", None)
        values = Values(config.getoption("iom_values") or _class_attribute(type(self), "values"),
                        config.getoption("iom_equals") or _class_attribute(type(self), "equals"))
        key = ("class", type(self), repr(sorted(params.items())), contexts, profile, values)
        report = _report(config, key, io_manager_subject, contexts, profile, values)
        assert_judged(report, requirement_id)
        return report

    @pytest.mark.parametrize("requirement_id", REQUIREMENT_IDS)
    def test_requirement(self, requirement_id: str, io_manager_report: Report) -> None:
        """One test per requirement of the spec, reading the subject's shared report."""
        assert_requirement(io_manager_report, requirement_id)


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

    def _shared_report(self) -> Report:
        contexts = _option(self.config, "iom_contexts", "reference")
        profile = _option(self.config, "iom_profile", "pr")
        values = Values(self.config.getoption("iom_values"), self.config.getoption("iom_equals"))
        key = ("target", self.parent.name if self.parent else "", contexts, profile, values)
        return _report(self.config, key, self.subject, contexts, profile, values)

    def setup(self) -> None:
        """Errors (not failures) when the kit could not judge this requirement."""
        assert_judged(self._shared_report(), self.name)

    def runtest(self) -> None:
        assert_requirement(self._shared_report(), self.name)

    def reportinfo(self) -> tuple[str, int | None, str]:
        target = self.parent.name if self.parent else ""
        return target, None, self.name  # pytest shows dots of the domain as "::"
