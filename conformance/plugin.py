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

The ``[tool.iomanager-conformance]`` table of the rootdir's ``pyproject.toml``
(:mod:`conformance.config`) applies as in the CLI: its ``target`` is checked like an
``--io-manager``, ``profile``/``contexts``/``values``/``equals``/``call-timeout`` are the
defaults (an ``--iom-*`` option, then a test class's own attribute, come first), ``select``
decides which requirements run and each ``ignore`` skips its tests with the reason given.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

import pytest

from conformance.plugin_outcomes import assert_judged, assert_requirement
from conformance.plugin_runs import (
    CONFIG_KEY,
    POOL_KEY,
    REPORTS_KEY,
    Values,
    as_subject,
    isolated,
    kit_config,
    pool,
    shared_report,
)
from conformance.plugin_wanted import record_wanted, wanted_for
from conformance.profiles import PROFILES  # importing it registers the hypothesis profiles
from conformance.report import Report
from conformance.target import TargetError, resolve_target
from spec.requirements import iter_requirements

__all__ = ["REQUIREMENT_IDS", "ConformanceTests", "assert_judged", "assert_requirement"]

REQUIREMENT_IDS: tuple[str, ...] = tuple(r.id for r in iter_requirements() if not r.withdrawn)
"""Every requirement the generated tests cover, in registry order."""

_PROFILES = tuple(PROFILES)
_ISOLATION = ("process", "none")
_CONTEXTS = ("reference", "dagster")
_TARGETS_KEY = pytest.StashKey[list[tuple[str, object]]]()
_Node = TypeVar("_Node", bound=pytest.Item | pytest.Collector)


def _node(node_type: type[_Node], parent: pytest.Collector, *, name: str) -> _Node:
    """``node_type.from_parent(parent, name=name)``. pytest leaves ``from_parent``'s ``**kw``
    unannotated, which pyright's strict mode reports at every use; a cast cannot help (the
    member access itself is reported), so the one call is here, its rule named."""
    node = node_type.from_parent(parent, name=name)  # pyright: ignore[reportUnknownMemberType]
    assert isinstance(node, node_type)  # from_parent returns an instance of the class it is on
    return node


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
        default=None,
        metavar="SECONDS",
        help="per-call deadline of a target in a worker (default: the pyproject.toml "
        "[tool.iomanager-conformance] call-timeout, else 60)",
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
    raises or exits is not a usage error but an error of each of its tests. The
    ``[tool.iomanager-conformance]`` table of the rootdir's ``pyproject.toml`` is validated
    here too (a bad one is a usage error naming the key)."""
    config.stash[REPORTS_KEY] = {}
    config.stash[CONFIG_KEY] = _load_table(config)
    # Config.getoption has no return annotation (pyright infers "Any | None"); this option
    # appends to a default of [].
    given = cast("list[str]", config.getoption("iomanager_targets"))
    targets = [*config.getini("iomanager_targets"), *given]
    table_target = kit_config(config).get("target")
    if table_target is not None:
        targets.append(str(table_target))
    resolved: list[tuple[str, object]] = []
    for target in dict.fromkeys(targets):
        try:
            if isolated(config):
                resolved.append((target, _describe_in_worker(config, target)))
            else:
                resolved.append((target, as_subject(resolve_target(target), target)))
        except (TargetError, TypeError) as exc:
            hint = _SYS_PATH_HINT if isinstance(getattr(exc, "cause", None),
                                                ModuleNotFoundError) else ""
            raise pytest.UsageError(f"--io-manager {target}: {exc}{hint}") from exc
    config.stash[_TARGETS_KEY] = resolved


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the session's worker processes."""
    workers = config.stash.get(POOL_KEY, None)
    if workers is not None:
        workers.close()


def _load_table(config: pytest.Config) -> Any:
    from conformance.config import ConfigError, find_pyproject, load_config

    inipath = config.inipath
    path = inipath if inipath is not None and inipath.name == "pyproject.toml" else (
        find_pyproject(Path(config.rootpath)))
    try:
        return load_config(path)
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from exc


def _describe_in_worker(config: pytest.Config, target: str) -> object:
    """A :class:`SubjectRef` for ``target``, after a worker found it (usage errors raise)."""
    from conformance.isolation.pool import SubjectProblem
    from conformance.isolation.protocol import SubjectRef
    from conformance.target import split_target

    split_target(target)
    ref = SubjectRef(target=target)
    try:
        pool(config).describe(ref)
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
    for target, subject in config.stash.get(_TARGETS_KEY, ()):
        collector = _node(_TargetCollector, session, name=display_target(target, config.rootpath))
        collector.subject = subject
        items.extend(collector.collect())


def pytest_collection_finish(session: pytest.Session) -> None:
    """Record the requirements of the selected tests per subject (after ``-k``, ``--lf``):
    each subject's run judges only those (:mod:`conformance.plugin_wanted`)."""
    owned: list[tuple[object, str]] = []
    for item in session.items:
        if isinstance(item, _RequirementItem):
            owned.append((("target", item.parent.name if item.parent else ""), item.name))
            continue
        cls = getattr(item, "cls", None)
        callspec = getattr(item, "callspec", None)
        if (isinstance(cls, type) and issubclass(cls, ConformanceTests) and callspec is not None
                and "requirement_id" in callspec.params):
            owned.append((("class", cls), str(callspec.params["requirement_id"])))
    record_wanted(session.config, owned)


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


def _option(config: pytest.Config, name: str, own: object, fallback: object) -> object:
    """``--iom-NAME`` when given, else a test class's ``own`` setting (when not ``None``),
    else the table's ``NAME``, else ``fallback``."""
    given = config.getoption(f"iom_{name}", None)
    if given is not None:
        return given
    if own is not None:
        return own
    return kit_config(config).get(name, fallback)


def _own_setting(cls: type, name: str) -> object:
    """``name`` as a subclass of :class:`ConformanceTests` sets it (``None``: not set)."""
    for klass in cls.__mro__:
        if klass is ConformanceTests:
            return None
        if name in vars(klass):
            return _class_attribute(klass, name)
    return None


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
        cls = type(self)
        contexts = str(_option(config, "contexts", _own_setting(cls, "contexts"), "reference"))
        profile = str(_option(config, "profile", _own_setting(cls, "profile"), "pr"))
        callspec = getattr(request.node, "callspec", None)
        params = {} if callspec is None else dict(callspec.params)
        params.pop("requirement_id", None)
        values = Values(_option(config, "values", _own_setting(cls, "values"), None),
                        _option(config, "equals", _own_setting(cls, "equals"), None))
        key = ("class", type(self), repr(sorted(params.items())), contexts, profile, values)
        report = shared_report(config, key, io_manager_subject, contexts, profile, values,
                               wanted_for(config, ("class", type(self))))
        assert_judged(report, requirement_id)
        return report

    @pytest.mark.parametrize("requirement_id", REQUIREMENT_IDS)
    def test_requirement(self, requirement_id: str, io_manager_report: Report) -> None:
        """One test per requirement of the spec, reading the subject's shared report."""
        assert_requirement(io_manager_report, requirement_id)


# ---------------------------------------------------------------------------------- --io-manager
class _TargetCollector(pytest.Collector):
    """The requirement tests of one ``--io-manager`` target."""

    subject: object = None
    """The target's subject (set by the hook that creates the collector)."""

    def collect(self) -> Iterator[pytest.Item]:
        for requirement_id in REQUIREMENT_IDS:
            item = _node(_RequirementItem, self, name=requirement_id)
            item.subject = self.subject
            yield item


class _RequirementItem(pytest.Item):
    """One requirement of one ``--io-manager`` target."""

    subject: object = None
    """The target's subject (set by the collector that creates the item)."""

    def _shared_report(self) -> Report:
        contexts = str(_option(self.config, "contexts", None, "reference"))
        profile = str(_option(self.config, "profile", None, "pr"))
        values = Values(_option(self.config, "values", None, None),
                        _option(self.config, "equals", None, None))
        target = self.parent.name if self.parent else ""
        key = ("target", target, contexts, profile, values)
        return shared_report(self.config, key, self.subject, contexts, profile, values,
                             wanted_for(self.config, ("target", target)))

    def setup(self) -> None:
        """Errors (not failures) when the kit could not judge this requirement."""
        assert_judged(self._shared_report(), self.name)

    def runtest(self) -> None:
        assert_requirement(self._shared_report(), self.name)

    def reportinfo(self) -> tuple[str, int | None, str]:
        target = self.parent.name if self.parent else ""
        return target, None, self.name  # pytest shows dots of the domain as "::"
