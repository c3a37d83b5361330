"""How the plugin runs the kit for a subject: in the session's worker when the subject can be
found there (``module:attr`` or a pickle by reference), else in pytest's process; one report
per subject and settings, shared by all of its tests."""

from __future__ import annotations

import contextlib
import traceback
from dataclasses import dataclass
from typing import Any

import pytest

from conformance.config import KitConfig
from conformance.report import Report
from conformance.selection import Selection
from reference_impl.narrowing import is_dict

__all__ = ["CONFIG_KEY", "POOL_KEY", "REPORTS_KEY", "Values", "as_subject", "isolated",
           "kit_config", "pool", "setting", "shared_report", "worker_ref"]

CONFIG_KEY = pytest.StashKey[KitConfig]()
"""The session's ``[tool.iomanager-conformance]`` table."""
REPORTS_KEY = pytest.StashKey[dict[object, "Report | BaseException"]]()
POOL_KEY = pytest.StashKey[Any]()


def isolated(config: pytest.Config) -> bool:
    """Whether targets run in the session's worker (``--iom-isolation process``)."""
    return bool(config.getoption("iom_isolation", "process") == "process")


def pool(config: pytest.Config) -> Any:
    """The session's worker pool (one worker; started on first use)."""
    pool = config.stash.get(POOL_KEY, None)
    if pool is None:
        from conformance.isolation.pool import WorkerPool

        deadline = setting(config, "iom_call_timeout", "call_timeout", 60.0)
        assert isinstance(deadline, int | float)
        pool = WorkerPool(1, call_timeout=float(deadline))
        config.stash[POOL_KEY] = pool
    return pool


def kit_config(config: pytest.Config) -> KitConfig:
    """The session's ``[tool.iomanager-conformance]`` table (empty before configure)."""
    return config.stash.get(CONFIG_KEY, KitConfig())


def setting(config: pytest.Config, option: str, key: str, fallback: object) -> object:
    """The command-line ``option`` when given, else the table's ``key``, else ``fallback``."""
    given = config.getoption(option, None)
    return given if given is not None else kit_config(config).get(key, fallback)


def as_subject(obj: object, target: str) -> object:
    from conformance.subject import Subject

    return Subject.from_object(obj, name=target)


def worker_ref(config: pytest.Config, subject: object) -> object | None:
    """How a worker finds ``subject``: the module attribute it is (``module:attr``), else a
    pickle by reference; ``None`` when not isolated or neither works (then it is checked in
    this process)."""
    import pickle

    from conformance.isolation.pool import SubjectProblem
    from conformance.isolation.protocol import SubjectRef

    if isinstance(subject, SubjectRef):
        return subject
    if not isolated(config):
        return None
    candidates: list[SubjectRef] = [
        SubjectRef(target=target, name=_subject_name(subject)) for target in _located(subject)
    ]
    with contextlib.suppress(Exception):  # lambdas, local classes, strategies
        candidates.append(SubjectRef(pickled=pickle.dumps(subject), name=_subject_name(subject)))
    for ref in candidates:
        try:
            pool(config).describe(ref)
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
        if name == "__main__" or not is_dict(namespace):
            continue
        found.extend(f"{name}:{attr}" for attr, value in list(namespace.items())
                     if value is subject and isinstance(attr, str) and not attr.startswith("_"))
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


def check(config: pytest.Config, subject: object, contexts: str, profile: str,
          values: Values = Values(), wanted: frozenset[str] | None = None) -> Report:
    """Run the kit on ``subject`` with the session's selection, narrowed to the ``wanted``
    requirements (those of the subject's selected tests; :mod:`conformance.plugin_wanted`);
    the report has a header."""
    from dataclasses import replace

    from conformance.header import run_header
    from conformance.plugin_wanted import narrowed

    selection = narrowed(kit_config(config).selection, wanted)

    if not values.named:  # strategy or function objects: resolved here, checked here
        from conformance.subject import Subject

        subject = Subject.from_object(subject, values=values.values,  # type: ignore[arg-type]
                                      equals=values.equals)  # type: ignore[arg-type]
        values = Values()
    shown = values.values if isinstance(values.values, str) else None
    ref = worker_ref(config, subject)
    if ref is None:
        from conformance.api import check_io_manager

        report = check_io_manager(subject, contexts=contexts, profile=profile, values=shown,
                                  equals=values.equals, only=selection)  # type: ignore[arg-type]
        header = run_header(target=report.subject, contexts=contexts, profile=profile,
                            seed=None, isolation="none", values=shown)
        return replace(report, header=_with_selection(header, selection))
    from conformance.isolation.protocol import SubjectRef
    from conformance.isolation.session import check_in_workers

    assert isinstance(ref, SubjectRef)
    ref = replace(ref, values=shown, equals=values.equals)  # type: ignore[arg-type]
    header = run_header(target=ref.describe(), contexts=contexts, profile=profile, seed=None,
                        isolation="process", values=shown)
    return check_in_workers(ref, pool(config), contexts=contexts, profile=profile,
                            only=selection, header=_with_selection(header, selection))


def _with_selection(header: dict[str, str], selection: Selection) -> dict[str, str]:
    if selection.select or selection.ignore:
        header["selection"] = selection.describe()
    return header


def shared_report(config: pytest.Config, key: object, subject: object, contexts: str,
                  profile: str, values: Values = Values(),
                  wanted: frozenset[str] | None = None) -> Report:
    """The kit's report for ``subject``, computed once per key and session (judging the
    ``wanted`` requirements, as :func:`check`)."""
    cache = config.stash[REPORTS_KEY]
    if key not in cache:
        try:
            cache[key] = check(config, subject, contexts, profile, values, wanted)
        except Exception as exc:  # reported by every test of the subject, not a crash
            cache[key] = exc
    found = cache[key]
    if isinstance(found, BaseException):
        details = "".join(traceback.format_exception(found))
        pytest.fail(f"the conformance kit could not check this subject:\n{details}", pytrace=False)
    return found
